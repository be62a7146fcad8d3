import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import type { EmailMessage } from "~/lib/email/render.server";
import type { Actor } from "~/lib/permissions";
import { refused, type RequestInfo, type ServiceResult } from "~/lib/service";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { formatSecret, generateTotpKey, matchTotp, totpQrSvg } from "~/lib/totp.server";
import { recordAudit, recordAuditNow } from "~/modules/audit/audit.server";
import { notify } from "~/modules/notifications/notifications.server";
import { proveCurrentPassword } from "./password.server";
import { readTotpKey, sealTotpKey } from "./totp-keys.server";

/**
 * Spends a second factor: a TOTP code (each time step accepted once) or an unused recovery code.
 * Returns which kind it was, or null if it is not valid now.
 */
export async function consumeSecondFactor(
  userId: string,
  code: string,
): Promise<"totp" | "recovery_code" | null> {
  if (/^\d{6}$/.test(code)) {
    const secret = await db.mfaSecret.findUnique({
      where: { userId },
      select: { key: true, sealedKey: true, confirmedAt: true },
    });
    if (!secret?.confirmedAt) return null;
    const step = matchTotp(await readTotpKey(userId, secret), code);
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
    select: { confirmedAt: true, key: true, sealedKey: true },
  });
  if (existing?.confirmedAt) return { alreadyEnabled: true as const };
  // Reuse a pending key so that reloading the page does not invalidate a scanned QR code.
  const key = existing ? await readTotpKey(actor.id, existing) : generateTotpKey();
  if (!existing)
    await db.mfaSecret.create({
      data: { userId: actor.id, sealedKey: sealTotpKey(actor.id, key) },
    });
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
    select: { key: true, sealedKey: true, confirmedAt: true },
  });
  if (!secret) return refused("Start again: reload this page to get a new code.", "code");
  if (secret.confirmedAt) return refused("Two-step verification is already on.", "code");
  const step = matchTotp(await readTotpKey(actor.id, secret), code);
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
