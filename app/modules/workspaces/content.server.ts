import { createHash } from "node:crypto";
import type { Prisma } from "~/generated/prisma/client";
import type { TaskStatus } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import { checkWorkspaceFile, sha256Hex } from "~/lib/files.server";
import type { Actor } from "~/lib/permissions";
import {
  forbidden,
  notFound,
  refused,
  stale,
  type Refusal,
  type ServiceResult,
} from "~/lib/service";
import { renderMarkdown } from "~/lib/markdown.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { headlineOptions, splitMarks } from "~/lib/highlight";
import { sharedWorkspaceCache, type CacheOption } from "./content-cache.server";
import { pageDiff } from "./diff";
import { MARKING_LABELS, TASK_STATUS_LABELS } from "./rules";
import { pageHistoryRows, workspaceSearchRows } from "./queries.server";
import type {
  PageInput,
  PageSaveInput,
  RegistrationInput,
  TaskInput,
  TaskStatusInput,
  ThreadInput,
} from "./schema";
import { access, sharedReadAccess, visibleTo, type Tx } from "./access.server";
import { actorNames, logActivity, touchWorkspace } from "./activity.server";
import { clock } from "~/lib/clock";

// Pages, files, discussion, tasks, registrations and search: everything inside a workspace. Each
// function starts with `access`, so no content is reached without the label and membership check.

// --- Pages -------------------------------------------------------------------------------------

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

const THREAD_SELECT = {
  id: true,
  title: true,
  createdAt: true,
  createdById: true,
  pageId: true,
  page: { select: { title: true } },
  comments: {
    orderBy: { createdAt: "asc" },
    take: 200,
    select: { id: true, body: true, authorId: true, createdAt: true },
  },
} satisfies Prisma.DiscussionThreadSelect;

const THREADS_QUERY = {
  orderBy: { createdAt: "desc" },
  take: 100,
  select: THREAD_SELECT,
} satisfies Prisma.DiscussionThreadFindManyArgs;

type ThreadRow = Prisma.DiscussionThreadGetPayload<{ select: typeof THREAD_SELECT }>;

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
    diff: a?.body != null && b?.body != null ? pageDiff(a.body, b.body) : [],
  };
}

// --- Files -------------------------------------------------------------------------------------

export async function listFiles(actor: Actor, workspaceId: string) {
  return db.$transaction(async (tx) => {
    const { role } = await access(tx, actor, workspaceId, "read");
    const files = await tx.workspaceFile.findMany({
      where: { workspaceId },
      orderBy: { name: "asc" },
      select: {
        id: true,
        name: true,
        updatedAt: true,
        versions: {
          orderBy: { version: "desc" },
          select: {
            id: true,
            version: true,
            uploadedById: true,
            createdAt: true,
            storedFile: { select: { size: true, contentType: true, sha256: true } },
          },
        },
      },
    });
    const names = await actorNames(
      tx,
      files.flatMap((f) => f.versions.map((v) => v.uploadedById)),
    );
    return {
      role,
      files: files.map((f) => ({
        ...f,
        versions: f.versions.map((v) => ({
          ...v,
          uploadedByName: names.get(v.uploadedById) ?? "",
        })),
      })),
    };
  });
}

/**
 * Uploads a file; a file of the same name gets a new version. Checked by name, size and content
 * before anything is written.
 */
export async function uploadFile(
  actor: Actor,
  workspaceId: string,
  upload: { name: string; bytes: Uint8Array },
): Promise<ServiceResult<{ fileId: string; version: number }>> {
  const checked = checkWorkspaceFile(upload);
  if (checked.error !== undefined) return refused(checked.error, "file");
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "edit");
    const stored = await tx.storedFile.create({
      data: {
        ownerId: actor.id,
        filename: checked.filename,
        contentType: checked.contentType,
        size: upload.bytes.byteLength,
        sha256: sha256Hex(upload.bytes),
        data: Buffer.from(upload.bytes),
      },
      select: { id: true },
    });
    const file = await tx.workspaceFile.upsert({
      where: { workspaceId_name: { workspaceId, name: checked.filename } },
      create: { workspaceId, name: checked.filename, createdById: actor.id },
      update: { updatedAt: clock.now() },
      select: { id: true },
    });
    // Serialise versions of one file across concurrent uploads.
    await tx.$queryRaw`SELECT id FROM "WorkspaceFile" WHERE id = ${file.id} FOR UPDATE`;
    const last = await tx.workspaceFileVersion.findFirst({
      where: { fileId: file.id },
      orderBy: { version: "desc" },
      select: { version: true },
    });
    const version = (last?.version ?? 0) + 1;
    await tx.workspaceFileVersion.create({
      data: { fileId: file.id, version, storedFileId: stored.id, uploadedById: actor.id },
    });
    await touchWorkspace(tx, workspaceId);
    await logActivity(
      tx,
      workspaceId,
      actor,
      "file.uploaded",
      `uploaded ${checked.filename}${version > 1 ? ` (version ${version})` : ""}`,
      "/files",
    );
    await recordAudit(tx, {
      actor,
      action: "workspace.file_uploaded",
      targetType: "WorkspaceFile",
      targetId: file.id,
      details: { workspaceId, version, size: upload.bytes.byteLength },
    });
    return { ok: true, fileId: file.id, version };
  });
}

