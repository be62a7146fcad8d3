import { db } from "~/lib/db.server";
import { hashPassword, passwordProblem, verifyPassword } from "~/lib/password.server";
import type { Actor } from "~/lib/permissions";
import { refused, type RequestInfo, type ServiceResult } from "~/lib/service";
import { createSession } from "~/lib/session.server";
import { clearFailures, lockedUntil } from "~/lib/throttle.server";
import { recordAudit, recordAuditNow } from "~/modules/audit/audit.server";
import {
  accountKeys,
  lockedMessage,
  passwordKeys,
  recordFailedAttempt,
} from "./sign-in-throttle.server";

/**
 * Re-authentication before a change to how the person signs in: their current password, counted
 * against the same account and address limits as sign-in, so a stolen session cannot be used to
 * guess it. Only the account's lock refuses unseen: the person is signed in already, and an
 * address other people locked must not stop them. Refusals are audited under the given names.
 */
export async function proveCurrentPassword(
  actor: Actor,
  current: string,
  req: RequestInfo,
  audit: { failed: string; throttled: string },
): Promise<ServiceResult> {
  const keys = passwordKeys(actor.email.toLowerCase(), req.ipAddress);
  const locked = await lockedUntil(accountKeys(keys));
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
  await clearFailures(keys.accountHere);
  return { ok: true };
}

/**
 * Changes the password after checking the current one. Every session of the user ends, this one
 * included: the browser that made the change gets a new session (returned), the others must sign
 * in again with the new password.
 */
export async function changePassword(
  actor: Actor & {
    displayName: string;
    sessionId: string;
    mfaEnabled: boolean;
    institute: { name: string; code: string };
  },
  input: { current: string; password: string },
  req: RequestInfo,
): Promise<ServiceResult<{ token: string; cookieExpiresAt: Date }>> {
  const proof = await proveCurrentPassword(actor, input.current, req, {
    failed: "auth.password_change.failed",
    throttled: "auth.password_change.throttled",
  });
  if (!proof.ok) return proof;
  const problem = passwordProblem(input.password, {
    mfaEnabled: actor.mfaEnabled,
    email: actor.email,
    displayName: actor.displayName,
    instituteName: actor.institute.name,
    instituteCode: actor.institute.code,
  });
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
