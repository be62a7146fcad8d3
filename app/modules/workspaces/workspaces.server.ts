import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { notify } from "~/modules/notifications/notifications.server";
import { getEnv } from "~/lib/env.server";
import { isHrOf, type Actor } from "~/lib/permissions";
import { notFound, refused, stale, type ServiceResult } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { sharedWorkspaceCache, type CacheOption } from "./content-cache.server";
import { JOINT_TESTING_PAGES } from "./joint-testing";
import { labelAdmits, labelName, MARKING_LABELS, higherRole } from "./rules";
import type { WorkspaceInput, WorkspaceSettingsInput } from "./schema";
import {
  access,
  admitting,
  FRAME_SELECT,
  sharedReadAccess,
  visibleTo,
  type Tx,
} from "./access.server";
import { actorNames, logActivity } from "./activity.server";
import { MEMBERS_QUERY } from "./members.server";

export const workspaceUrl = (id: string, path = "") =>
  new URL(`/workspaces/${id}${path}`, getEnv().APP_URL).toString();

/** What every page of a workspace shows: name, label and marking banner, and the viewer's role. */
export async function getWorkspaceFrame(actor: Actor, workspaceId: string) {
  const { workspace, role } = await sharedReadAccess(actor, workspaceId);
  return {
    id: workspace.id,
    name: workspace.name,
    kind: workspace.kind,
    label: labelName(workspace.restrictedTo),
    labelInstitute: workspace.restrictedTo?.name ?? null,
    marking: MARKING_LABELS[workspace.marking],
    role,
  };
}

/** "My workspaces", and the invitations waiting for an answer. */
export async function listMyWorkspaces(actor: Actor) {
  const [workspaces, invitations] = await Promise.all([
    db.workspace.findMany({
      where: visibleTo(actor),
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      take: 200,
      select: {
        ...FRAME_SELECT,
        purpose: true,
        updatedAt: true,
        members: { where: { userId: actor.id }, select: { role: true } },
      },
    }),
    db.workspaceInvitation.findMany({
      where: {
        inviteeId: actor.id,
        status: "PENDING",
        workspace: admitting(actor.instituteId),
      },
      orderBy: { createdAt: "desc" },
      select: {
        id: true,
        role: true,
        createdAt: true,
        workspace: {
          select: { name: true, marking: true, restrictedTo: { select: { code: true } } },
        },
      },
    }),
  ]);
  const counts = await countMembersAndOpenTasks(workspaces.map((w) => w.id));
  return {
    workspaces: workspaces.map((w) => ({
      id: w.id,
      name: w.name,
      purpose: w.purpose,
      label: labelName(w.restrictedTo),
      marking: MARKING_LABELS[w.marking],
      role: w.members[0]!.role,
      memberCount: counts.get(w.id)?.members ?? 0,
      openTasks: counts.get(w.id)?.openTasks ?? 0,
      updatedAt: w.updatedAt,
    })),
    invitations: invitations.map((i) => ({
      id: i.id,
      role: i.role,
      createdAt: i.createdAt,
      workspaceName: i.workspace.name,
      label: labelName(i.workspace.restrictedTo),
      marking: MARKING_LABELS[i.workspace.marking],
    })),
  };
}

/**
 * Members and open tasks of the listed workspaces, in one statement, each count served by an index
 * on the workspace: a relation `_count` in the select would count every workspace's.
 */
async function countMembersAndOpenTasks(workspaceIds: string[]) {
  if (!workspaceIds.length) return new Map<string, { members: number; openTasks: number }>();
  const rows = await db.$queryRaw<{ id: string; members: number; openTasks: number }[]>`
    SELECT w.id,
      (SELECT COUNT(*)::int FROM "WorkspaceMember" m WHERE m."workspaceId" = w.id) AS members,
      (SELECT COUNT(*)::int FROM "WorkspaceTask" t
        WHERE t."workspaceId" = w.id AND t.status <> 'DONE') AS "openTasks"
    FROM unnest(${workspaceIds}::text[]) AS w(id)`;
  return new Map(rows.map((r) => [r.id, { members: r.members, openTasks: r.openTasks }]));
}