/**
 * A file version for download, to members only; audited. The protective marking goes in the
 * file name and in a header, so it travels with the file.
 */
export async function downloadFile(
  actor: Actor,
  workspaceId: string,
  fileId: string,
  version: number,
  ipAddress = "",
) {
  return db.$transaction(async (tx) => {
    const { workspace } = await access(tx, actor, workspaceId, "read");
    const row = await tx.workspaceFileVersion.findFirst({
      where: { fileId, version, file: { workspaceId } },
      select: {
        storedFile: { select: { filename: true, contentType: true, size: true, data: true } },
      },
    });
    if (!row) throw notFound();
    await recordAudit(tx, {
      actor,
      action: "workspace.file_downloaded",
      targetType: "WorkspaceFile",
      targetId: fileId,
      ipAddress,
      details: { workspaceId, version },
    });
    const marking = MARKING_LABELS[workspace.marking];
    return {
      ...row.storedFile,
      filename: `${marking} ${row.storedFile.filename}`,
      marking,
    };
  });
}

// --- Discussion --------------------------------------------------------------------------------

async function threadsWithComments(
  tx: Tx,
  where: Prisma.DiscussionThreadWhereInput & { workspaceId: string },
) {
  const threads = await tx.discussionThread.findMany({ where, ...THREADS_QUERY });
  return namedThreads(threads, await actorNames(tx, threadPeople(threads)));
}

function threadPeople(threads: ThreadRow[]) {
  return threads.flatMap((t) => [t.createdById, ...t.comments.map((c) => c.authorId)]);
}

function namedThreads(threads: ThreadRow[], names: Map<string, string>) {
  return threads.map((t) => ({
    ...t,
    createdByName: names.get(t.createdById) ?? "",
    comments: t.comments.map((c) => ({
      id: c.id,
      html: renderMarkdown(c.body, { topHeading: 4 }),
      createdAt: c.createdAt,
      authorName: names.get(c.authorId) ?? "",
    })),
  }));
}

/** The workspace's discussions (those on pages included, each naming its page). */
export async function listThreads(actor: Actor, workspaceId: string) {
  return db.$transaction(async (tx) => {
    const { role } = await access(tx, actor, workspaceId, "read");
    const threads = await tx.discussionThread.findMany({
      where: { workspaceId },
      orderBy: { createdAt: "desc" },
      take: 200,
      select: {
        id: true,
        title: true,
        createdAt: true,
        page: { select: { id: true, title: true } },
        _count: { select: { comments: true } },
      },
    });
    return { role, threads };
  });
}

export async function getThread(actor: Actor, workspaceId: string, threadId: string) {
  return db.$transaction(async (tx) => {
    const { role } = await access(tx, actor, workspaceId, "read");
    const [thread] = await threadsWithComments(tx, { workspaceId, id: threadId });
    if (!thread) throw notFound();
    return { role, thread };
  });
}

/** Starts a discussion on the workspace, or on one of its pages, with a first comment. */
export async function createThread(
  actor: Actor,
  workspaceId: string,
  input: ThreadInput,
): Promise<ServiceResult<{ threadId: string }>> {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "comment");
    let pageTitle: string | null = null;
    if (input.pageId) {
      const page = await tx.workspacePage.findFirst({
        where: { id: input.pageId, workspaceId },
        select: { title: true },
      });
      if (!page) return refused("That page is not in this workspace.", "pageId");
      pageTitle = page.title;
    }
    const thread = await tx.discussionThread.create({
      data: {
        workspaceId,
        pageId: input.pageId || null,
        title: input.title,
        createdById: actor.id,
        comments: { create: { workspaceId, authorId: actor.id, body: input.body } },
      },
      select: { id: true },
    });
    await touchWorkspace(tx, workspaceId);
    await logActivity(
      tx,
      workspaceId,
      actor,
      "thread.created",
      pageTitle
        ? `started “${input.title}” on “${pageTitle}”`
        : `started the discussion “${input.title}”`,
      `/discussion/${thread.id}`,
    );
    return { ok: true, threadId: thread.id };
  });
}

