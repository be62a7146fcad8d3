import { createHash } from "node:crypto";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import type { EmailMessage } from "~/lib/email/render.server";
import { assertAdmin, type Actor } from "~/lib/permissions";
import { notFound, refused, type RequestInfo, type ServiceResult } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { notify } from "~/modules/notifications/notifications.server";

// Recovery and administration of how someone signs in: an administrator's reset of a lost second
// factor, ending sessions one at a time or all at once.

/**
 * The name a session goes by in a page. Its id is the hash of the cookie token, which must not
 * leave the server in any form that a log or a shared screen could carry back in; a further hash
 * names the row without that risk.
 */
export function sessionHandle(sessionId: string) {
  return createHash("sha256").update(`session:${sessionId}`).digest("base64url").slice(0, 16);
}

/** The person's sessions that have not expired, newest use first, the current one marked. */
export async function listMySessions(actor: Actor & { sessionId: string }) {
  const rows = await db.session.findMany({
    where: { userId: actor.id, expiresAt: { gt: clock.now() } },
    orderBy: [{ lastSeenAt: "desc" }, { createdAt: "desc" }],
    select: { id: true, createdAt: true, lastSeenAt: true, ipAddress: true, userAgent: true },
  });
  return rows.map(({ id, ...row }) => ({
    ...row,
    handle: sessionHandle(id),
    current: id === actor.sessionId,
  }));
}

/**
 * Ends one of the person's own other sessions (a lost laptop, a shared computer). The current
 * one is ended by signing out; a handle that names none of theirs is a 404.
 */
export async function endMySession(
  actor: Actor & { sessionId: string },
  handle: string,
  req: RequestInfo,
): Promise<ServiceResult> {
  // Scoped to the person in the query: a handle of someone else's session matches nothing.
  const mine = await db.session.findMany({ where: { userId: actor.id }, select: { id: true } });
  const target = mine.find((s) => sessionHandle(s.id) === handle);
  if (!target) throw notFound();
  if (target.id === actor.sessionId)
    return refused("To end the session you are using, sign out.", "session");
  await db.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { id: target.id, userId: actor.id } });
    await recordAudit(tx, {
      actor,
      action: "auth.session.ended",
      targetType: "User",
      targetId: actor.id,
      ipAddress: req.ipAddress,
      details: { session: handle },
    });
  });
  return { ok: true };
}

/**
 * Ends every session of a person without deactivating them (a stolen device, a suspicion):
 * they can sign in again at once with their password and second factor.
 */
export async function endUserSessions(
  actor: Actor,
  userId: string,
  req: RequestInfo,
): Promise<ServiceResult<{ ended: number }>> {
  assertAdmin(actor);
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, instituteId: true },
  });
  if (!user) throw notFound();
  const ended = await db.$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { userId } });
    await recordAudit(tx, {
      actor,
      action: "user.sessions_ended",
      targetType: "User",
      targetId: userId,
      instituteId: user.instituteId,
      ipAddress: req.ipAddress,
      details: { sessions: count },
    });
    return count;
  });
  return { ok: true, ended };
}

/**
 * Resets a person's second factor after their identity was checked out of band (a video call,
 * their line manager): removes their TOTP key, recovery codes and passkeys, ends their sessions, emails
 * them, and records how they were checked. Their next sign-in, with their password, asks them to
 * set up a second factor again where one is required.
 */
export async function resetSecondFactor(
  actor: Actor,
  userId: string,
  input: { reason: string },
  req: RequestInfo,
): Promise<ServiceResult> {
  assertAdmin(actor);
  if (userId === actor.id)
    return refused("Ask another administrator to reset your own second factor.", "reason");
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      displayName: true,
      instituteId: true,
      mfa: { select: { confirmedAt: true } },
      _count: { select: { passkeys: true } },
    },
  });
  if (!user) throw notFound();
  if (!user.mfa && user._count.passkeys === 0)
    return refused("This person has no second factor to reset.", "reason");
  const mail: EmailMessage = {
    template: "mfa-reset",
    props: { name: user.displayName, when: clock.now().toUTCString() },
  };
  await db.$transaction(async (tx) => {
    await tx.mfaSecret.deleteMany({ where: { userId } });
    await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
    const passkeys = await tx.passkey.deleteMany({ where: { userId } });
    const { count } = await tx.session.deleteMany({ where: { userId } });
    await notify(tx, { id: user.id, email: user.email }, mail);
    await recordAudit(tx, {
      actor,
      action: "user.mfa_reset",
      targetType: "User",
      targetId: userId,
      instituteId: user.instituteId,
      ipAddress: req.ipAddress,
      details: {
        sessionsEnded: count,
        wasConfirmed: Boolean(user.mfa?.confirmedAt),
        passkeysRemoved: passkeys.count,
      },
      // Erasable with the person: the check may name them or how they were reached.
      personal: { reason: input.reason },
    });
  });
  return { ok: true };
}
