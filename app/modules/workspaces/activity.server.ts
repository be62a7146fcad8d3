import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { clock } from "~/lib/clock";
import { access, type Tx } from "./access.server";

// What happened in a workspace, and who did it: the activity feed, the workspace's last-changed
// time, and the names shown beside both.

/** Appends to the workspace's activity feed, in the transaction of the change. */
export async function logActivity(
  tx: Tx,
  workspaceId: string,
  actor: Pick<Actor, "id"> | null,
  kind: string,
  summary: string,
  link = "",
) {
  await tx.workspaceActivity.create({
    data: { workspaceId, actorId: actor?.id ?? null, kind, summary: summary.slice(0, 500), link },
  });
}

/** Marks the workspace as changed now: "My workspaces" lists the most recently changed first. */
export async function touchWorkspace(tx: Tx, workspaceId: string) {
  await tx.workspace.update({ where: { id: workspaceId }, data: { updatedAt: clock.now() } });
}

/** Display names by user id: who did what, in the feed and beside content. */
export async function actorNames(tx: Tx, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (!wanted.length) return new Map<string, string>();
  const users = await tx.user.findMany({
    where: { id: { in: wanted } },
    select: { id: true, displayName: true },
  });
  return new Map(users.map((u) => [u.id, u.displayName]));
}

/** The activity feed, newest first. */
export async function getActivity(actor: Actor, workspaceId: string, page = 1) {
  const size = 50;
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "read");
    const [rows, total] = await Promise.all([
      tx.workspaceActivity.findMany({
        where: { workspaceId },
        orderBy: [{ at: "desc" }, { id: "desc" }],
        skip: (Math.max(1, page) - 1) * size,
        take: size,
        select: { id: true, actorId: true, summary: true, link: true, at: true },
      }),
      tx.workspaceActivity.count({ where: { workspaceId } }),
    ]);
    const names = await actorNames(
      tx,
      rows.map((a) => a.actorId),
    );
    return {
      activity: rows.map((a) => ({ ...a, actorName: names.get(a.actorId ?? "") ?? "The portal" })),
      page: Math.max(1, page),
      pageCount: Math.max(1, Math.ceil(total / size)),
    };
  });
}
