import type { Prisma } from "~/generated/prisma/client";
import type { WorkspaceRole } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import { spendRateLimit } from "~/lib/rate-limits.server";
import { notify } from "~/modules/notifications/notifications.server";
import { getEnv } from "~/lib/env.server";
import type { Actor } from "~/lib/permissions";
import { notFound, refused, type ServiceResult } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { labelAdmits, labelName, ROLE_LABELS, roleMay } from "./rules";
import type { InviteInput } from "./schema";
import { clock } from "~/lib/clock";
import { access, admitting, sharedReadAccess, type Tx } from "./access.server";
import { logActivity } from "./activity.server";

// Who is in a workspace: the members page, invitations and their answers, roles and removal.

/** A workspace's members as its home and members page list them. */
export const MEMBERS_QUERY = {
  orderBy: [{ role: "asc" }, { joinedAt: "asc" }],
  select: {
    role: true,
    viaPlacementId: true,
    user: {
      select: {
        id: true,
        displayName: true,
        email: true,
        institute: { select: { id: true, code: true } },
      },
    },
  },
} satisfies Prisma.WorkspaceMemberFindManyArgs;

function workspaceMembers(tx: Tx, workspaceId: string) {
  return tx.workspaceMember.findMany({ where: { workspaceId }, ...MEMBERS_QUERY });
}

/** Members, invitations and settings: what the members page shows (read check shared per request). */
export async function getMembersPage(actor: Actor, workspaceId: string) {
  const { workspace, role } = await sharedReadAccess(actor, workspaceId);
  const [details, members, invitations] = await Promise.all([
    db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { purpose: true } }),
    workspaceMembers(db, workspaceId),
    roleMay(role, "manage")
      ? db.workspaceInvitation.findMany({
          where: { workspaceId, status: "PENDING" },
          orderBy: { createdAt: "asc" },
          select: {
            id: true,
            role: true,
            createdAt: true,
            invitee: { select: { displayName: true, email: true } },
          },
        })
      : Promise.resolve([]),
  ]);
  return {
    role,
    members,
    invitations,
    settings: {
      name: workspace.name,
      purpose: details.purpose,
      label: workspace.restrictedToInstituteId ?? "JOINT",
      marking: workspace.marking,
      version: workspace.version,
    },
  };
}

async function nameOf(tx: Tx, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { displayName: true } });
  return user?.displayName ?? "Someone";
}

/** Owners invite an existing portal user the label admits; the invitee is emailed. */
export async function inviteMember(
  actor: Actor,
  workspaceId: string,
  input: InviteInput,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const { workspace } = await access(tx, actor, workspaceId, "manage");
    const invitee = await tx.user.findFirst({
      where: { email: input.email, deactivatedAt: null },
      select: { id: true, displayName: true, email: true, instituteId: true },
    });
    if (!invitee) return refused("Nobody with an active portal account has that address", "email");
    if (!labelAdmits(workspace.restrictedToInstituteId, invitee.instituteId))
      return refused(
        `This workspace is ${labelName(workspace.restrictedTo)}: staff of other institutes cannot be invited`,
        "email",
      );
    const [member, pending] = await Promise.all([
      tx.workspaceMember.findUnique({
        where: { workspaceId_userId: { workspaceId, userId: invitee.id } },
        select: { role: true },
      }),
      tx.workspaceInvitation.findFirst({
        where: { workspaceId, inviteeId: invitee.id, status: "PENDING" },
        select: { id: true },
      }),
    ]);
    if (member) return refused(`${invitee.displayName} is already a member`, "email");
    if (pending) return refused(`${invitee.displayName} has already been invited`, "email");
    const limited = await spendRateLimit("workspaceInvitationsPerPerson", actor.id, tx);
    if (limited) return limited;
    await tx.workspaceInvitation.create({
      data: { workspaceId, inviteeId: invitee.id, role: input.role, invitedById: actor.id },
    });
    await notify(tx, invitee.email, {
      template: "workspace-invitation",
      props: {
        inviteeName: invitee.displayName,
        inviterName: await nameOf(tx, actor.id),
        workspaceName: workspace.name,
        role: ROLE_LABELS[input.role],
        url: new URL("/workspaces", getEnv().APP_URL).toString(),
      },
    });
    await logActivity(
      tx,
      workspaceId,
      actor,
      "member.invited",
      `invited ${invitee.displayName} as ${ROLE_LABELS[input.role].toLowerCase()}`,
      "/members",
    );
    await recordAudit(tx, {
      actor,
      action: "workspace.member_invited",
      targetType: "Workspace",
      targetId: workspaceId,
      details: { inviteeId: invitee.id, role: input.role },
    });
    return { ok: true };
  });
}

