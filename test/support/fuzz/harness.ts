// The action fuzzer's harness: every route module with an action, a log of the writes each
// case makes (so that a refusal can be shown to have written nothing), the audit chain's
// tail, and the world the actions are called in.
import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll } from "vitest";
import { db } from "~/lib/db.server";
import { expectedHash, GENESIS_HASH, personalIntact } from "~/modules/audit/chain";
import { allRecordIds, createFuzzWorld, type PersonaKey } from "#test/support/fuzz/world";
import { statusOf } from "#test/support/route-harness";
import { type ActionSpec, buildSpecs, type SpecWorld } from "#test/support/fuzz/specs";

// --- the routes ---------------------------------------------------------------------------------

const ROUTES_DIR = new URL("../../../app/routes/", import.meta.url);
/** Each route file's name, and its path under app/routes (at the top or in its area's folder). */
const ROUTE_PATHS = new Map(
  (readdirSync(ROUTES_DIR, { recursive: true }) as string[])
    .filter((p) => /\.tsx?$/.test(p))
    .map((p) => [path.basename(p), p] as const),
);
const ROUTE_FILES = [...ROUTE_PATHS.keys()].sort();
type RouteModule = { action?: unknown };
export const MODULES: Record<string, RouteModule> = Object.fromEntries(
  await Promise.all(
    ROUTE_FILES.map(
      async (f) =>
        [
          f,
          (await import(
            /* @vite-ignore */ `~/routes/${ROUTE_PATHS.get(f)!.replace(/\.tsx?$/, "")}`
          )) as RouteModule,
        ] as const,
    ),
  ),
);
export const ACTION_FILES = ROUTE_FILES.filter((f) => typeof MODULES[f]!.action === "function");

// --- the database, before and after -------------------------------------------------------------

/**
 * Which tables a case wrote to. Counting every table's rows before and after each case (and
 * hashing them, to catch updates too) cost more than most actions; instead, this file's own
 * database gets a row-level trigger on every table of the public schema that logs each insert,
 * update and delete into "_fuzz_write", in the writing transaction. A rolled-back transaction
 * leaves no log row; a committed one always does. So "nothing in the log since the case began"
 * means every table's row count (and every row) is as it was: exactly what a refusal must leave.
 * Two reads per case instead of two scans of the whole database. A session sliding its expiry
 * (lastSeenAt, expiresAt) is a write by design on every request and is not logged.
 */
async function instrumentWrites() {
  const tables = (
    await db.$queryRawUnsafe<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  ).map((r) => r.table_name);
  await db.$executeRawUnsafe(
    `CREATE TABLE "_fuzz_write" (id bigserial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL)`,
  );
  await db.$executeRawUnsafe(`
    CREATE FUNCTION "_fuzz_log_write"() RETURNS trigger LANGUAGE plpgsql AS $f$
    BEGIN
      IF TG_TABLE_NAME = 'Session' AND TG_OP = 'UPDATE'
         AND to_jsonb(NEW) - 'lastSeenAt' - 'expiresAt' = to_jsonb(OLD) - 'lastSeenAt' - 'expiresAt'
      THEN RETURN NULL; END IF;
      INSERT INTO "_fuzz_write" (tbl, op) VALUES (TG_TABLE_NAME, TG_OP);
      RETURN NULL;
    END $f$`);
  for (const t of tables)
    await db.$executeRawUnsafe(
      `CREATE TRIGGER "_fuzz_log_write" AFTER INSERT OR UPDATE OR DELETE ON "${t}"
       FOR EACH ROW EXECUTE FUNCTION "_fuzz_log_write"()`,
    );
  return tables;
}

type Before = {
  mark: string;
  /** The last audit event: the events a case appends must link to it. */
  head: { seq: bigint; hash: string } | null;
};

export async function before(): Promise<Before> {
  const [row] = await db.$queryRawUnsafe<{ mark: string; head: string | null }[]>(
    `SELECT (SELECT coalesce(max(id), 0)::text FROM "_fuzz_write") AS mark,
       (SELECT seq::text || ':' || hash FROM "AuditEvent" ORDER BY seq DESC LIMIT 1) AS head`,
  );
  const [seq, hash] = (row!.head ?? "").split(":");
  return { mark: row!.mark, head: seq ? { seq: BigInt(seq), hash: hash! } : null };
}

/** The writes since `before`, per table ("AuditEvent": "INSERT×2"). */
export async function writesSince(b: Before): Promise<Record<string, string>> {
  const rows = await db.$queryRawUnsafe<{ tbl: string; op: string; n: number }[]>(
    `SELECT tbl, op, count(*)::int AS n FROM "_fuzz_write" WHERE id > ${BigInt(b.mark)}
     GROUP BY tbl, op ORDER BY tbl, op`,
  );
  const out: Record<string, string> = {};
  for (const r of rows) out[r.tbl] = [out[r.tbl], `${r.op}×${r.n}`].filter(Boolean).join(", ");
  return out;
}

/** Every table's row count: the log above is checked against it once per action. */
export async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const [row] = await db.$queryRawUnsafe<Record<string, number>[]>(
    `SELECT ${TABLES.map((t, i) => `(SELECT count(*)::int FROM "${t}") AS c${i}`).join(", ")}`,
  );
  TABLES.forEach((t, i) => (out[t] = row![`c${i}`]!));
  return out;
}

/**
 * The events a case appended link to the head before it and match their hashes. Checking only the
 * new tail per case keeps each case cheap (the whole chain grows to thousands of events); the whole
 * chain is verified after each action's run, which also catches an edit to an older event.
 */
export async function verifyAuditTail(head: { seq: bigint; hash: string } | null) {
  const rows = await db.auditEvent.findMany({
    where: head ? { seq: { gt: head.seq } } : {},
    orderBy: { seq: "asc" },
  });
  let prev = head?.hash ?? GENESIS_HASH;
  for (const row of rows) {
    if (row.prevHash !== prev) return `event #${row.seq} does not link to the one before it`;
    if (!personalIntact(row) || expectedHash(prev, row) !== row.hash)
      return `event #${row.seq} does not match its hash`;
    prev = row.hash;
  }
  return null;
}

/** The status an action's answer means; a thrown `data()` counts like a returned one. */
export async function outcomeOf(run: () => Promise<unknown>) {
  try {
    return await statusOf(run);
  } catch (error) {
    const init = error as { type?: string; init?: { status?: number } } | null;
    if (init?.type === "DataWithResponseInit") return { status: init.init?.status ?? 200 };
    throw error;
  }
}

// --- the world ----------------------------------------------------------------------------------

export let world: SpecWorld;
export let TABLES: string[] = [];
export let specs: Record<string, ActionSpec>;
export let recordIds: { users: string[]; others: string[] };
export let personaKeys: PersonaKey[];

/** The fuzz world, its specs and the write log on this file's database, for the file that calls it. */
export function setUpFuzzWorld() {
  beforeAll(async () => {
    const f = await createFuzzWorld();
    const notificationIds = (await db.notification.findMany({ select: { id: true } })).map(
      (n) => n.id,
    );
    const invitationIds = (await db.workspaceInvitation.findMany({ select: { id: true } })).map(
      (i) => i.id,
    );
    world = { ...f, notificationIds, invitationIds };
    specs = buildSpecs(world);
    recordIds = await allRecordIds();
    personaKeys = Object.keys(f.people) as PersonaKey[];
    TABLES = await instrumentWrites();
  }, 120_000);
}
