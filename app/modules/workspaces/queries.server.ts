import { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import type { Tx } from "./access.server";

// Hand-written SQL reads of the workspaces module. Each runs after its caller's access check and
// returns rows; the caller shapes them.

/**
 * Members and open tasks of the listed workspaces, in one statement, each count served by an index
 * on the workspace: a relation `_count` in the select would count every workspace's.
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md, "Members and open tasks".
 */
export async function countMembersAndOpenTasks(workspaceIds: string[]) {
  if (!workspaceIds.length) return new Map<string, { members: number; openTasks: number }>();
  const rows = await db.$queryRaw<{ id: string; members: number; openTasks: number }[]>`
    SELECT w.id,
      (SELECT COUNT(*)::int FROM "WorkspaceMember" m WHERE m."workspaceId" = w.id) AS members,
      (SELECT COUNT(*)::int FROM "WorkspaceTask" t
        WHERE t."workspaceId" = w.id AND t.status <> 'DONE') AS "openTasks"
    FROM unnest(${workspaceIds}::text[]) AS w(id)`;
  return new Map(rows.map((r) => [r.id, { members: r.members, openTasks: r.openTasks }]));
}

/** One row per version listed or comparable, each with the page's title, version and count. */
export type PageHistoryRow = {
  pageTitle: string;
  current: number;
  total: number;
  listed: boolean | null;
  version: number | null;
  title: string | null;
  createdAt: Date | null;
  authorName: string | null;
  body: string | null;
};

/**
 * The page, the metadata of the versions on the asked page of the list (the last one if it asks
 * beyond) with their authors' names, and the bodies of only the versions the comparison can
 * resolve to, in one statement. No row: no such page in this workspace.
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md, "Page history".
 */
export async function pageHistoryRows(
  workspaceId: string,
  pageId: string,
  compare: { from: number; to: number; list: number },
  size: number,
) {
  // `to` is the asked version if it exists, else the current one; `from` the asked one if it
  // exists, else the one before `to` (or 1). So these are the only bodies that can be compared.
  const comparable = Prisma.sql`(${compare.from}::int, ${compare.to}::int, ${compare.to}::int - 1,
    p.version, p.version - 1, 1)`;
  return db.$queryRaw<PageHistoryRow[]>`
    WITH p AS (
      SELECT p.id, p.title, p.version,
        (SELECT count(*)::int FROM "PageVersion" c WHERE c."pageId" = p.id) AS total
      FROM "WorkspacePage" p
      WHERE p.id = ${pageId} AND p."workspaceId" = ${workspaceId}
    )
    SELECT p.title AS "pageTitle", p.version AS current, p.total, v.listed, v.version, v.title,
      v."createdAt", u."displayName" AS "authorName",
      CASE WHEN v.version IN ${comparable} THEN v.body END AS body
    FROM p
    LEFT JOIN LATERAL (
      (SELECT x.*, true AS listed FROM "PageVersion" x WHERE x."pageId" = p.id
        ORDER BY x.version DESC
        OFFSET LEAST((${compare.list}::int - 1) * ${size}::int,
          GREATEST(p.total - 1, 0) / ${size}::int * ${size}::int)
        LIMIT ${size}::int)
      UNION ALL
      (SELECT x.*, false FROM "PageVersion" x
        WHERE x."pageId" = p.id AND x.version IN ${comparable})
    ) v ON true
    LEFT JOIN "User" u ON u.id = v."authorId"
    ORDER BY v.version DESC, v.listed DESC`;
}

/** A search hit as the database ranks it: `headline` marks matches as headlineOptions says. */
export type WorkspaceSearchRow = {
  kind: string;
  id: string;
  title: string;
  headline: string;
  threadId: string | null;
  rank: number;
};

/**
 * The 50 best matches among the workspace's pages, comments and tasks (PostgreSQL text search).
 * Why SQL: Prisma has no text search; docs/decisions/008-hand-written-sql-reads.md leaves it out.
 */
export async function workspaceSearchRows(tx: Tx, workspaceId: string, q: string, options: string) {
  return tx.$queryRaw<WorkspaceSearchRow[]>(Prisma.sql`
      WITH query AS (SELECT websearch_to_tsquery('english', ${q}) AS q)
      SELECT * FROM (
        SELECT 'page' AS kind, p.id, p.title, NULL AS "threadId",
          ts_headline('english', p.body, query.q, ${options}) AS headline,
          ts_rank(setweight(to_tsvector('english', p.title), 'A') || to_tsvector('english', p.body), query.q) AS rank
        FROM "WorkspacePage" p, query
        WHERE p."workspaceId" = ${workspaceId}
          AND (setweight(to_tsvector('english', p.title), 'A') || to_tsvector('english', p.body)) @@ query.q
        UNION ALL
        SELECT 'comment', c.id, t.title, t.id,
          ts_headline('english', c.body, query.q, ${options}),
          ts_rank(to_tsvector('english', c.body), query.q)
        FROM "Comment" c JOIN "DiscussionThread" t ON t.id = c."threadId", query
        WHERE c."workspaceId" = ${workspaceId}
          AND (to_tsvector('english', c.body) || to_tsvector('english', t.title)) @@ query.q
        UNION ALL
        SELECT 'task', k.id, k.title, NULL,
          ts_headline('english', k.title, query.q, ${options}),
          ts_rank(to_tsvector('english', k.title), query.q)
        FROM "WorkspaceTask" k, query
        WHERE k."workspaceId" = ${workspaceId} AND to_tsvector('english', k.title) @@ query.q
      ) hits
      ORDER BY rank DESC, id
      LIMIT 50`);
}
