import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { refused, stale, type ServiceResult } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { sharedWorkspaceCache, type CacheOption } from "./content-cache.server";
import { JOINT_TESTING_PAGES } from "./joint-testing";
import { labelName, MARKING_LABELS } from "./rules";
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
import { countMembersAndOpenTasks } from "./queries.server";

// Workspaces themselves: creating one, "My workspaces", the frame and home page every member sees,
// and the settings (name, purpose, marking and label).

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
