import { db } from "~/lib/db.server";
import { verifyAgainstDummy, verifyPassword } from "~/lib/password.server";
import type { Actor } from "~/lib/permissions";
import type { RequestInfo } from "~/lib/service";
import { createSession, invalidateSession, invalidateUserSessions } from "~/lib/session.server";
import { clearFailures, lockedUntil } from "~/lib/throttle.server";
import { recordAuditNow } from "~/modules/audit/audit.server";
import { consumeSecondFactor } from "./mfa.server";
import { PASSWORDS_OFF, passwordsForbidden } from "./sso-sign-in.server";
import {
  accountKeys,
  codeKeys,
  latest,
  lockedMessage,
  passwordKeys,
  recordFailedAttempt,
} from "./sign-in-throttle.server";

const GENERIC_SIGNIN_ERROR = "The email address or password is not right.";

/**
 * Password step. Every failure looks the same to the client, whatever its cause. A session the
 * browser already had (`replacing`: half signed in, or someone else's) ends when the new one starts,
 * so that no session id survives a sign-in.
 *
 * A locked account (at this address, or from everywhere after many failures) is refused outright.
 * A locked address is not, because many people can share
 * one (an office's NAT): the password is still checked, wrong guesses count against the account,
 * and a right password for an account with a second factor goes on to the code step, which only
 * the account's own limit guards. A right password without a second factor gets the same lock
 * answer as a wrong one, so the locked address learns nothing from it.
 */
export async function signIn(
  input: { email: string; password: string },
  req: RequestInfo,
  replacing?: string,
) {
  const email = input.email.toLowerCase();
  if (await passwordsForbidden(email)) return passwordsOff(email, req);
  const keys = passwordKeys(email, req.ipAddress);
  const accountLock = await lockedUntil(accountKeys(keys));
  if (accountLock) {
    await recordAuditNow({
      actorEmail: email,
      action: "auth.signin.throttled",
      ipAddress: req.ipAddress,
    });
    return {
      ok: false as const,
      errors: { "": [lockedMessage(accountLock)] },
      lockedUntil: accountLock,
    };
  }
  const addressLock = await lockedUntil([keys.address]);
  const user = await db.user.findUnique({
    where: { email },
    select: {
      id: true,
      email: true,
      instituteId: true,
      deactivatedAt: true,
      password: { select: { hash: true } },
      mfa: { select: { confirmedAt: true } },
      _count: { select: { passkeys: true } },
    },
  });
  const valid = user?.password
    ? await verifyPassword(user.password.hash, input.password)
    : await verifyAgainstDummy(input.password);
  if (!user || !valid || user.deactivatedAt) {
    const reason = !user ? "unknown_account" : !valid ? "bad_password" : "deactivated";
    // While the address is locked its count stands still, so that a wrong guess and a right one
    // (refused below) get the same lock in their answer.
    const lock = addressLock
      ? latest([addressLock, await recordFailedAttempt(keys, { accountOnly: true })])
      : await recordFailedAttempt(keys);
    await recordAuditNow({
      actorEmail: email,
      action: "auth.signin.failed",
      targetType: user ? "User" : "",
      targetId: user?.id ?? "",
      instituteId: user?.instituteId ?? null,
      ipAddress: req.ipAddress,
      details: { reason, ...(addressLock ? { addressLocked: true } : {}) },
    });
    return {
      ok: false as const,
      errors: { "": [lock ? lockedMessage(lock) : GENERIC_SIGNIN_ERROR] },
      lockedUntil: lock ?? undefined,
    };
  }
  if (await passwordsForbidden(email, user.instituteId)) return passwordsOff(email, req, user);
  // A passkey is a second factor too: after a password, it (or a TOTP code) completes the sign-in.
  const mfaEnabled = Boolean(user.mfa?.confirmedAt) || user._count.passkeys > 0;
  if (addressLock && !mfaEnabled) {
    await recordAuditNow({
      actor: user,
      action: "auth.signin.throttled",
      targetType: "User",
      targetId: user.id,
      ipAddress: req.ipAddress,
      details: { reason: "address_locked_without_second_factor" },
    });
    return {
      ok: false as const,
      errors: { "": [lockedMessage(addressLock)] },
      lockedUntil: addressLock,
    };
  }
  // Only the count at this address: failures from elsewhere still stand against the account.
  await clearFailures(keys.accountHere);
  if (replacing) await invalidateSession(replacing);
  const session = await createSession(user.id, { mfaVerified: !mfaEnabled, ...req });
  await recordAuditNow({
    actor: user,
    action: mfaEnabled ? "auth.signin.password_ok" : "auth.signin.succeeded",
    targetType: "User",
    targetId: user.id,
    ipAddress: req.ipAddress,
    ...(addressLock ? { details: { addressLocked: true } } : {}),
  });
  return { ok: true as const, ...session, needsMfa: mfaEnabled };
}

/** A person whose institute signs in only through its provider is sent there. */
async function passwordsOff(
  email: string,
  req: RequestInfo,
  user?: { id: string; email: string; instituteId: string },
) {
  await recordAuditNow({
    ...(user ? { actor: user, targetType: "User", targetId: user.id } : { actorEmail: email }),
    action: "auth.signin.refused",
    ipAddress: req.ipAddress,
    details: { reason: "passwords_off_for_institute" },
  });
  return { ok: false as const, errors: { "": [PASSWORDS_OFF] }, lockedUntil: undefined };
}

/**
 * Second step: a TOTP code (each accepted once) or an unused recovery code. A new token follows.
 * Only the account's own lock refuses a code unseen: whoever reaches this step has the password,
 * and a locked address must not keep the other people behind it out.
 */
export async function completeMfaSignIn(
  pending: { sessionId: string; user: Actor },
  code: string,
  req: RequestInfo,
) {
  const { user } = pending;
  const keys = codeKeys(user.id, req.ipAddress);
  const locked = await lockedUntil(accountKeys(keys));
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
  await clearFailures(keys.accountHere);
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
