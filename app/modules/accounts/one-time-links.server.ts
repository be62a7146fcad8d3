import type { TokenPurpose } from "~/generated/prisma/enums";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import type { EmailMessage } from "~/lib/email/render.server";
import { getEnv } from "~/lib/env.server";
import { hashPassword, passwordProblem } from "~/lib/password.server";
import { refused, type RequestInfo, type ServiceResult } from "~/lib/service";
import { lockedUntil, recordFailure, type ThrottleRule } from "~/lib/throttle.server";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { recordAudit, recordAuditNow } from "~/modules/audit/audit.server";
import { notify } from "~/modules/notifications/notifications.server";
import { signInAccountKey } from "./sign-in-throttle.server";

const LINK_PATH: Record<TokenPurpose, string> = {
  INVITATION: "/invitation",
  PASSWORD_RESET: "/reset-password",
};

function tokenExpiry(purpose: TokenPurpose) {
  const env = getEnv();
  const ms =
    purpose === "INVITATION"
      ? env.INVITATION_TOKEN_DAYS * 86_400_000
      : env.RESET_TOKEN_MINUTES * 60_000;
  return new Date(clock.ms() + ms);
}

/** A new link: the token goes only into the emailed URL; `row` (its hash) is what is stored. */
export function newOneTimeLink(purpose: TokenPurpose) {
  const token = generateToken();
  const expiresAt = tokenExpiry(purpose);
  return {
    url: new URL(`${LINK_PATH[purpose]}/${token}`, getEnv().APP_URL).toString(),
    expiresAt,
    row: { id: hashToken(token), purpose, expiresAt },
  };
}

/**
 * Each reset request sends an email: at most RESET_REQUESTS.perAccount.limit to one account and
 * RESET_REQUESTS.perAddress.limit from one client address an hour. Past that, the request is
 * audited and dropped; the page says the same either way, so nobody learns which accounts exist.
 */
export const RESET_REQUESTS = {
  perAccount: { limit: 3, windowMs: 60 * 60_000, baseLockMs: 60 * 60_000, maxLockMs: 60 * 60_000 },
  perAddress: { limit: 20, windowMs: 60 * 60_000, baseLockMs: 60 * 60_000, maxLockMs: 60 * 60_000 },
} satisfies Record<string, ThrottleRule>;

/** Always answers the same way; mails a link only to an active account. */
export async function requestPasswordReset(email: string, req: RequestInfo) {
  const user = await db.user.findUnique({
    where: { email: email.toLowerCase() },
    select: { id: true, email: true, displayName: true, instituteId: true, deactivatedAt: true },
  });
  const keys = [`reset:ip:${req.ipAddress}`, ...(user ? [`reset:user:${user.id}`] : [])];
  if (await lockedUntil(keys)) {
    await recordAuditNow({
      actorEmail: email,
      action: "auth.password_reset.throttled",
      ipAddress: req.ipAddress,
    });
    return;
  }
  await recordFailure(keys[0]!, RESET_REQUESTS.perAddress);
  if (user) await recordFailure(`reset:user:${user.id}`, RESET_REQUESTS.perAccount);
  if (!user || user.deactivatedAt) {
    await recordAuditNow({
      actorEmail: email,
      action: "auth.password_reset.requested_unknown",
      ipAddress: req.ipAddress,
    });
    return;
  }
  const link = newOneTimeLink("PASSWORD_RESET");
  const mail: EmailMessage = {
    template: "password-reset",
    props: {
      name: user.displayName,
      url: link.url,
      expiresInMinutes: getEnv().RESET_TOKEN_MINUTES,
    },
  };
  await db.$transaction(async (tx) => {
    // A new link replaces any earlier one.
    await tx.oneTimeToken.deleteMany({
      where: { userId: user.id, purpose: "PASSWORD_RESET", usedAt: null },
    });
    await tx.oneTimeToken.create({ data: { ...link.row, userId: user.id } });
    await notify(tx, { id: user.id, email: user.email }, mail);
    await recordAudit(tx, {
      actor: user,
      action: "auth.password_reset.requested",
      targetType: "User",
      targetId: user.id,
      ipAddress: req.ipAddress,
    });
  });
}

/** What a link's page needs: whose it is and the password rule that applies, or null if unusable. */
export async function inspectOneTimeToken(token: string, purpose: TokenPurpose) {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const row = await db.oneTimeToken.findUnique({
    where: { id: hashToken(token) },
    select: {
      purpose: true,
      usedAt: true,
      expiresAt: true,
      user: {
        select: {
          email: true,
          displayName: true,
          deactivatedAt: true,
          mfa: { select: { confirmedAt: true } },
        },
      },
    },
  });
  if (
    !row ||
    row.purpose !== purpose ||
    row.usedAt ||
    row.expiresAt <= clock.now() ||
    row.user.deactivatedAt
  )
    return null;
  return {
    email: row.user.email,
    displayName: row.user.displayName,
    mfaEnabled: Boolean(row.user.mfa?.confirmedAt),
  };
}

const LINK_USED = "This link has expired or has already been used. Ask for a new one.";

/**
 * Sets the password from a reset or invitation link. The token is spent in the same transaction as
 * the password change, so a link works once even when clicked twice at once; all sessions end.
 */
export async function setPasswordWithToken(
  token: string,
  purpose: TokenPurpose,
  password: string,
  req: RequestInfo,
): Promise<ServiceResult> {
  const info = await inspectOneTimeToken(token, purpose);
  if (!info) return refused(LINK_USED);
  const problem = passwordProblem(password, {
    mfaEnabled: info.mfaEnabled,
    email: info.email,
    displayName: info.displayName,
  });
  if (problem) return refused(problem, "password");
  const hash = await hashPassword(password);
  const id = hashToken(token);
  const ok = await db.$transaction(async (tx) => {
    const { count } = await tx.oneTimeToken.updateMany({
      where: { id, purpose, usedAt: null, expiresAt: { gt: clock.now() } },
      data: { usedAt: clock.now() },
    });
    if (count !== 1) return false;
    const { user } = await tx.oneTimeToken.findUniqueOrThrow({
      where: { id },
      select: { user: { select: { id: true, email: true, instituteId: true } } },
    });
    await tx.password.upsert({
      where: { userId: user.id },
      create: { userId: user.id, hash },
      update: { hash },
    });
    await tx.session.deleteMany({ where: { userId: user.id } });
    await tx.throttle.deleteMany({ where: { key: signInAccountKey(user.email) } });
    await recordAudit(tx, {
      actor: user,
      action:
        purpose === "INVITATION" ? "user.invitation.accepted" : "auth.password_reset.completed",
      targetType: "User",
      targetId: user.id,
      ipAddress: req.ipAddress,
    });
    return true;
  });
  if (!ok) return refused(LINK_USED);
  return { ok: true };
}
