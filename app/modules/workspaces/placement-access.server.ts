import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { notify } from "~/modules/notifications/notifications.server";
import { getEnv } from "~/lib/env.server";
import { isHrOf, type Actor } from "~/lib/permissions";
import { notFound, refused, type ServiceResult } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { labelAdmits, labelName, higherRole } from "./rules";
import { access, admitting, visibleTo, type Tx } from "./access.server";
import { logActivity } from "./activity.server";

// Workspace access that comes with a placement (docs/decisions/004-workspace-labels.md): host staff
// name workspaces on a placement, and its secondee is an editor of them while it is active.

export const workspaceUrl = (id: string, path = "") =>
  new URL(`/workspaces/${id}${path}`, getEnv().APP_URL).toString();

const PLACEMENT_LINK_SELECT = {
  id: true,
  status: true,
  hostInstituteId: true,
  homeInstituteId: true,
  hostSupervisorId: true,
  secondee: {
    select: { id: true, instituteId: true, displayName: true, email: true, lineManagerId: true },
  },
} satisfies Prisma.PlacementSelect;
type PlacementForLink = Prisma.PlacementGetPayload<{ select: typeof PLACEMENT_LINK_SELECT }>;

/** How the actor stands towards a placement's workspaces; 404 for someone with no part in it. */
function linkStanding(actor: Actor, placement: PlacementForLink | null) {
  if (!placement) throw notFound();
  const hostSide =
    isHrOf(actor, placement.hostInstituteId) || placement.hostSupervisorId === actor.id;
  const party =
    hostSide ||
    placement.secondee.id === actor.id ||
    placement.secondee.lineManagerId === actor.id ||
    isHrOf(actor, placement.homeInstituteId);
  if (!party) throw notFound();
  return { placement, hostSide };
}

async function placementForLink(tx: Tx, actor: Actor, placementId: string) {
  const placement = await tx.placement.findUnique({
    where: { id: placementId },
    select: PLACEMENT_LINK_SELECT,
  });
  return linkStanding(actor, placement);
}

/**
 * The host workspaces a placement names, and those the actor could add: host HR or the host
 * supervisor, for workspaces they own whose label admits the secondee.
 */
export async function placementWorkspaces(actor: Actor, placementId: string) {
  // Read-only, so no transaction: the placement, the actor's standing and the linked workspaces
  // in one statement, then (host side only) the workspaces they could add.
  const found = await db.placement.findUnique({
    where: { id: placementId },
    select: {
      ...PLACEMENT_LINK_SELECT,
      workspaces: {
        orderBy: { addedAt: "asc" },
        select: {
          workspace: {
            select: {
              id: true,
              name: true,
              restrictedTo: { select: { code: true } },
              members: { where: { userId: actor.id }, select: { role: true } },
            },
          },
        },
      },
    },
  });
  const { placement, hostSide } = linkStanding(actor, found);
  const linked = found!.workspaces;
  const linkable = hostSide
    ? await db.workspace.findMany({
        where: {
          AND: [
            visibleTo(actor),
            admitting(placement.secondee.instituteId),
            { members: { some: { userId: actor.id, role: "OWNER" } } },
          ],
          placements: { none: { placementId } },
        },
        orderBy: { name: "asc" },
        select: { id: true, name: true, restrictedTo: { select: { code: true } } },
      })
    : [];
  return {
    canLink: hostSide,
    // Only workspaces the viewer is in are named; the others are counted.
    linked: linked
      .filter((l) => l.workspace.members.length > 0)
      .map((l) => ({
        id: l.workspace.id,
        name: l.workspace.name,
        label: labelName(l.workspace.restrictedTo),
        canUnlink: hostSide && l.workspace.members[0]?.role === "OWNER",
      })),
    hiddenCount: linked.filter((l) => l.workspace.members.length === 0).length,
    linkable: linkable.map((w) => ({ id: w.id, name: w.name, label: labelName(w.restrictedTo) })),
  };
}

/** Names a host workspace on a placement; if the placement is already active, access starts now. */
export async function linkPlacementWorkspace(
  actor: Actor,
  placementId: string,
  workspaceId: string,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const { placement, hostSide } = await placementForLink(tx, actor, placementId);
    if (!hostSide) throw notFound();
    const { workspace } = await access(tx, actor, workspaceId, "manage");
    if (!labelAdmits(workspace.restrictedToInstituteId, placement.secondee.instituteId))
      return refused(
        `This workspace is ${labelName(workspace.restrictedTo)}: the secondee's institute is outside its label`,
        "workspaceId",
      );
    if (placement.status === "COMPLETED" || placement.status === "CANCELLED")
      return refused("This placement has ended.", "workspaceId");
    const existing = await tx.placementWorkspace.findUnique({
      where: { placementId_workspaceId: { placementId, workspaceId } },
      select: { placementId: true },
    });
    if (existing) return refused("This workspace is already named.", "workspaceId");
    await tx.placementWorkspace.create({ data: { placementId, workspaceId, addedById: actor.id } });
    await recordAudit(tx, {
      actor,
      action: "workspace.placement_linked",
      targetType: "Workspace",
      targetId: workspaceId,
      details: { placementId },
    });
    await logActivity(
      tx,
      workspaceId,
      actor,
      "placement.linked",
      `named this workspace for the placement of ${placement.secondee.displayName}`,
    );
    if (placement.status === "ACTIVE")
      await grantPlacementAccess(tx, actor, placement, workspaceId);
    return { ok: true };
  });
}

