import type { Prisma } from "~/generated/prisma/client";
import type { Role } from "~/generated/prisma/enums";
import type { EmailMessage } from "~/lib/email/render.server";
import { db, likeLiteral } from "~/lib/db.server";
import {
  hashPassword,
  passwordProblem,
  verifyAgainstDummy,
  verifyPassword,
} from "~/lib/password.server";
import { assertAdmin, type Actor } from "~/lib/permissions";
import {
  isUniqueViolation,
  notFound,
  refused,
  type RequestInfo,
  type ServiceResult,
} from "~/lib/service";
import { createSession, invalidateSession, invalidateUserSessions } from "~/lib/session.server";
import { clearFailures, lockedUntil } from "~/lib/throttle.server";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { formatSecret, generateTotpKey, matchTotp, totpQrSvg } from "~/lib/totp.server";
import { recordAudit, recordAuditNow } from "~/modules/audit/audit.server";
import { notify } from "~/modules/notifications/notifications.server";
import { clock } from "~/lib/clock";
import {
  codeKeys,
  lockedMessage,
  passwordKeys,
  recordFailedAttempt,
} from "./sign-in-throttle.server";
import { newOneTimeLink } from "./one-time-links.server";

const GENERIC_SIGNIN_ERROR = "The email address or password is not right.";

// ---------------------------------------------------------------- sign-in

/**
 * Password step. Every failure looks the same to the client, whatever its cause. A session the
 * browser already had (`replacing`: half signed in, or someone else's) ends when the new one starts,
 * so that no session id survives a sign-in.
 */
export async function signIn(
  input: { email: string; password: string },
  req: RequestInfo,
  replacing?: string,
) {
  const email = input.email.toLowerCase();
  const keys = passwordKeys(email, req.ipAddress);
  const locked = await lockedUntil(keys);
  if (locked) {
    await recordAuditNow({
      actorEmail: email,
      action: "auth.signin.throttled",
      ipAddress: req.ipAddress,
    });
    return { ok: false as const, errors: { "": [lockedMessage(locked)] }, lockedUntil: locked };
  }
  const user = await db.user.findUnique({
    where: { email },
    select: {
      id: true,
      email: true,
      instituteId: true,
      deactivatedAt: true,
      password: { select: { hash: true } },
      mfa: { select: { confirmedAt: true } },
    },
  });
  const valid = user?.password
    ? await verifyPassword(user.password.hash, input.password)
    : await verifyAgainstDummy(input.password);
  if (!user || !valid || user.deactivatedAt) {
    const reason = !user ? "unknown_account" : !valid ? "bad_password" : "deactivated";
    const lock = await recordFailedAttempt(keys);
    await recordAuditNow({
      actorEmail: email,
      action: "auth.signin.failed",
      targetType: user ? "User" : "",
      targetId: user?.id ?? "",
      instituteId: user?.instituteId ?? null,
      ipAddress: req.ipAddress,
      details: { reason },
    });
    return {
      ok: false as const,
      errors: { "": [lock ? lockedMessage(lock) : GENERIC_SIGNIN_ERROR] },
      lockedUntil: lock ?? undefined,
    };
  }
  await clearFailures(keys[0]);
  const mfaEnabled = Boolean(user.mfa?.confirmedAt);
  if (replacing) await invalidateSession(replacing);
  const session = await createSession(user.id, { mfaVerified: !mfaEnabled, ...req });
  await recordAuditNow({
    actor: user,
    action: mfaEnabled ? "auth.signin.password_ok" : "auth.signin.succeeded",
    targetType: "User",
    targetId: user.id,
    ipAddress: req.ipAddress,
  });
  return { ok: true as const, ...session, needsMfa: mfaEnabled };
}

/** Second step: a TOTP code (each accepted once) or an unused recovery code. A new token follows. */
export async function completeMfaSignIn(
  pending: { sessionId: string; user: Actor },
  code: string,
  req: RequestInfo,
) {
  const { user } = pending;
  const keys = codeKeys(user.id, req.ipAddress);
  const locked = await lockedUntil(keys);
  if (locked) {
    await recordAuditNow({ actor: user, action: "auth.mfa.throttled", ipAddress: req.ipAddress });
    return { ok: false as const, errors: { code: [lockedMessage(locked)] }, lockedUntil: locked };
  }
  const method = await consumeSecondFactor(user.id, code);
  if (!method) {
    const lock = await recordFailedAttempt(keys);
    await recordAuditNow({
      actor: user,
      action: "auth.mfa.failed",
      targetType: "User",
      targetId: user.id,
      ipAddress: req.ipAddress,
    });
    return {
      ok: false as const,
      errors: {
        code: [
          lock
            ? lockedMessage(lock)
            : "That code is not right, or it has already been used. Wait for a new code and try again.",
        ],
      },
      lockedUntil: lock ?? undefined,
    };
  }
  await clearFailures(keys[0]);
  await invalidateSession(pending.sessionId);
  const session = await createSession(user.id, { mfaVerified: true, ...req });
  await recordAuditNow({
    actor: user,
    action: "auth.signin.succeeded",
    targetType: "User",
    targetId: user.id,
    ipAddress: req.ipAddress,
    details: { secondFactor: method },
  });
  return { ok: true as const, ...session };
}

