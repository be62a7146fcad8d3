import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { spendRateLimit } from "~/lib/rate-limits.server";
import type { Actor } from "~/lib/permissions";
import { notFound, stale, type Refusal, type ServiceResult } from "~/lib/service";
import { renderMarkdown } from "~/lib/markdown.server";
import { sharedWorkspaceCache, type CacheOption } from "./content-cache.server";
import { pageDiff } from "./diff";
import { MARKING_LABELS } from "./rules";
import { pageHistoryRows } from "./queries.server";
import type { PageInput, PageSaveInput } from "./schema";
import { access, sharedReadAccess, type Tx } from "./access.server";
import { actorNames, logActivity, touchWorkspace } from "./activity.server";
import { namedThreads, threadPeople, THREADS_QUERY } from "./discussion.server";

// A workspace's pages: the list, a page with its discussions, editing with a version check, and
// the history of versions. Every function starts with the access check (access.server.ts).

export async function listPages(actor: Actor, workspaceId: string) {
  return db.$transaction(async (tx) => {
    const { role } = await access(tx, actor, workspaceId, "read");
    const pages = await tx.workspacePage.findMany({
      where: { workspaceId },
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      select: { id: true, title: true, version: true, updatedAt: true, updatedById: true },
    });
    const names = await actorNames(
      tx,
      pages.map((p) => p.updatedById),
    );
    return {
      role,
      pages: pages.map((p) => ({ ...p, updatedByName: names.get(p.updatedById) ?? "" })),
    };
  });
}

export async function createPage(
  actor: Actor,
  workspaceId: string,
  input: PageInput,
): Promise<ServiceResult<{ pageId: string }>> {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "edit");
    const limited = await spendRateLimit("pagesPerPerson", actor.id, tx);
    if (limited) return limited;
    const page = await tx.workspacePage.create({
      data: {
        workspaceId,
        title: input.title,
        body: input.body,
        updatedById: actor.id,
        versions: {
          create: { version: 1, title: input.title, body: input.body, authorId: actor.id },
        },
      },
      select: { id: true },
    });
    await touchWorkspace(tx, workspaceId);
    await logActivity(
      tx,
      workspaceId,
      actor,
      "page.created",
      `created the page “${input.title}”`,
      `/pages/${page.id}`,
    );
    return { ok: true, pageId: page.id };
  });
}

/** What a page view and an edit read of a page. */
const PAGE_SELECT = {
  id: true,
  title: true,
  body: true,
  version: true,
  updatedAt: true,
  updatedById: true,
} satisfies Prisma.WorkspacePageSelect;

async function loadPage(tx: Tx, workspaceId: string, pageId: string) {
  const page = await tx.workspacePage.findFirst({
    where: { id: pageId, workspaceId },
    select: PAGE_SELECT,
  });
  if (!page) throw notFound();
  return page;
}

/**
 * A page rendered (safely), with its discussion threads. After the read check (shared with the
 * layout), the same for every member, from the content cache (content-cache.server.ts) or, on a
 * miss, two statements (readPage). The viewer's role comes from the read check.
 */
export async function getPage(
  actor: Actor,
  workspaceId: string,
  pageId: string,
  { cache = sharedWorkspaceCache() }: CacheOption = {},
) {
  const { role, workspace } = await sharedReadAccess(actor, workspaceId);
  const view = await cache.read(workspace, ["page", pageId], () => readPage(workspaceId, pageId));
  return { role, ...view };
}

/** One statement for the page and its threads with their comments, one for the names. */
async function readPage(workspaceId: string, pageId: string) {
  const page = await db.workspacePage.findFirst({
    where: { id: pageId, workspaceId },
    select: {
      ...PAGE_SELECT,
      // By the workspace too, as the discussion list reads them: its index gives the order.
      threads: { ...THREADS_QUERY, where: { workspaceId } },
    },
  });
  if (!page) throw notFound();
  const { threads, ...current } = page;
  const names = await actorNames(db, [current.updatedById, ...threadPeople(threads)]);
  return {
    page: {
      ...current,
      html: renderMarkdown(current.body, { topHeading: 2 }),
      updatedByName: names.get(current.updatedById) ?? "",
    },
    threads: namedThreads(threads, names),
  };
}

/** The page as the editor opens it: source text and the version the edit starts from. */
export async function getPageForEdit(actor: Actor, workspaceId: string, pageId: string) {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "edit");
    const page = await loadPage(tx, workspaceId, pageId);
    return { id: page.id, title: page.title, body: page.body, version: page.version };
  });
}

/** A stale save: the refusal, with their version and the difference, to merge by hand. */
export type PageConflict = Refusal & {
  conflict: true;
  current: { title: string; body: string; version: number; updatedByName: string };
  diff: ReturnType<typeof pageDiff>;
};

/**
 * Saves a new version. The save names the version it started from; if someone saved since, nothing
 * is written and the editor gets both texts and the difference, to merge by hand.
 */
