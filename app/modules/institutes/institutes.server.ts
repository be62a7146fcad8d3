import { db } from "~/lib/db.server";
import { assertAdmin, type Actor } from "~/lib/permissions";
import type { RequestInfo } from "~/modules/accounts/accounts.server";
import { recordAudit } from "~/modules/audit/audit.server";

export async function listInstitutes(actor: Actor) {
  assertAdmin(actor);
  return db.institute.findMany({
    orderBy: { code: "asc" },
    select: {
      id: true,
      code: true,
      name: true,
      country: true,
      timeZone: true,
      locale: true,
      _count: { select: { users: true } },
    },
  });
}

export async function getInstitute(actor: Actor, id: string) {
  assertAdmin(actor);
  const institute = await db.institute.findUnique({
    where: { id },
    select: { id: true, code: true, name: true, country: true, timeZone: true, locale: true },
  });
  if (!institute) throw new Response("Not found", { status: 404 });
  return institute;
}

export async function updateInstitute(
  actor: Actor,
  id: string,
  input: { name: string; country: string; timeZone: string; locale: string },
  req: RequestInfo,
) {
  const before = await getInstitute(actor, id);
  await db.$transaction(async (tx) => {
    await tx.institute.update({ where: { id }, data: input });
    await recordAudit(tx, {
      actor,
      action: "institute.updated",
      targetType: "Institute",
      targetId: id,
      instituteId: id,
      ipAddress: req.ipAddress,
      details: {
        before: {
          name: before.name,
          country: before.country,
          timeZone: before.timeZone,
          locale: before.locale,
        },
        after: input,
      },
    });
  });
}
