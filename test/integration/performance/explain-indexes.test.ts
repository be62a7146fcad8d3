import { beforeAll, describe, expect, inject, test } from "vitest";
import { db } from "~/lib/db.server";
import { createQueryWorld, loadPage, PAGES } from "#test/support/query-count-world";
import { logQueries, oneLine } from "#test/support/query-log";

// Every read the main pages send is served by an index. The pages of query-count.test.ts are
// loaded once (same world, same users) and every SELECT they send is captured at the driver with
// its parameters (query-log.ts); each distinct statement is then planned with EXPLAIN (FORMAT JSON)
// twice, inside a transaction: with SET LOCAL enable_seqscan = off, and with enable_sort = off as
// well. Checked, on the tables that grow with use:
//
// - no Seq Scan (first plan): with sequential scans priced out, a Seq Scan that remains is one no
//   index can replace, i.e. nothing indexes what the statement filters by;
// - no full index scan (an Index Scan with no Index Cond) in both plans, unless it feeds a Limit
//   in index order and so stops after one page: otherwise it is a Seq Scan in disguise;
// - no Sort under a Limit (second plan): with sorting priced out too, a Sort that remains means no
//   index gives the order, and a paginated list sorts every candidate row to return one page. An
//   Incremental Sort (index order, ties broken by id) is fine.
//
// Why these settings are honest: on a test database of a few dozen rows, a sequential scan and an
// in-memory sort are the cheapest plan for everything, so the planner's real choice says nothing
// about 20,000 profiles. The settings do not invent indexes or make an unusable index usable; they
// only add a huge cost to the node, so PostgreSQL still falls back to it when nothing else can
// answer the statement, and that is what fails. They say nothing about whether the planner would
// prefer the index at production size; the scale benchmark (npm run bench) covers speed.
//
// Runs on PostgreSQL only: the PGlite run is the embedded development database, and plans are
// checked against the server the portal is deployed on.

/** Tables that stay small whatever the use: a scan of them is fine. */
const SMALL_TABLES = new Set([
  "Institute",
  "ExpertiseArea",
  "DirectoryState",
  "ChecklistTemplate",
  "ChecklistTemplateItem",
  "JobRun",
]);

/**
 * Known whole-table reads and in-memory sorts, each with why; matched by statement text and
 * problem. Each is listed so that a new one fails, not to call these fine.
 *
 * Not to be added back: a relation `_count` in a Prisma select is a LEFT JOIN to `SELECT fk,
 * COUNT(*) FROM child GROUP BY fk`, which PostgreSQL cannot restrict to the parent rows, so it
 * counts the whole child table; the services count with a groupBy (or one statement of
 * correlated counts) over the listed ids instead.
 */
const WHOLE_TABLE_READS: { match: RegExp; problem: string; why: string }[] = [
  {
    match:
      /^SELECT COUNT\(\*\) AS "_count\$_all" FROM \(SELECT "public"\."User"\."id" FROM "public"\."User" WHERE "public"\."User"\."deactivatedAt" IS NULL OFFSET/,
    problem: "User",
    why: "admin users: the pager's total counts every active user",
  },
  {
    match: /AS "sharedExpertise"/,
    problem: "Profile",
    why: "home: suggested collaborators scores every profile open to collaboration by overlap (directory domain; see the scale benchmark)",
  },
  {
    // The same statement: every profile it scores is joined to its active user, so the planner
    // may read the active users whole rather than one by one; which it picks varies with the
    // statistics of the run.
    match: /AS "sharedExpertise"/,
    problem: "User",
    why: "home: suggested collaborators joins every profile open to collaboration to its active user",
  },
  {
    // listPlacements (relations joined in, so its secondee and posting appear in the plan too).
    match:
      /^SELECT "t0"\."id", "t0"\."status"::text, "t0"\."startDate", "t0"\."secondeeId", "Placement_secondee"\./,
    problem: "Sort under Limit of Placement",
    why: "placements list: the actor's placements, found by one index per role (OR-ed bitmaps), are sorted by start date for the 500 cap; no index orders an OR. A person's few, or one institute's for HR, never the table",
  },
  {
    // listMyWorkspaces.
    match:
      /^SELECT "t0"\."id", "t0"\."name", "t0"\."marking"::text, "t0"\."kind"::text, "t0"\."version", "t0"\."restrictedToInstituteId", "Workspace_restrictedTo"\./,
    problem: "Sort under Limit of WorkspaceMember, Workspace",
    why: "workspaces list: the actor's workspaces, found by the membership index on userId, are sorted by last update for the 200 cap; a person belongs to a few, never the table",
  },
];

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  "Recheck Cond"?: string;
  Filter?: string;
  "Parent Relationship"?: string;
  Plans?: PlanNode[];
};

