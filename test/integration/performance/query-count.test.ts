import { beforeAll, describe, expect, inject, test } from "vitest";
import {
  createQueryWorld,
  loadPage,
  PAGES,
  type QueryWorld,
} from "#test/support/query-count-world";
import { logQueries, oneLine, type LoggedQuery } from "#test/support/query-log";

// No N+1: every main page is loaded (all its loaders, as Remix runs them for one request, as a
// signed-in user of the right role) at a small data size and again after every related row has
// been multiplied by four. The number of SQL statements the app sends (counted at the driver,
// see query-log.ts: a transaction's BEGIN and COMMIT count, so does the session lookup) must be
// the same at both sizes, and within the page's budget below. A count that grows with the data is
// a query per row; a count over budget is a page that has quietly gained work.

const SMALL = 2;
const LARGE = 8;

/**
 * Statements a page may send. Today's counts (with Prisma's relationJoins, and the session read
 * with the header's unread count in one join); raise one only with a reason.
 */
const BUDGET: Record<string, number> = {
  "directory: search": 3,
  "directory: facets": 3,
  "postings: filtered": 5,
  // One more than a `_count` join: application counts of the listed postings, by groupBy.
  "postings: manage (HR)": 3,
  "posting pipeline (HR)": 3,
  "application (applicant)": 3,
  "application (usHr)": 3,
  "application (ukHr)": 3,
  "application (reviewer)": 3,
  "application (manager)": 3,
  "placement + checklist (applicant)": 3,
  "placement + checklist (usHr)": 4,
  "placement + checklist (ukHr)": 3,
  // A first view since the workspace changed (each size is measured just after the world grew):
  // the read check, then the page's own reads. A repeated view is served by the workspace
  // content cache and sends the session and the read check only (workspace-cache.test.ts).
  "workspace home": 4,
  "workspace page": 4,
  "workspace page history": 3,
  "workspace tasks": 7,
  "workspace activity": 8,
  "home (staff)": 2,
  // One more than computing the figures: the cache's version, read first (a changed world misses).
  "HR dashboard (host)": 4,
  "HR dashboard (filtered)": 4,
  "HR dashboard (home)": 4,
  notifications: 3,
  "applications list (applicant)": 4,
  "applications list (manager)": 4,
  "applications list (ukHr)": 5,
  "applications list (reviewer)": 4,
  // One more: the actor's reports first, so that every branch of the visibility OR is indexed.
  "placements list (applicant)": 3,
  "placements list (usHr)": 3,
  tasks: 2,
  // One more than a `_count` join: members and open tasks of the listed workspaces.
  "workspaces list": 4,
  "admin audit log": 4,
  "admin audit log (filtered)": 4,
  // One more than a `_count` join: people per institute (listInstitutes), by groupBy.
  "admin users": 5,
  "admin users (filtered)": 5,
};

type Measured = { count: number; queries: LoggedQuery[] };
const small = new Map<string, Measured>();
const large = new Map<string, Measured>();

async function measureAll(world: QueryWorld, into: Map<string, Measured>) {
  await world.signIn();
  for (const page of PAGES) {
    const { queries } = await logQueries(() => loadPage(world, page));
    into.set(page.name, { count: queries.length, queries });
  }
}

beforeAll(async () => {
  const world = await createQueryWorld();
  // One load of every page first: module-level lazy set-up is not a page's steady cost.
  await world.signIn();
  for (const page of PAGES) await loadPage(world, page);
  await world.grow(SMALL);
  await measureAll(world, small);
  await world.grow(LARGE - SMALL);
  await measureAll(world, large);

  const rows = PAGES.map((p) => [
    p.name,
    String(small.get(p.name)!.count),
    String(large.get(p.name)!.count),
    String(BUDGET[p.name] ?? "-"),
  ]);
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(...[["page", "small", "large", "budget"], ...rows].map((r) => r[i]!.length)),
  );
  const line = (r: string[]) =>
    r.map((c, i) => (i ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  console.log(
    [
      `Queries per page on ${inject("dbKind")} (sizes ${SMALL} and ${LARGE}):`,
      line(["page", "small", "large", "budget"]),
      ...rows.map(line),
    ].join("\n"),
  );
  // QUERY_LOG=1 prints each page's statements too.
  if (process.env.QUERY_LOG)
    for (const p of PAGES)
      console.log(
        `\n${p.name}:\n${large
          .get(p.name)!
          .queries.map((q) => `  ${oneLine(q.sql, 200)}  ${JSON.stringify(q.params).slice(0, 80)}`)
          .join("\n")}`,
      );
}, 180_000);

describe.each(PAGES.map((p) => [p.name]))("%s", (name) => {
  test("sends as many statements with 4x the data", () => {
    const a = small.get(name)!;
    const b = large.get(name)!;
    expect(
      b.count,
      `${name}: ${a.count} statements at size ${SMALL}, ${b.count} at size ${LARGE}:\n` +
        b.queries.map((q) => `  ${oneLine(q.sql)}`).join("\n"),
    ).toBe(a.count);
  });

  test("stays within its budget", () => {
    const budget = BUDGET[name];
    expect(budget, `no budget for ${name}`).toBeDefined();
    expect(large.get(name)!.count).toBeLessThanOrEqual(budget!);
  });
});