export async function savePage(
  actor: Actor,
  workspaceId: string,
  pageId: string,
  input: PageSaveInput,
): Promise<ServiceResult | PageConflict> {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "edit");
    const page = await loadPage(tx, workspaceId, pageId);
    const conflict = async (): Promise<PageConflict> => {
      const current = await loadPage(tx, workspaceId, pageId);
      const names = await actorNames(tx, [current.updatedById]);
      const by = names.get(current.updatedById) ?? "someone";
      return {
        ...stale(
          `${by} saved this page (version ${current.version}) after you started editing. Your text is not saved: compare it with theirs below, merge, and save again.`,
        ),
        current: {
          title: current.title,
          body: current.body,
          version: current.version,
          updatedByName: by,
        },
        diff: pageDiff(current.body, input.body),
      };
    };
    if (input.baseVersion !== page.version) return conflict();
    if (input.title === page.title && input.body === page.body) return { ok: true };
    const next = page.version + 1;
    const updated = await tx.workspacePage.updateMany({
      where: { id: pageId, version: page.version },
      data: { title: input.title, body: input.body, version: next, updatedById: actor.id },
    });
    if (updated.count !== 1) return conflict();
    await tx.pageVersion.create({
      data: { pageId, version: next, title: input.title, body: input.body, authorId: actor.id },
    });
    await touchWorkspace(tx, workspaceId);
    await logActivity(
      tx,
      workspaceId,
      actor,
      "page.edited",
      `edited “${input.title}” (version ${next})`,
      `/pages/${pageId}`,
    );
    return { ok: true };
  });
}

/** Versions listed per page of a history: the page's work stays the same however long it grows. */
export const HISTORY_LIST_SIZE = 50;

export type HistoryQuery = { from: number; to: number; list?: number };

/**
 * A page of its versions (who, when; newest first, HISTORY_LIST_SIZE at a time) and the difference
 * between two of them (default: the last two). After the read check (shared with the layout), the
 * same for every member, from the content cache (content-cache.server.ts) or, on a miss, one
 * statement (readPageHistory).
 */
export async function getPageHistory(
  actor: Actor,
  workspaceId: string,
  pageId: string,
  compare: HistoryQuery,
  { cache = sharedWorkspaceCache() }: CacheOption = {},
) {
  const { workspace } = await sharedReadAccess(actor, workspaceId);
  const list = Math.min(Math.max(1, Math.trunc(compare.list ?? 1)), 1_000_000);
  const query = { ...compare, list };
  return cache.read(workspace, ["history", pageId, query.from, query.to, query.list], () =>
    readPageHistory(workspaceId, pageId, query),
  );
}

/**
 * One version of a page as a markdown file, named after the workspace's marking and the page, for
 * reading a version outside the portal (the history offers it when two versions are too
 * different to compare line by line).
 */
export async function downloadPageVersion(
  actor: Actor,
  workspaceId: string,
  pageId: string,
  version: number,
) {
  const { workspace } = await sharedReadAccess(actor, workspaceId);
  const row = await db.pageVersion.findFirst({
    where: { pageId, version, page: { workspaceId } },
    select: { title: true, body: true },
  });
  if (!row) throw notFound();
  const marking = MARKING_LABELS[workspace.marking];
  return {
    data: Buffer.from(row.body, "utf8"),
    filename: `${marking} ${row.title} (version ${version}).md`,
    contentType: "text/markdown; charset=utf-8",
    marking,
  };
}

/**
 * The difference between two versions; when they are too different to compare line by line
 * (diff null), both texts instead, for the reader to compare themselves.
 */
function comparison(before: string | null | undefined, after: string | null | undefined) {
  if (before == null || after == null) return { diff: [], texts: null };
  const diff = pageDiff(before, after);
  return { diff, texts: diff ? null : { from: before, to: after } };
}

/** The history page from its one statement (pageHistoryRows): the list, and the comparison. */
async function readPageHistory(
  workspaceId: string,
  pageId: string,
  compare: Required<HistoryQuery>,
) {
  const size = HISTORY_LIST_SIZE;
  const rows = await pageHistoryRows(workspaceId, pageId, compare, size);
  const head = rows[0];
  if (!head) throw notFound();
  const listPages = Math.max(1, Math.ceil(head.total / size));
  const versions = rows.flatMap((r) =>
    r.version === null || !r.listed
      ? []
      : [
          {
            version: r.version,
            title: r.title ?? "",
            createdAt: r.createdAt!,
            authorName: r.authorName ?? "",
          },
        ],
  );
  const bodies = new Map(rows.map((r) => [r.version, r]));
  const to = bodies.has(compare.to) ? compare.to : head.current;
  const from = bodies.has(compare.from) ? compare.from : Math.max(1, to - 1);
  const a = bodies.get(from);
  const b = bodies.get(to);
  return {
    page: { id: pageId, title: head.pageTitle, version: head.current },
    versions,
    versionCount: head.total,
    // Versions asked for that do not exist: the comparison fell back, and the page says so.
    missing: [...new Set([compare.from, compare.to])].filter((v) => v > 0 && !bodies.has(v)),
    list: Math.min(compare.list, listPages),
    listPages,
    from,
    to,
    titleChange: a && b && a.title !== b.title ? { from: a.title!, to: b.title! } : null,
    ...comparison(a?.body, b?.body),
  };
}