type Statement = { pages: string[]; sql: string; params: unknown[] };
type Finding = { statement: Statement; indexes: string[]; problems: string[]; exempt: string[] };

function walk(
  node: PlanNode,
  visit: (n: PlanNode, ancestors: PlanNode[]) => void,
  ancestors: PlanNode[] = [],
) {
  visit(node, ancestors);
  for (const child of node.Plans ?? []) walk(child, visit, [node, ...ancestors]);
}

/**
 * Rows read in index order straight into a Limit (maybe through a projection, an Incremental
 * Sort on a tie-breaker, or as the outer side of a nested loop): the scan stops after one page.
 */
function feedsLimit(node: PlanNode, ancestors: PlanNode[]) {
  let child = node;
  for (const above of ancestors) {
    if (above["Node Type"] === "Limit") return true;
    // A nested loop emits its outer rows in their order: the Limit still stops the scan (this is
    // how a page of rows gets its relations joined in, one LATERAL lookup per row).
    const inOrder =
      ["Result", "Incremental Sort"].includes(above["Node Type"]) ||
      (above["Node Type"] === "Nested Loop" && child["Parent Relationship"] === "Outer");
    if (!inOrder) return false;
    child = above;
  }
  return false;
}

/** Growing tables the subtree reads (a CTE Scan reads a set already built, not a table). */
function growingTables(node: PlanNode): string[] {
  const out: string[] = [];
  walk(node, (n) => {
    const t = n["Relation Name"];
    if (t && !SMALL_TABLES.has(t)) out.push(t);
  });
  return out;
}

/**
 * Problems in the plans of one statement: `scans` planned with enable_seqscan = off, `sorts` also
 * with enable_sort = off (so a Sort that remains is one no index can replace).
 */
function check(statement: Statement, scans: PlanNode, sorts: PlanNode): Finding {
  const indexes = new Set<string>();
  const found: string[] = [];
  // A full index scan is one only if the planner cannot avoid it even when free to read in index
  // order instead of sorting: under enable_sort = off, one that feeds a Limit stops after a page.
  const fullScans = (plan: PlanNode) => {
    const out = new Map<string, string>();
    walk(plan, (n, ancestors) => {
      const table = n["Relation Name"];
      if (table === undefined || SMALL_TABLES.has(table)) return;
      if (
        (n["Node Type"] === "Index Scan" || n["Node Type"] === "Index Only Scan") &&
        !n["Index Cond"] &&
        !feedsLimit(n, ancestors)
      )
        out.set(
          table,
          `full scan of ${table} by ${n["Index Name"]}${n.Filter ? ` (filter ${n.Filter})` : ""}`,
        );
    });
    return out;
  };
  // Indexes used to find rows; those only the no-sort plan uses give the order.
  walk(sorts, (n) => {
    if (n["Index Name"]) indexes.add(`order: ${n["Index Name"]}`);
  });
  walk(scans, (n) => {
    if (n["Index Name"]) {
      indexes.delete(`order: ${n["Index Name"]}`);
      indexes.add(n["Index Name"]);
    }
    const table = n["Relation Name"];
    if (table === undefined || SMALL_TABLES.has(table)) return;
    if (n["Node Type"] === "Seq Scan")
      found.push(`Seq Scan on ${table}${n.Filter ? ` (filter ${n.Filter})` : ""}`);
  });
  const unordered = fullScans(sorts);
  for (const [table, problem] of fullScans(scans)) if (unordered.has(table)) found.push(problem);
  walk(sorts, (n, ancestors) => {
    const above = ancestors.find((a) => a["Node Type"] !== "Result");
    if (n["Node Type"] !== "Sort" || above?.["Node Type"] !== "Limit") return;
    const tables = growingTables(n);
    if (tables.length)
      found.push(
        `Sort under Limit of ${[...new Set(tables)].join(", ")}: no index gives the order`,
      );
  });
  const problems: string[] = [];
  const exempt: string[] = [];
  for (const problem of found) {
    const allowed = WHOLE_TABLE_READS.find(
      (w) => w.match.test(statement.sql) && problem.includes(w.problem),
    );
    if (allowed) exempt.push(`${problem}: ${allowed.why}`);
    else problems.push(problem);
  }
  return { statement, indexes: [...indexes].sort(), problems, exempt };
}

