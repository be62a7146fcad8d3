import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { PreparedStatementsClient, PreparedTransaction } from "~/lib/pglite-statements.server";

// Counts the SQL statements the app sends, at the driver: every round trip @prisma/adapter-pg makes
// through node-postgres (pg.Client#query, which the pool also uses), and every statement
// pglite-prisma-adapter runs through PGlite (query, as a prepared statement or not, exec, and the
// BEGIN and COMMIT or ROLLBACK that PGlite's transaction() issues itself). So a transaction costs
// its BEGIN and COMMIT on both databases, and the session lookup requireUser makes counts like any
// other statement.
// Below Prisma, nothing can hide: a relation Prisma loads with a second SELECT is a second entry.

export type LoggedQuery = { sql: string; params: unknown[] };

let active: LoggedQuery[] | null = null;
let installed = false;

function record(sql: unknown, params: unknown) {
  if (!active) return;
  active.push({ sql: String(sql), params: Array.isArray(params) ? [...params] : [] });
}

/** The prototype in the chain that defines the method itself. */
function owner(proto: object, method: string): Record<string, unknown> {
  let p: object | null = proto;
  while (p && !Object.hasOwn(p, method)) p = Object.getPrototypeOf(p) as object | null;
  if (!p) throw new Error(`No ${method} to wrap`);
  return p as Record<string, unknown>;
}

type Fn = (this: unknown, ...args: unknown[]) => unknown;

function install() {
  if (installed) return;
  installed = true;

  // node-postgres: query(text, values?, cb?) or query({ text, values, ... }, ...).
  const pgProto = owner(pg.Client.prototype, "query");
  const pgQuery = pgProto.query as Fn;
  pgProto.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === "string") record(first, second);
    else if (first && typeof first === "object" && "text" in first)
      record((first as { text: string }).text, (first as { values?: unknown[] }).values);
    return pgQuery.apply(this, args);
  };

  // PGlite.
  for (const method of ["query", "exec"] as const) {
    const proto = owner(PGlite.prototype, method);
    const original = proto[method] as Fn;
    proto[method] = function (this: unknown, ...args: unknown[]) {
      record(args[0], method === "query" ? args[1] : []);
      return original.apply(this, args);
    };
  }
  // The app's PGlite client (app/lib/pglite-statements.server.ts) runs Prisma's statements as
  // prepared ones, past PGlite's query(); its exec and transactions go through PGlite's own.
  for (const proto of [PreparedStatementsClient.prototype, PreparedTransaction.prototype]) {
    const original = (proto as unknown as Record<string, Fn>).query!;
    (proto as unknown as Record<string, Fn>).query = function (this: unknown, ...args: unknown[]) {
      record(args[0], args[1]);
      return original.apply(this, args);
    };
  }
  const txProto = owner(PGlite.prototype, "transaction");
  const transaction = txProto.transaction as Fn;
  txProto.transaction = async function (this: unknown, ...args: unknown[]) {
    const callback = args[0] as (tx: Record<string, Fn>) => Promise<unknown>;
    let rolledBack = false;
    record("BEGIN", []);
    try {
      const result = await transaction.call(this, (tx: Record<string, Fn>) =>
        callback({
          ...tx,
          query: (...a: unknown[]) => (record(a[0], a[1]), tx.query!(...a)),
          exec: (...a: unknown[]) => (record(a[0], []), tx.exec!(...a)),
          rollback: (...a: unknown[]) => ((rolledBack = true), tx.rollback!(...a)),
          // `closed` is a getter on the original.
          get closed() {
            return tx.closed;
          },
        } as unknown as Record<string, Fn>),
      );
      record(rolledBack ? "ROLLBACK" : "COMMIT", []);
      return result;
    } catch (error) {
      if (!rolledBack) record("ROLLBACK", []);
      throw error;
    }
  };
}

/** Runs `fn`, logging every statement sent meanwhile. Nothing else may use the database then. */
export async function logQueries<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; queries: LoggedQuery[] }> {
  install();
  if (active) throw new Error("logQueries does not nest");
  const queries: LoggedQuery[] = [];
  active = queries;
  try {
    const result = await fn();
    return { result, queries };
  } finally {
    active = null;
  }
}

/** A statement as one line, parameters left as $n: for tables and messages. */
export function oneLine(sql: string, max = 140) {
  const s = sql.replace(/\s+/g, " ").trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
