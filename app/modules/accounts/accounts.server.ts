import type { EmailMessage } from "~/lib/email/render.server";
import { db } from "~/lib/db.server";
import { verifyAgainstDummy, verifyPassword } from "~/lib/password.server";
import type { Actor } from "~/lib/permissions";
import { refused, type RequestInfo, type ServiceResult } from "~/lib/service";
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
import { proveCurrentPassword } from "./password.server";

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
