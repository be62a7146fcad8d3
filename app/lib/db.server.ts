import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "~/generated/prisma/client";
import { getEnv } from "./env.server";
import { applyMigrations, type MigrationConnection } from "./migrate.server";
import { statementNames } from "./pg-statements.server";
import { PreparedStatementsClient } from "./pglite-statements.server";
import { noteStatement } from "./request-scope.server";

/**
 * Settings every connection gets. The directory's typo-tolerant name search uses pg_trgm's `<%`
 * operator (served by the trigram index), whose threshold is a session setting.
 */
// Every session reads and groups times in UTC, whatever zone the server or the process is in; the
// app converts to each person's zone itself.
const SESSION_SETTINGS: [string, string][] = [
  ["pg_trgm.word_similarity_threshold", "0.45"],
  ["TimeZone", "UTC"],
];

/**
 * The embedded engine's buffer cache, small: it lives in the server process's WebAssembly memory,
 * which never shrinks. 16 MB keeps the hot pages (sessions, the directory's indexes) cached and
 * leaves the rest to the operating system's file cache, which PGlite reads through
 * (docs/decisions/012-memory-settings.md).
 */
const PGLITE_SETTINGS = ["-c", "shared_buffers=16MB"];

export type Database = {
  prisma: PrismaClient;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
};

export type OpenOptions =
  | { kind: "postgres"; url: string; migrationsDir?: string; poolSize?: number }
  | { kind: "pglite"; dataDir?: string; pglite?: PGlite; migrationsDir?: string };

/**
 * The portal's Prisma client. A live binding: set once by connectDatabase() at start-up (or by the
 * test harness per test file), then imported everywhere as `db`.
 */
export let db: PrismaClient = new Proxy({} as PrismaClient, {
  get() {
    throw new Error("The database is not connected yet: call connectDatabase() first.");
  },
});
let current: Database | undefined;

/** Opens (creating and migrating if needed) the database the options name. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.kind === "postgres") {
    if (options.migrationsDir) {
      const client = new pg.Client({ connectionString: options.url });
      await client.connect();
      try {
        await applyMigrations(pgConnection(client), options.migrationsDir);
      } finally {
        await client.end();
      }
    }
    const adapter = new PrismaPg(
      {
        connectionString: options.url,
        max: options.poolSize ?? 10,
        options: `-c ${SESSION_SETTINGS.map(([k, v]) => `${k}=${v}`).join(" -c ")}`,
      },
      // node-pg treats an undefined name as an unnamed statement; the adapter's type wants a string.
      { statementNameGenerator: statementNames() as (query: { sql: string }) => string },
    );
    const prisma = new PrismaClient({ adapter: withStatementTiming(adapter) as PrismaPg });
    return { prisma, kind: "postgres", close: () => prisma.$disconnect() };
  }

  let pglite = options.pglite;
  if (!pglite) {
    const dir = path.resolve(options.dataDir ?? "./data", "pglite");
    fs.mkdirSync(dir, { recursive: true });
    pglite = await PGlite.create(dir, {
      extensions: { pg_trgm },
      startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS],
    });
  }
  if (options.migrationsDir) await applyMigrations(pgliteConnection(pglite), options.migrationsDir);
  for (const [name, value] of SESSION_SETTINGS)
    await pglite.query(`SELECT set_config($1, $2, false)`, [name, value]);
  // The PGlite adapter is typed against an older driver-adapter-utils than Prisma 6.19's; it works.
  const prisma = new PrismaClient({
    adapter: withStatementTiming(
      withPgliteFixes(new PrismaPGlite(new PreparedStatementsClient(pglite) as unknown as PGlite)),
    ) as unknown as PrismaPg,
  });
  const owned = pglite;
  return {
    prisma,
    kind: "pglite",
    async close() {
      await prisma.$disconnect();
      if (!owned.closed) await owned.close();
    },
  };
}

type AdapterQuery = { args: unknown[]; argTypes?: ({ scalarType?: string } | undefined)[] };
type AdapterResult = { columnTypes: number[]; rows: unknown[][] };

/**
 * Prisma 6.19 hands Bytes parameters to driver adapters as base64 text (argTypes says so).
 * @prisma/adapter-pg decodes them; pglite-prisma-adapter 0.6.1 does not, and PGlite then refuses
 * the bytea value ("Invalid input for bytea type"), e.g. when storing a TOTP key. Decode them here.
 */
function decodeBytesArgs<Q extends AdapterQuery>(query: Q): Q {
  const types = query.argTypes;
  if (!types?.some((t) => t?.scalarType === "bytes")) return query;
  const args = query.args.map((arg, i) =>
    typeof arg === "string" && types[i]?.scalarType === "bytes" ? Buffer.from(arg, "base64") : arg,
  );
  return { ...query, args };
}