export async function unlinkPlacementWorkspace(
  actor: Actor,
  placementId: string,
  workspaceId: string,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const { placement, hostSide } = await placementForLink(tx, actor, placementId);
    if (!hostSide) throw notFound();
    await access(tx, actor, workspaceId, "manage");
    const removed = await tx.placementWorkspace.deleteMany({ where: { placementId, workspaceId } });
    if (removed.count !== 1) return refused("This workspace is not named on the placement.");
    await recordAudit(tx, {
      actor,
      action: "workspace.placement_unlinked",
      targetType: "Workspace",
      targetId: workspaceId,
      details: { placementId },
    });
    await revokePlacementAccess(tx, actor, placement, workspaceId);
    return { ok: true };
  });
}

async function grantPlacementAccess(
  tx: Tx,
  actor: Pick<Actor, "id" | "email" | "instituteId"> | null,
  placement: PlacementForLink,
  workspaceId: string,
) {
  const workspace = await tx.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { name: true, restrictedToInstituteId: true },
  });
  // The label is checked when the workspace is named and when it is narrowed; checked again here
  // because the secondee could have moved institute in between.
  if (!labelAdmits(workspace.restrictedToInstituteId, placement.secondee.instituteId)) return;
  const existing = await tx.workspaceMember.findUnique({
    where: { workspaceId_userId: { workspaceId, userId: placement.secondee.id } },
    select: { role: true },
  });
  if (existing) {
    // Already in: never lower what they have. A viewer is raised to editor, and gets their own
    // role back when the placement ends (roleBeforePlacement); an editor or owner is left alone.
    if (higherRole(existing.role, "EDITOR") === existing.role) return;
    await tx.workspaceMember.update({
      where: { workspaceId_userId: { workspaceId, userId: placement.secondee.id } },
      data: { role: "EDITOR", viaPlacementId: placement.id, roleBeforePlacement: existing.role },
    });
  } else {
    await tx.workspaceMember.create({
      data: {
        workspaceId,
        userId: placement.secondee.id,
        role: "EDITOR",
        viaPlacementId: placement.id,
      },
    });
  }
  await announcePlacementAccess(tx, actor, placement, { id: workspaceId, ...workspace }, "granted");
}

async function revokePlacementAccess(
  tx: Tx,
  actor: Pick<Actor, "id" | "email" | "instituteId"> | null,
  placement: PlacementForLink,
  workspaceId: string,
) {
  const member = await tx.workspaceMember.findFirst({
    where: { workspaceId, userId: placement.secondee.id, viaPlacementId: placement.id },
    select: { roleBeforePlacement: true },
  });
  if (!member) return;
  const where = { workspaceId_userId: { workspaceId, userId: placement.secondee.id } };
  if (member.roleBeforePlacement)
    await tx.workspaceMember.update({
      where,
      data: { role: member.roleBeforePlacement, viaPlacementId: null, roleBeforePlacement: null },
    });
  else await tx.workspaceMember.delete({ where });
  const workspace = await tx.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { id: true, name: true },
  });
  await announcePlacementAccess(tx, actor, placement, workspace, "ended");
}

/** The audit event, activity entry and email for access a placement gave or took back. */
async function announcePlacementAccess(
  tx: Tx,
  actor: Pick<Actor, "id" | "email" | "instituteId"> | null,
  placement: PlacementForLink,
  workspace: { id: string; name: string },
  change: "granted" | "ended",
) {
  const who = placement.secondee;
  await recordAudit(tx, {
    actor,
    action:
      change === "granted"
        ? "workspace.placement_access_granted"
        : "workspace.placement_access_removed",
    targetType: "Workspace",
    targetId: workspace.id,
    details: { placementId: placement.id, userId: who.id },
  });
  await logActivity(
    tx,
    workspace.id,
    actor,
    "placement.access",
    change === "granted"
      ? `${who.displayName} joined as editor (placement started)`
      : `${who.displayName}'s access ended with the placement`,
    "/members",
  );
  await notify(tx, who.email, {
    template: "workspace-access",
    props: {
      secondeeName: who.displayName,
      workspaceName: workspace.name,
      change,
      url: workspaceUrl(workspace.id),
    },
  });
}

/**
 * Called in the placement's transition transaction: ACTIVE adds the secondee to every named
 * workspace as an editor; COMPLETED or CANCELLED removes what the placement gave.
 */
export async function syncPlacementAccess(
  tx: Tx,
  actor: Pick<Actor, "id" | "email" | "instituteId"> | null,
  placementId: string,
  status: string,
) {
  if (status !== "ACTIVE" && status !== "COMPLETED" && status !== "CANCELLED") return;
  const placement = await tx.placement.findUniqueOrThrow({
    where: { id: placementId },
    select: {
      ...PLACEMENT_LINK_SELECT,
      workspaces: { select: { workspaceId: true } },
    },
  });
  for (const { workspaceId } of placement.workspaces) {
    if (status === "ACTIVE") await grantPlacementAccess(tx, actor, placement, workspaceId);
    else await revokePlacementAccess(tx, actor, placement, workspaceId);
  }
}
