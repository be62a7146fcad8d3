import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import pg from "pg";
import { describe, expect, inject, test } from "vitest";
import { databaseUrl, dropDatabase, MIGRATIONS_DIR } from "#test/support/db-template";
import { pgConnection, pgliteConnection } from "~/lib/db.server";
import { applyMigrations } from "~/lib/migrate.server";

const run = promisify(execFile);
const migrationCount = fs
  .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory()).length;

test("migrations apply to an empty embedded database once, and a second run does nothing", async () => {
  const pglite = await PGlite.create({ extensions: { pg_trgm } });
  const first = await applyMigrations(pgliteConnection(pglite), MIGRATIONS_DIR);
  expect(first.applied).toHaveLength(migrationCount);
  const second = await applyMigrations(pgliteConnection(pglite), MIGRATIONS_DIR);
  expect(second.applied).toEqual([]);
  const tables = await pglite.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('User','Session','AuditEvent','OutboxEmail')`,
  );
  expect(tables.rows[0]!.n).toBe(4);
  await pglite.close();
});

test("an edited migration is refused rather than silently skipped", async () => {
  const pglite = await PGlite.create({ extensions: { pg_trgm } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exchange-mig-"));
  fs.mkdirSync(path.join(dir, "001_a"));
  fs.writeFileSync(path.join(dir, "001_a", "migration.sql"), "CREATE TABLE a (id int);");
  await applyMigrations(pgliteConnection(pglite), dir);
  fs.writeFileSync(path.join(dir, "001_a", "migration.sql"), "CREATE TABLE a (id bigint);");
  await expect(applyMigrations(pgliteConnection(pglite), dir)).rejects.toThrow(
    /edited after it was applied/,
  );
  await pglite.close();
});

test("a failing migration leaves nothing behind", async () => {
  const pglite = await PGlite.create({ extensions: { pg_trgm } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exchange-mig-"));
  fs.mkdirSync(path.join(dir, "001_bad"));
  fs.writeFileSync(
    path.join(dir, "001_bad", "migration.sql"),
    "CREATE TABLE half (id int); SELECT no_such_function();",
  );
  await expect(applyMigrations(pgliteConnection(pglite), dir)).rejects.toThrow(/001_bad failed/);
  const half = await pglite.query(
    `SELECT 1 FROM information_schema.tables WHERE table_name = 'half'`,
  );
  expect(half.rows).toHaveLength(0);
  await pglite.close();
});

describe.runIf(inject("dbKind") === "postgres")("on a PostgreSQL server", () => {
  async function freshDatabase() {
    const server = inject("postgresServer");
    const name = `exchange_mig_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: databaseUrl(server, "postgres") });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    return { url: databaseUrl(server, name), drop: () => dropDatabase(server, name) };
  }

  test("two starters at once: one migrates, the other waits and finds nothing to do", async () => {
    const { url, drop } = await freshDatabase();
    const a = new pg.Client({ connectionString: url });
    const b = new pg.Client({ connectionString: url });
    await Promise.all([a.connect(), b.connect()]);
    const [ra, rb] = await Promise.all([
      applyMigrations(pgConnection(a), MIGRATIONS_DIR),
      applyMigrations(pgConnection(b), MIGRATIONS_DIR),
    ]);
    expect([ra.applied.length, rb.applied.length].sort()).toEqual([0, migrationCount]);
    const rows = await a.query(`SELECT migration_name FROM "_prisma_migrations"`);
    expect(rows.rowCount).toBe(migrationCount);
    await Promise.all([a.end(), b.end()]);
    await drop();
  });

  test(
    "two app processes running `npm run db:migrate` at once both succeed and apply each migration once",
    { timeout: 120_000 },
    async () => {
      const { url, drop } = await freshDatabase();
      const env = { ...process.env, DATABASE_URL: url };
      const results = await Promise.all([
        run("npx", ["tsx", "scripts/migrate.ts"], { env }),
        run("npx", ["tsx", "scripts/migrate.ts"], { env }),
      ]);
      for (const r of results) expect(r.stdout).toContain("Database is up to date");
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const rows = await client.query(
        `SELECT migration_name, count(*) AS n FROM "_prisma_migrations" GROUP BY migration_name`,
      );
      expect(rows.rowCount).toBe(migrationCount);
      expect(rows.rows.every((r) => Number(r.n) === 1)).toBe(true);
      await client.end();
      await drop();
    },
  );
});
