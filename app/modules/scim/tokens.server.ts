import { db } from "~/lib/db.server";
import { assertAdmin, type Actor } from "~/lib/permissions";
import { notFound, type RequestInfo } from "~/lib/service";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { recordAudit } from "~/modules/audit/audit.server";

/**
 * Each institute's SCIM bearer token. The portal keeps only its hash, so the token is shown once,
 * when an administrator makes it; making a new one replaces the old, which stops working at once.
 */

/** The prefix tells a leaked token apart in logs and secret scanners. */
const PREFIX = "scim_";

/** Whether the institute has a token, and since when: what the admin page shows. */
export async function scimTokenStatus(actor: Actor, instituteId: string) {
  assertAdmin(actor);
  return db.scimToken.findUnique({ where: { instituteId }, select: { createdAt: true } });
}

/** Makes (or replaces) the institute's token and returns it, the only time it is seen. */
export async function rotateScimToken(actor: Actor, instituteId: string, req: RequestInfo) {
  assertAdmin(actor);
  const institute = await db.institute.findUnique({
    where: { id: instituteId },
    select: { id: true },
  });
  if (!institute) throw notFound();
  const token = PREFIX + generateToken();
  await db.$transaction(async (tx) => {
    const row = { tokenHash: hashToken(token), createdById: actor.id };
    const before = await tx.scimToken.findUnique({
      where: { instituteId },
      select: { instituteId: true },
    });
    await tx.scimToken.upsert({
      where: { instituteId },
      create: { instituteId, ...row },
      update: row,
    });
    await recordAudit(tx, {
      actor,
      action: before ? "scim.token.rotated" : "scim.token.created",
      targetType: "Institute",
      targetId: instituteId,
      instituteId,
      ipAddress: req.ipAddress,
    });
  });
  return token;
}

/** Ends the institute's SCIM access. */
export async function revokeScimToken(actor: Actor, instituteId: string, req: RequestInfo) {
  assertAdmin(actor);
  await db.$transaction(async (tx) => {
    const { count } = await tx.scimToken.deleteMany({ where: { instituteId } });
    if (!count) return;
    await recordAudit(tx, {
      actor,
      action: "scim.token.revoked",
      targetType: "Institute",
      targetId: instituteId,
      instituteId,
      ipAddress: req.ipAddress,
    });
  });
}

/**
 * The institute a request's bearer token belongs to, or null. Only the Authorization header
 * counts: a session cookie never authenticates SCIM. The lookup is by the token's hash, so the
 * comparison leaks nothing about stored tokens through its timing.
 */
export async function scimInstituteFor(authorization: string | null): Promise<string | null> {
  const match = /^Bearer +(scim_[a-z2-7]{32})\s*$/i.exec(authorization ?? "");
  if (!match) return null;
  const row = await db.scimToken.findUnique({
    where: { tokenHash: hashToken(match[1]!) },
    select: { instituteId: true },
  });
  return row?.instituteId ?? null;
}
