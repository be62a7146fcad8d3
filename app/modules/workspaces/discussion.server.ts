import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { spendRateLimit } from "~/lib/rate-limits.server";
import type { Actor } from "~/lib/permissions";
import { notFound, refused, type ServiceResult } from "~/lib/service";
import { renderMarkdown } from "~/lib/markdown.server";
import type { ThreadInput } from "./schema";
import { access, type Tx } from "./access.server";
import { actorNames, logActivity, touchWorkspace } from "./activity.server";

// A workspace's discussions, on the workspace or on one of its pages, and their comments. Every
// function starts with the access check (access.server.ts).

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

/** Threads as a page and a thread's own view show them: newest first, with their comments. */
export const THREADS_QUERY = {
  orderBy: { createdAt: "desc" },
  take: 100,
  select: THREAD_SELECT,
} satisfies Prisma.DiscussionThreadFindManyArgs;

type ThreadRow = Prisma.DiscussionThreadGetPayload<{ select: typeof THREAD_SELECT }>;

async function threadsWithComments(
  tx: Tx,
  where: Prisma.DiscussionThreadWhereInput & { workspaceId: string },
) {
  const threads = await tx.discussionThread.findMany({ where, ...THREADS_QUERY });
  return namedThreads(threads, await actorNames(tx, threadPeople(threads)));
}

/** Everyone who started or commented on the threads, to name them (actorNames). */
export function threadPeople(threads: ThreadRow[]) {
  return threads.flatMap((t) => [t.createdById, ...t.comments.map((c) => c.authorId)]);
}

/** Threads with names for their people and comments rendered (safely) from Markdown. */
export function namedThreads(threads: ThreadRow[], names: Map<string, string>) {
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
    const limited = await spendRateLimit("discussionPostsPerPerson", actor.id, tx);
    if (limited) return limited;
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
    const limited = await spendRateLimit("discussionPostsPerPerson", actor.id, tx);
    if (limited) return limited;
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
