import path from "node:path";
import { parseArgs } from "node:util";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
// Renamed: not a React hook, whatever the lint rule infers from "use…".
import { openDatabase, useDatabase as setAppDatabase } from "~/lib/db.server";
import { searchDirectory, suggestedCollaborators } from "~/modules/directory/directory.server";
import { parseDirectorySearch } from "~/modules/directory/search-schema";
import { searchPaths } from "./queries";

// Where a directory search spends its time, without HTTP: runs the directory's own service
// functions for the bench's search URLs against the bench data directory, records every SQL
// statement they send (with its time), and prints EXPLAIN ANALYZE for the slowest of each kind.
// The server must NOT be running on that directory (PGlite allows one process at a time).
//
//   npx tsx scripts/bench/explain.ts [--data-dir ./data/bench] [--as email] [--plans 3]

const { values: opts } = parseArgs({
  options: {
    "data-dir": { type: "string", default: "./data/bench" },
    as: { type: "string", default: "sam.okafor@us-aisi.example" },
    plans: { type: "string", default: "3" },
    only: { type: "string" },
  },
});

type Statement = { sql: string; params: unknown[]; ms: number };
let recorded: Statement[] = [];

const pglite = await PGlite.create(path.resolve(opts["data-dir"], "pglite"), {
  extensions: { pg_trgm },
});
type Query = PGlite["query"];
const timed = (query: Query, self: object): Query =>
  (async (sql: string, params?: unknown[], options?: Parameters<Query>[2]) => {
    const started = performance.now();
    try {
      return await query.call(self, sql, params, options);
    } finally {
      recorded.push({ sql, params: params ?? [], ms: performance.now() - started });
    }
  }) as Query;
pglite.query = timed(pglite.query, pglite);
const transaction = pglite.transaction.bind(pglite);
pglite.transaction = (callback) =>
  transaction((tx: Transaction) => {
    tx.query = timed(tx.query, tx);
    return callback(tx);
  });

const database = await openDatabase({ kind: "pglite", pglite });
setAppDatabase(database);

const viewer = await database.prisma.user.findUniqueOrThrow({
  where: { email: opts.as },
  select: { id: true, email: true, roles: true, instituteId: true },
});

const institutes = await database.prisma.institute.findMany({ select: { id: true, code: true } });
const expertise = await database.prisma.expertiseArea.findMany({
  where: { retiredAt: null },
  select: { id: true, name: true },
  orderBy: { name: "asc" },
});
const locations = await database.prisma.profile.groupBy({
  by: ["location"],
  where: { location: { not: "" } },
  _count: { _all: true },
  orderBy: { _count: { location: "desc" } },
  take: 10,
});
const names = await database.prisma.$queryRaw<{ displayName: string }[]>`
  SELECT u."displayName" FROM "Profile" p JOIN "User" u ON u."id" = p."userId"
  WHERE u."deactivatedAt" IS NULL ORDER BY md5(u."id") LIMIT 12`;
const paths = searchPaths({
  institutes,
  expertise,
  locations: locations.map((l) => l.location),
  names: names.map((n) => n.displayName),
}).filter((p) => !opts.only || p.path.includes(opts.only));

/** The statement's role in a search, from its text. */
function kindOf(sql: string) {
  if (sql.includes("UNION ALL")) return "facets";
  if (sql.includes("OVER ()")) return "hits";
  if (sql.includes("INTERSECT")) return "suggestions";
  if (sql.includes("set_config")) return "set_config";
  if (/^\s*(BEGIN|COMMIT)/i.test(sql)) return "transaction";
  if (sql.includes("count(*) AS n")) return "count";
  return "other";
}

type Row = { kind: string; path: string; totalMs: number; statements: Statement[] };
const rows: Row[] = [];
for (const { kind, path: url } of paths) {
  const search = parseDirectorySearch(new URL(url, "http://x").searchParams);
  // Twice: the first run warms caches; the second is the one reported.
  for (let round = 0; round < 2; round++) {
    recorded = [];
    const started = performance.now();
    await Promise.all([
      searchDirectory(viewer, search),
      search.q || search.page > 1 ? Promise.resolve([]) : suggestedCollaborators(viewer),
    ]);
    if (round === 1)
      rows.push({ kind, path: url, totalMs: performance.now() - started, statements: recorded });
  }
}

rows.sort((a, b) => b.totalMs - a.totalMs);
console.log(`Searches as ${viewer.email}, slowest first (service call; SQL per statement kind):\n`);
for (const row of rows) {
  const byKind = new Map<string, number>();
  for (const s of row.statements)
    byKind.set(kindOf(s.sql), (byKind.get(kindOf(s.sql)) ?? 0) + s.ms);
  const parts = [...byKind].map(([k, ms]) => `${k} ${ms.toFixed(0)}`).join(", ");
  console.log(
    `${row.totalMs.toFixed(0).padStart(6)} ms  ${row.kind.padEnd(28)} ${row.path}\n          ${parts}`,
  );
}
const total = (kind: string) =>
  rows.reduce(
    (n, r) => n + r.statements.filter((s) => kindOf(s.sql) === kind).reduce((m, s) => m + s.ms, 0),
    0,
  );
const all = rows.reduce((n, r) => n + r.totalMs, 0);
console.log(
  `\nMean per search: ${(all / rows.length).toFixed(1)} ms; of which hits ${(total("hits") / rows.length).toFixed(1)}, facets ${(total("facets") / rows.length).toFixed(1)}, suggestions ${(total("suggestions") / rows.length).toFixed(1)} ms`,
);

// EXPLAIN ANALYZE the slowest searches' expensive statements, with the same parameters.
await pglite.exec(`SET pg_trgm.word_similarity_threshold = 0.45`);
for (const row of rows.slice(0, Number(opts.plans))) {
  for (const s of row.statements.filter((st) =>
    ["hits", "facets", "suggestions", "count"].includes(kindOf(st.sql)),
  )) {
    let plan;
    try {
      plan = await pglite.query<{ "QUERY PLAN": string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`,
        s.params,
      );
    } catch (error) {
      console.log(
        `\n=== ${row.path}: could not explain (${(error as Error).message}) ===\n${s.sql.slice(0, 300)}`,
      );
      continue;
    }
    console.log(`\n=== ${row.path} — ${kindOf(s.sql)} (${s.ms.toFixed(0)} ms when run) ===`);
    console.log(plan.rows.map((r) => r["QUERY PLAN"]).join("\n"));
  }
}

await database.close();