async function explain(sql: string, params: unknown[], noSort = false): Promise<PlanNode> {
  const rows = await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
    if (noSort) await tx.$executeRawUnsafe("SET LOCAL enable_sort = off");
    return tx.$queryRawUnsafe<Record<string, unknown>[]>(`EXPLAIN (FORMAT JSON) ${sql}`, ...params);
  });
  const raw = Object.values(rows[0]!)[0];
  const json = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  return json[0]!.Plan;
}

/** The table a statement reads first, for the report. */
const mainTable = (sql: string) =>
  /FROM\s+(?:"public"\.)?"(\w+)"/i.exec(sql)?.[1] ?? /FROM\s+(\w+)/i.exec(sql)?.[1] ?? "?";

const onPostgres = inject("dbKind") === "postgres";
if (!onPostgres)
  console.log(
    "explain-indexes: skipped on PGlite (plans are checked on PostgreSQL, the deployed server)",
  );

describe.skipIf(!onPostgres)(
  "every read of the main pages is served by an index (PostgreSQL)",
  () => {
    const findings: Finding[] = [];

    beforeAll(async () => {
      const world = await createQueryWorld();
      await world.grow(2);
      // Distinct statements (same text = same plan shape), with the pages that send them.
      const statements = new Map<string, Statement>();
      for (const page of PAGES) {
        const { queries } = await logQueries(() => loadPage(world, page));
        for (const q of queries) {
          if (!/^\s*(SELECT|WITH)\b/i.test(q.sql)) continue;
          const seen = statements.get(q.sql);
          if (seen) {
            if (!seen.pages.includes(page.name)) seen.pages.push(page.name);
          } else statements.set(q.sql, { pages: [page.name], sql: q.sql, params: q.params });
        }
      }
      for (const s of statements.values()) {
        const finding = check(
          s,
          await explain(s.sql, s.params),
          await explain(s.sql, s.params, true),
        );
        findings.push(finding);
        // EXPLAIN_LOG=1 prints each failing statement in full, with its plan.
        if (process.env.EXPLAIN_LOG && finding.problems.length)
          console.log(
            `\n${s.pages.join(", ")}\n${s.sql}\n${JSON.stringify(s.params)}\n${(
              await db.$transaction(async (tx) => {
                await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
                await tx.$executeRawUnsafe("SET LOCAL enable_sort = off");
                return tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
                  `EXPLAIN ${s.sql}`,
                  ...s.params,
                );
              })
            )
              .map((r) => r["QUERY PLAN"])
              .join("\n")}`,
          );
      }

      const rows = findings.map((f) => [
        `${mainTable(f.statement.sql)} (${f.statement.pages[0]}${f.statement.pages.length > 1 ? ` +${f.statement.pages.length - 1}` : ""})`,
        f.problems.length
          ? `FAIL ${f.problems.join("; ")}`
          : f.indexes.join(", ") || "(small tables only)",
      ]);
      const width = Math.max(...rows.map((r) => r[0]!.length));
      console.log(
        [
          `${findings.length} distinct statements, planned with enable_seqscan = off: query -> index used`,
          ...rows.map((r) => `${r[0]!.padEnd(width)}  ${r[1]}`),
          ...findings.flatMap((f) =>
            f.exempt.map((e) => `exempt: ${mainTable(f.statement.sql)}: ${e}`),
          ),
        ].join("\n"),
      );
    }, 120_000);

    test("the pages send reads to check", () => {
      expect(findings.length).toBeGreaterThan(30);
    });

    test("no growing table is scanned whole, and no page of a list is sorted in memory", () => {
      const failures = findings
        .filter((f) => f.problems.length)
        .map(
          (f) =>
            `${f.problems.join("; ")}\n    pages: ${f.statement.pages.join(", ")}\n    ${oneLine(f.statement.sql, 400)}`,
        );
      expect(failures, failures.join("\n\n")).toEqual([]);
    });
  },
);