async function consumeSecondFactor(
  userId: string,
  code: string,
): Promise<"totp" | "recovery_code" | null> {
  if (/^\d{6}$/.test(code)) {
    const secret = await db.mfaSecret.findUnique({
      where: { userId },
      select: { key: true, confirmedAt: true },
    });
    if (!secret?.confirmedAt) return null;
    const step = matchTotp(new Uint8Array(secret.key), code);
    if (step === null) return null;
    // Conditional update: of two requests with the same code, only one moves the step forward.
    const { count } = await db.mfaSecret.updateMany({
      where: { userId, lastUsedStep: { lt: BigInt(step) } },
      data: { lastUsedStep: BigInt(step) },
    });
    return count === 1 ? "totp" : null;
  }
  const normalised = code.replaceAll("-", "");
  const { count } = await db.mfaRecoveryCode.updateMany({
    where: { userId, codeHash: hashToken(normalised), usedAt: null },
    data: { usedAt: clock.now() },
  });
  return count === 1 ? "recovery_code" : null;
}

export async function signOut(sessionId: string, actor: Actor | null, req: RequestInfo) {
  await invalidateSession(sessionId);
  if (actor)
    await recordAuditNow({
      actor,
      action: "auth.signout",
      targetType: "User",
      targetId: actor.id,
      ipAddress: req.ipAddress,
    });
}

export async function signOutEverywhere(actor: Actor, req: RequestInfo) {
  await invalidateUserSessions(actor.id);
  await recordAuditNow({
    actor,
    action: "auth.signout_everywhere",
    targetType: "User",
    targetId: actor.id,
    ipAddress: req.ipAddress,
  });
}

export async function listMySessions(actor: Actor) {
  return db.session.findMany({
    where: { userId: actor.id, expiresAt: { gt: clock.now() } },
    orderBy: { lastSeenAt: "desc" },
    select: {
      id: true,
      createdAt: true,
      lastSeenAt: true,
      expiresAt: true,
      ipAddress: true,
      userAgent: true,
    },
  });
}

// ---------------------------------------------------------------- MFA enrolment

export async function getMfaStatus(actor: Actor) {
  const secret = await db.mfaSecret.findUnique({
    where: { userId: actor.id },
    select: { confirmedAt: true },
  });
  const remaining = await db.mfaRecoveryCode.count({ where: { userId: actor.id, usedAt: null } });
  return {
    enabled: Boolean(secret?.confirmedAt),
    enabledAt: secret?.confirmedAt ?? null,
    recoveryCodesLeft: remaining,
  };
}

/** Creates (or replaces an unconfirmed) TOTP key and returns what the enrolment page shows. */
export async function startMfaEnrolment(actor: Actor) {
  const existing = await db.mfaSecret.findUnique({
    where: { userId: actor.id },
    select: { confirmedAt: true, key: true },
  });
  if (existing?.confirmedAt) return { alreadyEnabled: true as const };
  // Reuse a pending key so that reloading the page does not invalidate a scanned QR code.
  const key = existing ? new Uint8Array(existing.key) : generateTotpKey();
  if (!existing) await db.mfaSecret.create({ data: { userId: actor.id, key: Buffer.from(key) } });
  return {
    alreadyEnabled: false as const,
    secret: formatSecret(key),
    qrSvg: await totpQrSvg(key, actor.email),
  };
}

export const RECOVERY_CODE_COUNT = 10;

/** 25 base32 characters: 125 random bits, so an unsalted fast hash of it cannot be reversed. */
function newRecoveryCode() {
  const raw = generateToken().slice(0, 25);
  return (raw.match(/.{5}/g) ?? []).join("-");
}

/**
 * Re-authentication before a change to how the person signs in: their current password, counted
 * against the same account and address limits as sign-in, so a stolen session cannot be used to
 * guess it. Refusals are audited under the given action names.
 */
async function proveCurrentPassword(
  actor: Actor,
  current: string,
  req: RequestInfo,
  audit: { failed: string; throttled: string },
): Promise<ServiceResult> {
  const keys = passwordKeys(actor.email.toLowerCase(), req.ipAddress);
  const locked = await lockedUntil(keys);
  if (locked) {
    await recordAuditNow({ actor, action: audit.throttled, ipAddress: req.ipAddress });
    return { ok: false, errors: { current: [lockedMessage(locked)] }, lockedUntil: locked };
  }
  const row = await db.password.findUnique({ where: { userId: actor.id }, select: { hash: true } });
  if (!row || !(await verifyPassword(row.hash, current))) {
    const lock = await recordFailedAttempt(keys);
    await recordAuditNow({
      actor,
      action: audit.failed,
      targetType: "User",
      targetId: actor.id,
      ipAddress: req.ipAddress,
      details: { reason: "bad_password" },
    });
    return {
      ok: false,
      errors: { current: [lock ? lockedMessage(lock) : "Your current password is not right."] },
      lockedUntil: lock ?? undefined,
    };
  }
  await clearFailures(keys[0]);
  return { ok: true };
}

