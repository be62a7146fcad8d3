import type { Prisma } from "~/generated/prisma/client";
import type { Role } from "~/generated/prisma/enums";
import { clock } from "~/lib/clock";
import { db, likeLiteral } from "~/lib/db.server";
import { spendRateLimit } from "~/lib/rate-limits.server";
import type { EmailMessage } from "~/lib/email/render.server";
import { assertAdmin, type Actor } from "~/lib/permissions";
import {
  isUniqueViolation,
  notFound,
  refused,
  type RequestInfo,
  type ServiceResult,
} from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { notify } from "~/modules/notifications/notifications.server";
import { newOneTimeLink } from "./one-time-links.server";

async function lineManagerProblem(
  lineManagerId: string | undefined,
  instituteId: string,
  userId?: string,
) {
  if (!lineManagerId) return null;
  if (lineManagerId === userId) return "A person cannot be their own line manager.";
  const manager = await db.user.findFirst({
    where: { id: lineManagerId, instituteId, deactivatedAt: null },
    select: { id: true },
  });
  return manager ? null : "Choose a line manager from the same institute.";
}

export type InviteInput = {
  email: string;
  displayName: string;
  jobTitle: string;
  team: string;
  instituteId: string;
  lineManagerId?: string;
  roles: Role[];
};

export async function inviteUser(
  actor: Actor & { displayName: string },
  invite: InviteInput,
  req: RequestInfo,
): Promise<ServiceResult<{ userId: string }>> {
  assertAdmin(actor);
  // Sign-in matches addresses in lower case; store them so.
  const input = { ...invite, email: invite.email.trim().toLowerCase() };
  const institute = await db.institute.findUnique({
    where: { id: input.instituteId },
    select: { id: true, name: true },
  });
  if (!institute) return refused("Choose an institute", "instituteId");
  const managerProblem = await lineManagerProblem(input.lineManagerId || undefined, institute.id);
  if (managerProblem) return refused(managerProblem, "lineManagerId");
  const link = newOneTimeLink("INVITATION");
  const mail: EmailMessage = {
    template: "invitation",
    props: {
      inviteeName: input.displayName,
      inviterName: actor.displayName,
      instituteName: institute.name,
      url: link.url,
      expiresAt: link.expiresAt.toUTCString(),
    },
  };
  try {
    const created = await db.$transaction(async (tx) => {
      const limited = await spendRateLimit("accountInvitationsPerPerson", actor.id, tx);
      if (limited) return limited;
      const user = await tx.user.create({
        data: {
          email: input.email,
          displayName: input.displayName,
          jobTitle: input.jobTitle,
          team: input.team,
          instituteId: institute.id,
          lineManagerId: input.lineManagerId || null,
          roles: input.roles,
        },
        select: { id: true },
      });
      await tx.oneTimeToken.create({ data: { ...link.row, userId: user.id } });
      await notify(tx, { id: user.id, email: input.email }, mail);
      await recordAudit(tx, {
        actor,
        action: "user.invited",
        targetType: "User",
        targetId: user.id,
        instituteId: institute.id,
        ipAddress: req.ipAddress,
        details: { roles: input.roles },
        personal: { email: input.email },
      });
      return user.id;
    });
    if (typeof created !== "string") return created;
    return { ok: true, userId: created };
  } catch (error) {
    if (isUniqueViolation(error))
      return refused("A user with this email address already exists.", "email");
    throw error;
  }
}

export type EditUserInput = {
  displayName: string;
  jobTitle: string;
  team: string;
  lineManagerId?: string;
  roles: Role[];
};

export async function updateUser(
  actor: Actor,
  userId: string,
  input: EditUserInput,
  req: RequestInfo,
): Promise<ServiceResult> {
  assertAdmin(actor);
  const before = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, roles: true, instituteId: true },
  });
  if (!before) throw notFound();
  if (userId === actor.id && !input.roles.includes("ADMIN")) {
    return refused("You cannot remove your own administrator role.", "roles");
  }
  const managerProblem = await lineManagerProblem(
    input.lineManagerId || undefined,
    before.instituteId,
    userId,
  );
  if (managerProblem) return refused(managerProblem, "lineManagerId");
  await db.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: userId },
      data: {
        displayName: input.displayName,
        jobTitle: input.jobTitle,
        team: input.team,
        lineManagerId: input.lineManagerId || null,
        roles: input.roles,
      },
    });
    const added = input.roles.filter((r) => !before.roles.includes(r));
    const removed = before.roles.filter((r) => !input.roles.includes(r));
    if (added.length || removed.length) {
      await recordAudit(tx, {
        actor,
        action: "user.roles.changed",
        targetType: "User",
        targetId: userId,
        instituteId: before.instituteId,
        ipAddress: req.ipAddress,
        details: { added, removed },
      });
    }
    await recordAudit(tx, {
      actor,
      action: "user.updated",
      targetType: "User",
      targetId: userId,
      instituteId: before.instituteId,
      ipAddress: req.ipAddress,
    });
  });
  return { ok: true };
}