export async function addComment(
  actor: Actor,
  workspaceId: string,
  threadId: string,
  body: string,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "comment");
    const thread = await tx.discussionThread.findFirst({
      where: { id: threadId, workspaceId },
      select: { id: true, title: true },
    });
    if (!thread) throw notFound();
    await tx.comment.create({ data: { threadId, workspaceId, authorId: actor.id, body } });
    await touchWorkspace(tx, workspaceId);
    await logActivity(
      tx,
      workspaceId,
      actor,
      "comment.added",
      `commented on “${thread.title}”`,
      `/discussion/${threadId}`,
    );
    return { ok: true };
  });
}

// --- Tasks -------------------------------------------------------------------------------------

const TASK_SELECT = {
  id: true,
  title: true,
  status: true,
  version: true,
  dueOn: true,
  assigneeId: true,
  assignee: { select: { displayName: true } },
} satisfies Prisma.WorkspaceTaskSelect;

export async function listTasks(actor: Actor, workspaceId: string) {
  return db.$transaction(async (tx) => {
    const { role } = await access(tx, actor, workspaceId, "read");
    const [tasks, members] = await Promise.all([
      tx.workspaceTask.findMany({
        where: { workspaceId },
        orderBy: [
          { status: "asc" },
          { dueOn: { sort: "asc", nulls: "last" } },
          { createdAt: "asc" },
        ],
        take: 500,
        select: TASK_SELECT,
      }),
      tx.workspaceMember.findMany({
        where: { workspaceId },
        orderBy: { user: { displayName: "asc" } },
        select: { user: { select: { id: true, displayName: true } } },
      }),
    ]);
    return { role, tasks, members: members.map((m) => m.user) };
  });
}

export async function createTask(
  actor: Actor,
  workspaceId: string,
  input: TaskInput,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "edit");
    if (input.assigneeId) {
      const member = await tx.workspaceMember.findUnique({
        where: { workspaceId_userId: { workspaceId, userId: input.assigneeId } },
        select: { role: true },
      });
      if (!member) return refused("Assign the task to a member of this workspace", "assigneeId");
    }
    await tx.workspaceTask.create({
      data: {
        workspaceId,
        title: input.title,
        assigneeId: input.assigneeId || null,
        dueOn: input.dueOn ? new Date(`${input.dueOn}T00:00:00Z`) : null,
        createdById: actor.id,
      },
    });
    await touchWorkspace(tx, workspaceId);
    await logActivity(
      tx,
      workspaceId,
      actor,
      "task.created",
      `added the task “${input.title}”`,
      "/tasks",
    );
    return { ok: true };
  });
}

/** Editors and owners move any task; the assignee moves their own, whatever their role. */
export async function moveTask(
  actor: Actor,
  workspaceId: string,
  input: TaskStatusInput,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const { role } = await access(tx, actor, workspaceId, "read");
    const task = await tx.workspaceTask.findFirst({
      where: { id: input.taskId, workspaceId },
      select: { id: true, title: true, assigneeId: true, version: true, status: true },
    });
    if (!task) throw notFound();
    if (role === "VIEWER" && task.assigneeId !== actor.id) throw forbidden();
    const moved = await tx.workspaceTask.updateMany({
      where: { id: task.id, version: input.version },
      data: { status: input.status, version: { increment: 1 } },
    });
    if (moved.count !== 1)
      return stale("This task changed since you opened the page. It now shows its current state.");
    await logActivity(
      tx,
      workspaceId,
      actor,
      "task.moved",
      `marked “${task.title}” ${TASK_STATUS_LABELS[input.status].toLowerCase()}`,
      "/tasks",
    );
    return { ok: true };
  });
}

