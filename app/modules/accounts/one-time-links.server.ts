import type { TokenPurpose } from "~/generated/prisma/enums";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import type { EmailMessage } from "~/lib/email/render.server";
import { getEnv } from "~/lib/env.server";
import { hashPassword, passwordProblem } from "~/lib/password.server";
import { refused, type RequestInfo, type ServiceResult } from "~/lib/service";
import { spendRateLimit } from "~/lib/rate-limits.server";
import { afterResponse } from "~/lib/request-scope.server";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { recordAudit, recordAuditNow } from "~/modules/audit/audit.server";
import { notify } from "~/modules/notifications/notifications.server";
import { signInAccountKeyPrefix } from "./sign-in-throttle.server";
import { PASSWORDS_OFF, passwordsForbidden } from "./sso-sign-in.server";

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
 * Asks for a reset link. What the answer waits for is the same whatever the address: the limits
 * per client address and per typed address (RATE_LIMITS), both counted whether or not an account
 * uses it, so a refusal tells nothing either. Looking the account up, making the link and queuing
 * the email happen after the response has gone (afterResponse), so its timing tells nothing.
 */
export async function requestPasswordReset(
  email: string,
  req: RequestInfo,
): Promise<ServiceResult> {
  const typed = email.toLowerCase();
  if (await passwordsForbidden(typed)) return refused(PASSWORDS_OFF, "email");
  const refusal =
    (await spendRateLimit("passwordResetsPerAddress", req.ipAddress)) ??
    (await spendRateLimit("passwordResetsPerAccount", typed));
  if (refusal) {
    await recordAuditNow({
      actorEmail: typed,
      action: "auth.password_reset.throttled",
      ipAddress: req.ipAddress,
    });
    return refusal;
  }
  await afterResponse(() => sendResetLink(typed, req));
  return { ok: true };
}

/** Mails a link to an active account with that address; audits the request either way. */
async function sendResetLink(email: string, req: RequestInfo) {
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, displayName: true, instituteId: true, deactivatedAt: true },
  });
  if (!user || user.deactivatedAt) {
    await recordAuditNow({
      actorEmail: email,
      action: "auth.password_reset.requested_unknown",
      ipAddress: req.ipAddress,
    });
    return;
  }
  // Known only by the account (its address is of another domain): no link, and no telling.
  if (await passwordsForbidden(email, user.instituteId)) {
    await recordAuditNow({
      actor: user,
      action: "auth.password_reset.refused",
      targetType: "User",
      targetId: user.id,
      ipAddress: req.ipAddress,
      details: { reason: "passwords_off_for_institute" },
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
          institute: { select: { name: true, code: true } },
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
    instituteName: row.user.institute.name,
    instituteCode: row.user.institute.code,
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
  const problem = passwordProblem(password, info);
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
    await tx.throttle.deleteMany({
      where: { key: { startsWith: signInAccountKeyPrefix(user.email) } },
    });
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