/** Deactivation ends every session of the user at once, in the same transaction. */
export async function setUserActive(
  actor: Actor,
  userId: string,
  active: boolean,
  req: RequestInfo,
): Promise<ServiceResult> {
  assertAdmin(actor);
  if (userId === actor.id) return refused("You cannot deactivate your own account.");
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, instituteId: true, deactivatedAt: true },
  });
  if (!user) throw notFound();
  await db.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: userId },
      data: { deactivatedAt: active ? null : clock.now() },
    });
    if (!active) await tx.session.deleteMany({ where: { userId } });
    await recordAudit(tx, {
      actor,
      action: active ? "user.reactivated" : "user.deactivated",
      targetType: "User",
      targetId: userId,
      instituteId: user.instituteId,
      ipAddress: req.ipAddress,
    });
  });
  return { ok: true };
}

export const USER_PAGE_SIZE = 50;

export async function listUsers(
  actor: Actor,
  filter: { q?: string; institute?: string; status?: string; page?: number },
) {
  assertAdmin(actor);
  const where: Prisma.UserWhereInput = {
    ...(filter.q
      ? {
          OR: [
            { email: { contains: likeLiteral(filter.q), mode: "insensitive" } },
            { displayName: { contains: likeLiteral(filter.q), mode: "insensitive" } },
          ],
        }
      : {}),
    ...(filter.institute ? { instituteId: filter.institute } : {}),
    ...(filter.status === "deactivated"
      ? { deactivatedAt: { not: null } }
      : filter.status === "all"
        ? {}
        : { deactivatedAt: null }),
  };
  const page = filter.page ?? 1;
  const [users, total] = await Promise.all([
    db.user.findMany({
      where,
      orderBy: [{ displayName: "asc" }, { id: "asc" }],
      skip: (page - 1) * USER_PAGE_SIZE,
      take: USER_PAGE_SIZE,
      select: {
        id: true,
        email: true,
        displayName: true,
        jobTitle: true,
        roles: true,
        deactivatedAt: true,
        institute: { select: { code: true } },
        mfa: { select: { confirmedAt: true } },
        password: { select: { userId: true } },
      },
    }),
    db.user.count({ where }),
  ]);
  return {
    users: users.map(({ mfa, password, ...u }) => ({
      ...u,
      mfaEnabled: Boolean(mfa?.confirmedAt),
      invitationPending: !password,
    })),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / USER_PAGE_SIZE)),
  };
}

export async function getUserForAdmin(actor: Actor, userId: string) {
  assertAdmin(actor);
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      displayName: true,
      jobTitle: true,
      team: true,
      roles: true,
      instituteId: true,
      lineManagerId: true,
      deactivatedAt: true,
      createdAt: true,
      institute: { select: { name: true, code: true } },
      mfa: { select: { confirmedAt: true } },
      _count: { select: { sessions: true, passkeys: true } },
    },
  });
  if (!user) throw notFound();
  const managers = await db.user.findMany({
    where: { instituteId: user.instituteId, deactivatedAt: null, id: { not: user.id } },
    orderBy: { displayName: "asc" },
    select: { id: true, displayName: true, jobTitle: true },
  });
  return {
    user: {
      ...user,
      mfaEnabled: Boolean(user.mfa?.confirmedAt),
      hasSecondFactor: Boolean(user.mfa) || user._count.passkeys > 0,
    },
    managers,
  };
}

/** Institutes and their active people, for the invitation form's choices. */
export async function invitationChoices(actor: Actor) {
  assertAdmin(actor);
  return db.institute.findMany({
    orderBy: { code: "asc" },
    select: {
      id: true,
      code: true,
      name: true,
      users: {
        where: { deactivatedAt: null },
        orderBy: { displayName: "asc" },
        select: { id: true, displayName: true },
      },
    },
  });
}

/**
 * The first administrator of a fresh database, made from the command line
 * (`npm run admin:invite`), where there is no one yet to invite them: an ADMIN of the institute
 * with that code and a one-time invitation link to set their password, returned to be printed
 * rather than emailed, since the operator running it may have no mail set up yet. Audited with no
 * actor, as the operator is not a user.
 */
export async function inviteFirstAdministrator(input: {
  email: string;
  instituteCode: string;
  displayName?: string;
}): Promise<ServiceResult<{ userId: string; url: string; expiresAt: Date }>> {
  const email = input.email.trim().toLowerCase();
  const institute = await db.institute.findUnique({
    where: { code: input.instituteCode },
    select: { id: true },
  });
  if (!institute) return refused(`No institute has the code ${input.instituteCode}.`, "institute");
  const link = newOneTimeLink("INVITATION");
  try {
    const userId = await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          email,
          displayName: input.displayName?.trim() || email.split("@")[0]!,
          instituteId: institute.id,
          roles: ["STAFF", "ADMIN"],
        },
        select: { id: true },
      });
      await tx.oneTimeToken.create({ data: { ...link.row, userId: user.id } });
      await recordAudit(tx, {
        actorEmail: "npm run admin:invite",
        action: "user.invited",
        targetType: "User",
        targetId: user.id,
        instituteId: institute.id,
        details: { roles: ["STAFF", "ADMIN"], from: "command line" },
        personal: { email },
      });
      return user.id;
    });
    return { ok: true, userId, url: link.url, expiresAt: link.expiresAt };
  } catch (error) {
    if (isUniqueViolation(error))
      return refused(`A user with the address ${email} already exists.`, "email");
    throw error;
  }
}