/** "My tasks": tasks assigned to the actor in every workspace they can see. */
export async function listMyTasks(actor: Actor, status?: TaskStatus) {
  return db.workspaceTask.findMany({
    where: {
      assigneeId: actor.id,
      ...(status ? { status } : { status: { not: "DONE" } }),
      workspace: visibleTo(actor),
    },
    orderBy: [{ dueOn: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
    take: 500,
    select: {
      ...TASK_SELECT,
      workspace: { select: { id: true, name: true, marking: true } },
    },
  });
}

// --- Registrations -----------------------------------------------------------------------------

export type SnapshotPage = { pageId: string; title: string; version: number; body: string };

/** The hash of a registration, over a canonical form whose key order is fixed here. */
export function registrationHash(r: { title: string; registeredAt: Date; pages: SnapshotPage[] }) {
  const canonical = JSON.stringify({
    title: r.title,
    registeredAt: r.registeredAt.toISOString(),
    pages: r.pages.map((p) => ({
      pageId: p.pageId,
      title: p.title,
      version: p.version,
      body: p.body,
    })),
  });
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}

/**
 * Owners register findings: the chosen pages as they are now, frozen with a timestamp and a hash.
 * There is no function to change or delete one, and the database refuses both.
 */
export async function registerFindings(
  actor: Actor,
  workspaceId: string,
  input: RegistrationInput,
  now = clock.now(),
): Promise<ServiceResult<{ registrationId: string; contentHash: string }>> {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "manage");
    const wanted = [...new Set(input.pageIds)];
    const pages = await tx.workspacePage.findMany({
      where: { workspaceId, id: { in: wanted } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, title: true, version: true, body: true },
    });
    if (pages.length !== wanted.length)
      return refused("Choose pages of this workspace only", "pageIds");
    const snapshot: SnapshotPage[] = pages.map((p) => ({
      pageId: p.id,
      title: p.title,
      version: p.version,
      body: p.body,
    }));
    const registeredAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const contentHash = registrationHash({ title: input.title, registeredAt, pages: snapshot });
    const registration = await tx.findingsRegistration.create({
      data: {
        workspaceId,
        title: input.title,
        registeredById: actor.id,
        registeredAt,
        snapshot: snapshot as unknown as Prisma.InputJsonArray,
        contentHash,
      },
      select: { id: true },
    });
    await logActivity(
      tx,
      workspaceId,
      actor,
      "findings.registered",
      `registered “${input.title}” (${pages.length} page${pages.length === 1 ? "" : "s"})`,
      `/registrations/${registration.id}`,
    );
    await recordAudit(tx, {
      actor,
      action: "workspace.findings_registered",
      targetType: "FindingsRegistration",
      targetId: registration.id,
      details: { workspaceId, contentHash, pages: snapshot.map((p) => [p.pageId, p.version]) },
    });
    return { ok: true, registrationId: registration.id, contentHash };
  });
}

/** A registration as frozen, and whether its content still matches its hash. */
export async function getRegistration(actor: Actor, workspaceId: string, registrationId: string) {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "read");
    const r = await tx.findingsRegistration.findFirst({
      where: { id: registrationId, workspaceId },
      select: {
        id: true,
        title: true,
        registeredAt: true,
        registeredById: true,
        contentHash: true,
        snapshot: true,
      },
    });
    if (!r) throw notFound();
    const pages = r.snapshot as unknown as SnapshotPage[];
    const names = await actorNames(tx, [r.registeredById]);
    return {
      id: r.id,
      title: r.title,
      registeredAt: r.registeredAt,
      registeredByName: names.get(r.registeredById) ?? "",
      contentHash: r.contentHash,
      intact:
        registrationHash({ title: r.title, registeredAt: r.registeredAt, pages }) === r.contentHash,
      pages: pages.map((p) => ({ ...p, html: renderMarkdown(p.body, { topHeading: 3 }) })),
    };
  });
}

/** What an owner can register: the workspace's pages, and the registrations so far. */
export async function getRegistrations(actor: Actor, workspaceId: string) {
  return db.$transaction(async (tx) => {
    const { role } = await access(tx, actor, workspaceId, "read");
    const [pages, registrations] = await Promise.all([
      tx.workspacePage.findMany({
        where: { workspaceId },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, title: true, version: true },
      }),
      tx.findingsRegistration.findMany({
        where: { workspaceId },
        orderBy: { registeredAt: "desc" },
        select: { id: true, title: true, registeredAt: true, contentHash: true },
      }),
    ]);
    return { role, pages, registrations };
  });
}

// --- Search ------------------------------------------------------------------------------------

export type WorkspaceSearchHit = {
  kind: "page" | "comment" | "task";
  id: string;
  title: string;
  headline: { text: string; mark: boolean }[];
  link: string;
};

/** Full-text search over the workspace's pages, comments and tasks (PostgreSQL text search). */
export async function searchWorkspace(actor: Actor, workspaceId: string, q: string) {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "read");
    if (!q) return { q, hits: [] as WorkspaceSearchHit[] };
    const rows = await workspaceSearchRows(tx, workspaceId, q, headlineOptions(10));
    return {
      q,
      hits: rows.map((r): WorkspaceSearchHit => ({
        kind: r.kind as WorkspaceSearchHit["kind"],
        id: r.id,
        title: r.title,
        headline: splitMarks(r.headline),
        link:
          r.kind === "page"
            ? `/pages/${r.id}`
            : r.kind === "comment"
              ? `/discussion/${r.threadId}`
              : "/tasks",
      })),
    };
  });
}