/** The invitee accepts or declines. Someone the label no longer admits is told it is gone. */
export async function answerInvitation(
  actor: Actor,
  invitationId: string,
  answer: "accept" | "decline",
): Promise<ServiceResult<{ workspaceId: string }>> {
  return db.$transaction(async (tx) => {
    const invitation = await tx.workspaceInvitation.findFirst({
      where: {
        id: invitationId,
        inviteeId: actor.id,
        workspace: admitting(actor.instituteId),
      },
      select: { id: true, status: true, role: true, workspaceId: true },
    });
    if (!invitation) throw notFound();
    const taken = await tx.workspaceInvitation.updateMany({
      where: { id: invitation.id, status: "PENDING" },
      data: { status: answer === "accept" ? "ACCEPTED" : "DECLINED", decidedAt: clock.now() },
    });
    if (taken.count !== 1)
      return refused("This invitation has already been answered or withdrawn.");
    const workspaceId = invitation.workspaceId;
    if (answer === "accept") {
      await tx.workspaceMember.upsert({
        where: { workspaceId_userId: { workspaceId, userId: actor.id } },
        create: { workspaceId, userId: actor.id, role: invitation.role },
        update: {},
      });
    }
    await logActivity(
      tx,
      workspaceId,
      actor,
      `member.${answer}`,
      answer === "accept" ? "joined the workspace" : "declined the invitation",
      "/members",
    );
    await recordAudit(tx, {
      actor,
      action: answer === "accept" ? "workspace.member_joined" : "workspace.invitation_declined",
      targetType: "Workspace",
      targetId: workspaceId,
      details: { role: invitation.role },
    });
    return { ok: true, workspaceId };
  });
}

export async function cancelInvitation(
  actor: Actor,
  workspaceId: string,
  invitationId: string,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "manage");
    const cancelled = await tx.workspaceInvitation.updateMany({
      where: { id: invitationId, workspaceId, status: "PENDING" },
      data: { status: "CANCELLED", decidedAt: clock.now() },
    });
    if (cancelled.count !== 1) return refused("That invitation is no longer pending.");
    await logActivity(
      tx,
      workspaceId,
      actor,
      "member.invitation_cancelled",
      "withdrew an invitation",
      "/members",
    );
    await recordAudit(tx, {
      actor,
      action: "workspace.invitation_cancelled",
      targetType: "Workspace",
      targetId: workspaceId,
      details: { invitationId },
    });
    return { ok: true };
  });
}

/** Owners who can still open the workspace: an owner the label now excludes manages nothing. */
async function ownerCount(tx: Tx, workspaceId: string) {
  const { restrictedToInstituteId } = await tx.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { restrictedToInstituteId: true },
  });
  return tx.workspaceMember.count({
    where: {
      workspaceId,
      role: "OWNER",
      ...(restrictedToInstituteId ? { user: { instituteId: restrictedToInstituteId } } : {}),
    },
  });
}

const LAST_OWNER = "A workspace needs at least one owner. Make someone else an owner first.";

/** Owners change a member's role; the last owner cannot step down. */
export async function setMemberRole(
  actor: Actor,
  workspaceId: string,
  userId: string,
  role: WorkspaceRole,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "manage");
    // Serialise membership changes of this workspace, so two owners cannot both step down.
    await tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`;
    const member = await tx.workspaceMember.findUnique({
      where: { workspaceId_userId: { workspaceId, userId } },
      select: { role: true, user: { select: { displayName: true } } },
    });
    if (!member) return refused("That person is not a member of this workspace.");
    if (member.role === role) return { ok: true };
    if (member.role === "OWNER" && (await ownerCount(tx, workspaceId)) <= 1)
      return refused(LAST_OWNER);
    // An owner's choice of role is deliberate: it no longer ends with a placement.
    await tx.workspaceMember.update({
      where: { workspaceId_userId: { workspaceId, userId } },
      data: { role, viaPlacementId: null, roleBeforePlacement: null },
    });
    await logActivity(
      tx,
      workspaceId,
      actor,
      "member.role",
      `made ${member.user.displayName} ${ROLE_LABELS[role].toLowerCase()}`,
      "/members",
    );
    await recordAudit(tx, {
      actor,
      action: "workspace.member_role_changed",
      targetType: "Workspace",
      targetId: workspaceId,
      details: { userId, from: member.role, to: role },
    });
    return { ok: true };
  });
}

/** Owners remove members; anyone may leave. The last owner can do neither to themselves. */
export async function removeMember(
  actor: Actor,
  workspaceId: string,
  userId: string,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, userId === actor.id ? "read" : "manage");
    await tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`;
    const member = await tx.workspaceMember.findUnique({
      where: { workspaceId_userId: { workspaceId, userId } },
      select: { role: true, user: { select: { displayName: true } } },
    });
    if (!member) return refused("That person is not a member of this workspace.");
    if (member.role === "OWNER" && (await ownerCount(tx, workspaceId)) <= 1)
      return refused(LAST_OWNER);
    await tx.workspaceMember.delete({ where: { workspaceId_userId: { workspaceId, userId } } });
    const leaving = userId === actor.id;
    await logActivity(
      tx,
      workspaceId,
      actor,
      leaving ? "member.left" : "member.removed",
      leaving ? "left the workspace" : `removed ${member.user.displayName}`,
      "/members",
    );
    await recordAudit(tx, {
      actor,
      action: leaving ? "workspace.member_left" : "workspace.member_removed",
      targetType: "Workspace",
      targetId: workspaceId,
      details: { userId, role: member.role },
    });
    return { ok: true };
  });
}