/** The labels the actor may give a workspace: JOINT, or their own institute only. */
export async function labelChoices(actor: Actor) {
  const own = await db.institute.findUniqueOrThrow({
    where: { id: actor.instituteId },
    select: { id: true, code: true, name: true },
  });
  return [
    { value: "JOINT", label: "JOINT: staff of any partner institute" },
    { value: own.id, label: `${own.code}-ONLY: ${own.name} staff only` },
  ];
}

function labelTarget(actor: Actor, label: string): string | null | undefined {
  if (label === "JOINT") return null;
  if (label === actor.instituteId) return label;
  return undefined;
}

export async function createWorkspace(
  actor: Actor,
  input: WorkspaceInput,
): Promise<ServiceResult<{ workspaceId: string }>> {
  const restrictedToInstituteId = labelTarget(actor, input.label);
  if (restrictedToInstituteId === undefined)
    return refused("Choose JOINT or your own institute: you must be able to see it", "label");
  return db.$transaction(async (tx) => {
    const workspace = await tx.workspace.create({
      data: {
        name: input.name,
        purpose: input.purpose,
        restrictedToInstituteId,
        marking: input.marking,
        kind: input.template,
        createdById: actor.id,
        members: { create: { userId: actor.id, role: "OWNER" } },
      },
      select: { id: true },
    });
    if (input.template === "JOINT_TESTING") {
      for (const page of JOINT_TESTING_PAGES) {
        await tx.workspacePage.create({
          data: {
            workspaceId: workspace.id,
            title: page.title,
            body: page.body,
            updatedById: actor.id,
            versions: {
              create: { version: 1, title: page.title, body: page.body, authorId: actor.id },
            },
          },
        });
      }
    }
    await logActivity(tx, workspace.id, actor, "workspace.created", "created the workspace");
    await recordAudit(tx, {
      actor,
      action: "workspace.created",
      targetType: "Workspace",
      targetId: workspace.id,
      details: {
        label: input.label === "JOINT" ? "JOINT" : "ONE_INSTITUTE",
        marking: input.marking,
      },
    });
    return { ok: true, workspaceId: workspace.id };
  });
}

/** How many of each list the home shows; each has its own page with all of them. */
export const HOME_LIST_SIZE = 10;

/**
 * The workspace home: purpose, members, recent activity, open tasks and registrations. After the
 * read check (shared with the layout), the same for every member, from the content cache
 * (content-cache.server.ts) or, on a miss, two statements (readWorkspaceHome). The viewer's role
 * and the workspace's kind come from the read check.
 */
export async function getWorkspaceHome(
  actor: Actor,
  workspaceId: string,
  { cache = sharedWorkspaceCache() }: CacheOption = {},
) {
  const { role, workspace } = await sharedReadAccess(actor, workspaceId);
  const home = await cache.read(workspace, ["home"], () => readWorkspaceHome(workspaceId));
  return { ...home, role, kind: workspace.kind };
}

/**
 * One statement for the lists and one for the names in the activity feed. Every list but the
 * members (all shown, as few as the people invited) is bounded, so the page costs the same in a
 * busy workspace.
 */
async function readWorkspaceHome(workspaceId: string) {
  const home = await db.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: {
      purpose: true,
      members: MEMBERS_QUERY,
      activity: {
        orderBy: [{ at: "desc" }, { id: "desc" }],
        take: HOME_LIST_SIZE,
        select: { id: true, actorId: true, summary: true, link: true, at: true },
      },
      tasks: {
        where: { status: { not: "DONE" } },
        orderBy: [{ dueOn: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
        take: HOME_LIST_SIZE,
        select: {
          id: true,
          title: true,
          status: true,
          dueOn: true,
          assignee: { select: { displayName: true } },
        },
      },
      registrations: {
        orderBy: [{ registeredAt: "desc" }, { id: "desc" }],
        take: HOME_LIST_SIZE,
        select: { id: true, title: true, registeredAt: true, contentHash: true },
      },
      _count: { select: { registrations: true } },
    },
  });
  const names = await actorNames(
    db,
    home.activity.map((a) => a.actorId),
  );
  return {
    purpose: home.purpose,
    members: home.members,
    activity: home.activity.map((a) => ({
      ...a,
      actorName: names.get(a.actorId ?? "") ?? "The portal",
    })),
    tasks: home.tasks,
    registrations: home.registrations,
    registrationCount: home._count.registrations,
  };
}