// Prisma's driver-adapter column types (ColumnTypeEnum in @prisma/driver-adapter-utils).
const DATE_TIME = 10;
const DATE_TIME_ARRAY = 74;
const asUtc = (text: unknown) =>
  typeof text === "string" && !/(Z|[+-]\d\d(:?\d\d)?)$/.test(text)
    ? `${text.replace(" ", "T")}+00:00`
    : text;

/**
 * pglite-prisma-adapter 0.6.1 returns timestamps as bare text ("2027-03-01 10:00:00"), and Prisma
 * reads a raw query's bare text in the process's time zone: under TZ=America/New_York every
 * `$queryRaw` time came back five hours late. The session runs in UTC (SESSION_SETTINGS), so the
 * text is UTC: say so, as @prisma/adapter-pg does.
 */
function utcTimestamps(result: AdapterResult): AdapterResult {
  const columns = result.columnTypes.flatMap((type, i) =>
    type === DATE_TIME || type === DATE_TIME_ARRAY ? [i] : [],
  );
  if (columns.length === 0) return result;
  for (const row of result.rows) {
    for (const i of columns) {
      const value = row[i];
      row[i] = Array.isArray(value) ? value.map(asUtc) : asUtc(value);
    }
  }
  return result;
}

/** The PGlite adapter, with its bytes parameters and timestamp results put right (see above). */
function pgliteAdapterFixes<T extends object>(queryable: T): T {
  return new Proxy(queryable, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "queryRaw")
        return async (query: AdapterQuery) =>
          utcTimestamps((await value.call(target, decodeBytesArgs(query))) as AdapterResult);
      if (prop === "executeRaw")
        return (query: AdapterQuery) => value.call(target, decodeBytesArgs(query));
      if (prop === "startTransaction")
        return async (...args: unknown[]) =>
          pgliteAdapterFixes((await value.apply(target, args)) as object);
      return value.bind(target);
    },
  });
}

function withPgliteFixes(factory: PrismaPGlite) {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => pgliteAdapterFixes(await factory.connect()),
    connectToShadowDb: async () => pgliteAdapterFixes(await factory.connectToShadowDb()),
  };
}

type AdapterFactory = {
  provider: string;
  adapterName: string;
  connect(): Promise<object>;
  connectToShadowDb?(): Promise<object>;
};

/** Every statement a connection (or a transaction on it) sends, counted against its request. */
function timedStatements<T extends object>(queryable: T): T {
  return new Proxy(queryable, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "queryRaw" || prop === "executeRaw")
        return async (...args: unknown[]) => {
          const begun = performance.now();
          try {
            return (await value.apply(target, args)) as unknown;
          } finally {
            noteStatement(performance.now() - begun);
          }
        };
      if (prop === "startTransaction")
        return async (...args: unknown[]) =>
          timedStatements((await value.apply(target, args)) as object);
      return value.bind(target);
    },
  });
}

/** The driver adapter, with each request's statements counted (see request-scope.server.ts). */
function withStatementTiming(factory: AdapterFactory): AdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => timedStatements(await factory.connect()),
    connectToShadowDb: factory.connectToShadowDb
      ? async () => timedStatements(await factory.connectToShadowDb!())
      : undefined,
  };
}

/** Connects the app's `db` to the database the environment names, migrating it first. */
export async function connectDatabase(): Promise<Database> {
  if (current) return current;
  const env = getEnv();
  const migrationsDir = path.resolve(env.MIGRATIONS_DIR);
  current = env.DATABASE_URL
    ? await openDatabase({ kind: "postgres", url: env.DATABASE_URL, migrationsDir })
    : await openDatabase({ kind: "pglite", dataDir: env.DATA_DIR, migrationsDir });
  db = current.prisma;
  return current;
}

/** Points `db` at an already open database (test harness, scripts). */
export function useDatabase(database: Database) {
  current = database;
  db = database.prisma;
}

export async function disconnectDatabase() {
  const open = current;
  current = undefined;
  if (open) await open.close();
}

export function pgliteConnection(pglite: PGlite): MigrationConnection {
  return {
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
  };
}

export function pgConnection(client: pg.Client): MigrationConnection {
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T>(sql: string, params?: unknown[]) =>
      (await client.query(sql, params as unknown[])).rows as T[],
  };
}

/**
 * Text to match literally in a Prisma `equals`/`contains`/`startsWith`/`endsWith` filter. Prisma
 * turns these into LIKE/ILIKE patterns without escaping the pattern characters
 * (prisma/prisma#10810, #19506), so "%" matched every name, "a_b" matched "axb", and a value
 * ending in a backslash made PostgreSQL refuse the query ("LIKE pattern must not end with escape
 * character"). Backslash is LIKE's default escape character.
 */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}
