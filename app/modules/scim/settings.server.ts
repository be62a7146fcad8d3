import { db } from "~/lib/db.server";
import { assertAdmin, type Actor } from "~/lib/permissions";
import { notFound, type RequestInfo } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";

/** What the institute's provisioning page shows: never the token, only whether there is one. */
export async function scimSettings(actor: Actor, instituteId: string) {
  assertAdmin(actor);
  const institute = await db.institute.findUnique({
    where: { id: instituteId },
    select: {
      id: true,
      code: true,
      name: true,
      emailDomains: true,
      scimToken: { select: { createdAt: true } },
    },
  });
  if (!institute) throw notFound();
  return institute;
}

/** The domains a provisioned person's address must be in; none means any address. */
export async function setEmailDomains(
  actor: Actor,
  instituteId: string,
  emailDomains: string[],
  req: RequestInfo,
) {
  const before = await scimSettings(actor, instituteId);
  await db.$transaction(async (tx) => {
    await tx.institute.update({ where: { id: instituteId }, data: { emailDomains } });
    await recordAudit(tx, {
      actor,
      action: "institute.email_domains.updated",
      targetType: "Institute",
      targetId: instituteId,
      instituteId,
      ipAddress: req.ipAddress,
      details: { before: before.emailDomains, after: emailDomains },
    });
  });
}