const SETTINGS_CHANGED = "The settings changed since you opened them. Check them and save again.";

/**
 * Name, purpose, marking and label. A label change that would shut out anyone who is in (a
 * member, someone invited, or a secondee of a linked placement) is refused, naming them.
 */
export async function updateWorkspaceSettings(
  actor: Actor,
  workspaceId: string,
  input: WorkspaceSettingsInput,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const { workspace } = await access(tx, actor, workspaceId, "manage");
    if (input.version !== workspace.version) return stale(SETTINGS_CHANGED);
    const target = labelTarget(actor, input.label);
    if (target === undefined)
      return refused("Choose JOINT or your own institute: you must be able to see it", "label");
    const labelChanged = target !== workspace.restrictedToInstituteId;
    if (labelChanged && target !== null) {
      const outside = await peopleOutside(tx, workspaceId, target);
      if (outside.length)
        return refused(
          `The label cannot be narrowed while these people are outside it: ${outside.join("; ")}. Remove them first.`,
          "label",
        );
    }
    const updated = await tx.workspace.updateMany({
      where: { id: workspaceId, version: input.version },
      data: {
        name: input.name,
        purpose: input.purpose,
        marking: input.marking,
        restrictedToInstituteId: target,
        version: { increment: 1 },
      },
    });
    if (updated.count !== 1) return stale(SETTINGS_CHANGED);
    const newLabel = target === null ? "JOINT" : labelName(await instituteCode(tx, target));
    const oldLabel = labelName(workspace.restrictedTo);
    if (labelChanged) {
      await recordAudit(tx, {
        actor,
        action: "workspace.label_changed",
        targetType: "Workspace",
        targetId: workspaceId,
        details: { from: oldLabel, to: newLabel },
      });
      await logActivity(
        tx,
        workspaceId,
        actor,
        "workspace.label",
        `changed the label from ${oldLabel} to ${newLabel}`,
      );
    }
    if (input.marking !== workspace.marking) {
      await recordAudit(tx, {
        actor,
        action: "workspace.marking_changed",
        targetType: "Workspace",
        targetId: workspaceId,
        details: { from: workspace.marking, to: input.marking },
      });
      await logActivity(
        tx,
        workspaceId,
        actor,
        "workspace.marking",
        `changed the marking to ${MARKING_LABELS[input.marking]}`,
      );
    }
    if (!labelChanged && input.marking === workspace.marking)
      await logActivity(
        tx,
        workspaceId,
        actor,
        "workspace.settings",
        "updated the name or purpose",
      );
    return { ok: true };
  });
}

async function instituteCode(tx: Tx, id: string) {
  return tx.institute.findUniqueOrThrow({ where: { id }, select: { code: true } });
}

/** Everyone with a way in whose institute a label restricted to `instituteId` would exclude. */
async function peopleOutside(tx: Tx, workspaceId: string, instituteId: string) {
  const [members, invitations, placements] = await Promise.all([
    tx.workspaceMember.findMany({
      where: { workspaceId, user: { instituteId: { not: instituteId } } },
      select: { user: { select: { displayName: true, institute: { select: { code: true } } } } },
    }),
    tx.workspaceInvitation.findMany({
      where: { workspaceId, status: "PENDING", invitee: { instituteId: { not: instituteId } } },
      select: { invitee: { select: { displayName: true, institute: { select: { code: true } } } } },
    }),
    tx.placementWorkspace.findMany({
      where: {
        workspaceId,
        placement: {
          status: { notIn: ["COMPLETED", "CANCELLED"] },
          secondee: { instituteId: { not: instituteId } },
        },
      },
      select: {
        placement: {
          select: {
            secondee: { select: { displayName: true, institute: { select: { code: true } } } },
          },
        },
      },
    }),
  ]);
  return [
    ...members.map((m) => `${m.user.displayName} (${m.user.institute.code}, member)`),
    ...invitations.map((i) => `${i.invitee.displayName} (${i.invitee.institute.code}, invited)`),
    ...placements.map(
      (p) =>
        `${p.placement.secondee.displayName} (${p.placement.secondee.institute.code}, placement)`,
    ),
  ];
}

// --- Placement-driven access -------------------------------------------------------------------

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
