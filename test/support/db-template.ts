import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import pg from "pg";
import { applyMigrations } from "~/lib/migrate.server";
import { pgConnection, pgliteConnection } from "~/lib/db.server";

export const MIGRATIONS_DIR = path.resolve("prisma/migrations");

/** Migrates one in-memory PGlite and dumps it; each test file then loads the dump (~1 s vs ~4.5 s). */
export async function buildPgliteTemplate(): Promise<string> {
  const pglite = await PGlite.create({ extensions: { pg_trgm } });
  await applyMigrations(pgliteConnection(pglite), MIGRATIONS_DIR);
  const dump = await pglite.dumpDataDir("none");
  await pglite.close();
  const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), "exchange-tpl-")), "template.tar");
  await fs.writeFile(file, Buffer.from(await dump.arrayBuffer()));
  return file;
}

export async function pgliteFromTemplate(file: string): Promise<PGlite> {
  const data = await fs.readFile(file);
  return PGlite.create({ loadDataDir: new Blob([data]), extensions: { pg_trgm } });
}

export function databaseUrl(serverUrl: string, name: string) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(serverUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, "postgres") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates and migrates a template database on the server; returns its name. */
export async function buildPostgresTemplate(serverUrl: string): Promise<string> {
  const name = `exchange_tpl_${process.pid}_${Date.now()}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, name) });
  await client.connect();
  try {
    await applyMigrations(pgConnection(client), MIGRATIONS_DIR);
  } finally {
    await client.end();
  }
  return name;
}

export async function createDatabaseFromTemplate(
  serverUrl: string,
  template: string,
  name: string,
) {
  await adminQuery(serverUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  return databaseUrl(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string) {
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