/**
 * Proves the key with a code, turns MFA on and returns recovery codes (shown once). The current
 * password is asked for too, so that a stolen session cannot tie the account to the thief's
 * authenticator; wrong passwords count toward the sign-in throttle, like guesses at /login.
 */
export async function confirmMfaEnrolment(
  actor: Actor & { displayName: string; sessionId: string },
  input: { code: string; current: string },
  req: RequestInfo,
): Promise<ServiceResult<{ recoveryCodes: string[] }>> {
  const { code } = input;
  const proof = await proveCurrentPassword(actor, input.current, req, {
    failed: "auth.mfa.enrolment_failed",
    throttled: "auth.mfa.enrolment_throttled",
  });
  if (!proof.ok) return proof;
  const secret = await db.mfaSecret.findUnique({
    where: { userId: actor.id },
    select: { key: true, confirmedAt: true },
  });
  if (!secret) return refused("Start again: reload this page to get a new code.", "code");
  if (secret.confirmedAt) return refused("Two-step verification is already on.", "code");
  const step = matchTotp(new Uint8Array(secret.key), code);
  if (step === null) {
    await recordAuditNow({
      actor,
      action: "auth.mfa.enrolment_failed",
      targetType: "User",
      targetId: actor.id,
      ipAddress: req.ipAddress,
    });
    return refused(
      "That code is not right. Check the time on your device and try the newest code.",
      "code",
    );
  }
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const mail: EmailMessage = {
    template: "mfa-enrolled",
    props: { name: actor.displayName, when: clock.now().toUTCString() },
  };
  const done = await db.$transaction(async (tx) => {
    const { count } = await tx.mfaSecret.updateMany({
      where: { userId: actor.id, confirmedAt: null },
      data: { confirmedAt: clock.now(), lastUsedStep: BigInt(step) },
    });
    if (count !== 1) return false;
    await tx.mfaRecoveryCode.deleteMany({ where: { userId: actor.id } });
    await tx.mfaRecoveryCode.createMany({
      data: codes.map((c) => ({ userId: actor.id, codeHash: hashToken(c.replaceAll("-", "")) })),
    });
    await tx.session.updateMany({ where: { id: actor.sessionId }, data: { mfaVerified: true } });
    await notify(tx, { id: actor.id, email: actor.email }, mail);
    await recordAudit(tx, {
      actor,
      action: "auth.mfa.enrolled",
      targetType: "User",
      targetId: actor.id,
      ipAddress: req.ipAddress,
    });
    return true;
  });
  if (!done) return refused("Two-step verification is already on.", "code");
  return { ok: true, recoveryCodes: codes };
}

/**
 * Changes the password after checking the current one. Every session of the user ends, this one
 * included: the browser that made the change gets a new session (returned), the others must sign
 * in again with the new password.
 */
export async function changePassword(
  actor: Actor & { displayName: string; sessionId: string; mfaEnabled: boolean },
  input: { current: string; password: string },
  req: RequestInfo,
): Promise<ServiceResult<{ token: string; cookieExpiresAt: Date }>> {
  const proof = await proveCurrentPassword(actor, input.current, req, {
    failed: "auth.password_change.failed",
    throttled: "auth.password_change.throttled",
  });
  if (!proof.ok) return proof;
  const problem = passwordProblem(input.password, actor);
  if (problem) return refused(problem, "password");
  const hash = await hashPassword(input.password);
  await db.$transaction(async (tx) => {
    await tx.password.update({ where: { userId: actor.id }, data: { hash } });
    await tx.session.deleteMany({ where: { userId: actor.id } });
    await recordAudit(tx, {
      actor,
      action: "auth.password_changed",
      targetType: "User",
      targetId: actor.id,
      ipAddress: req.ipAddress,
    });
  });
  // The second factor (if any) was proven by the session that asked; the new one inherits it.
  const session = await createSession(actor.id, { mfaVerified: true, ...req });
  return { ok: true, ...session };
}

// ---------------------------------------------------------------- administration of users

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
    const userId = await db.$transaction(async (tx) => {
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
    return { ok: true, userId };
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
      _count: { select: { sessions: true } },
    },
  });
  if (!user) throw notFound();
  const managers = await db.user.findMany({
    where: { instituteId: user.instituteId, deactivatedAt: null, id: { not: user.id } },
    orderBy: { displayName: "asc" },
    select: { id: true, displayName: true, jobTitle: true },
  });
  return { user: { ...user, mfaEnabled: Boolean(user.mfa?.confirmedAt) }, managers };
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
