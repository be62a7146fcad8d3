import { db } from "~/lib/db.server";
import { assertAdmin, type Actor } from "~/lib/permissions";
import { notFound, type RequestInfo } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";

export async function listInstitutes(actor: Actor) {
  assertAdmin(actor);
  const institutes = await db.institute.findMany({
    orderBy: { code: "asc" },
    select: { id: true, code: true, name: true, country: true, timeZone: true, locale: true },
  });
  // People per institute, by the (instituteId, displayName) index, merged here: a relation
  // `_count` in the select joins a GROUP BY of the whole User table. With every institute listed
  // this still counts every person (PostgreSQL may well scan the table for it): a figure for the
  // institutes page; the users page only needs the names.
  const counts = institutes.length
    ? await db.user.groupBy({
        by: ["instituteId"],
        where: { instituteId: { in: institutes.map((i) => i.id) } },
        _count: { _all: true },
      })
    : [];
  const users = new Map(counts.map((c) => [c.instituteId, c._count._all]));
  return institutes.map((i) => ({ ...i, _count: { users: users.get(i.id) ?? 0 } }));
}

export async function getInstitute(actor: Actor, id: string) {
  assertAdmin(actor);
  const institute = await db.institute.findUnique({
    where: { id },
    select: { id: true, code: true, name: true, country: true, timeZone: true, locale: true },
  });
  if (!institute) throw notFound();
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
