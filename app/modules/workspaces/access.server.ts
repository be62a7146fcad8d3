import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { memoPerRequest } from "~/lib/request-scope.server";
import type { Actor } from "~/lib/permissions";
import { forbidden, notFound } from "~/lib/service";
import { roleMay, type WorkspaceAction } from "./rules";

// Who may see and do what in a workspace (docs/decisions/004-workspace-labels.md). Every workspace
// service finds its workspace through these gates, so nothing is reached without the label and
// membership check.

export type Tx = Prisma.TransactionClient;

/**
 * The only way any workspace is found: the actor is a member AND the label admits their
 * institute. A membership that the label no longer admits (say, after a move between institutes)
 * therefore grants nothing.
 */
export function visibleTo(actor: Pick<Actor, "id" | "instituteId">): Prisma.WorkspaceWhereInput {
  return { members: { some: { userId: actor.id } }, ...admitting(actor.instituteId) };
}

/** Workspaces whose label admits staff of `instituteId` (labelAdmits, as a query). */
export function admitting(instituteId: string): Prisma.WorkspaceWhereInput {
  return { OR: [{ restrictedToInstituteId: null }, { restrictedToInstituteId: instituteId }] };
}

/** What the access check returns of a workspace: its frame (name, label, marking), kind, version. */
export const FRAME_SELECT = {
  id: true,
  name: true,
  marking: true,
  kind: true,
  version: true,
  restrictedToInstituteId: true,
  restrictedTo: { select: { code: true, name: true } },
} satisfies Prisma.WorkspaceSelect;

/**
 * Loads the workspace for an action, or throws: 404 for anyone who may not know it exists, 403 for
 * a member whose role does not allow the action. With it, in the same statement, the version of
 * its content, which the content cache is keyed on (content-cache.server.ts).
 */
export async function access(
  tx: Tx,
  actor: Pick<Actor, "id" | "instituteId">,
  workspaceId: string,
  action: WorkspaceAction,
) {
  const workspace = await tx.workspace.findFirst({
    where: { id: workspaceId, ...visibleTo(actor) },
    select: {
      ...FRAME_SELECT,
      members: { where: { userId: actor.id }, select: { role: true } },
      contentState: { select: { version: true } },
    },
  });
  if (!workspace) throw notFound();
  const role = workspace.members[0]!.role;
  if (!roleMay(role, action)) throw forbidden();
  return { workspace, role };
}

/**
 * The read check, shared by the loaders of one request (memoPerRequest): the layout and the page's
 * own loader both need it, and Remix runs both for every document request. The key holds the
 * actor, so one request never hands a check to someone else.
 */
export function sharedReadAccess(actor: Pick<Actor, "id" | "instituteId">, workspaceId: string) {
  return memoPerRequest(
    `workspace-read\u0000${actor.id}\u0000${actor.instituteId}\u0000${workspaceId}`,
    () => access(db, actor, workspaceId, "read"),
  );
}
