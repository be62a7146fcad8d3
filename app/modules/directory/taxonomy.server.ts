import type { Prisma } from "~/generated/prisma/client";
import { db, likeLiteral } from "~/lib/db.server";
import { assertAdmin, type Actor } from "~/lib/permissions";
import {
  isUniqueViolation,
  notFound,
  refused,
  type RequestInfo,
  type ServiceResult,
} from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { readAreasWithCounts, type AreaRow } from "./queries.server";
import type { AreaInput } from "./taxonomy-schema";
import { clock } from "~/lib/clock";

// The expertise taxonomy is administered centrally; to anyone else these functions do not exist.

const DUPLICATE_NAME = "An expertise area with this name already exists.";

type Tx = Prisma.TransactionClient;

// The database's unique index is case-sensitive; this lock serialises the case-insensitive check.
const AREA_NAME_LOCK_KEY = 727_073_702;

/** Areas with the number of profiles carrying each, by name; active ones only unless asked. */
export async function listAreas(
  actor: Actor,
  { includeRetired = false }: { includeRetired?: boolean } = {},
): Promise<AreaRow[]> {
  assertAdmin(actor);
  return readAreasWithCounts({ includeRetired });
}

/** One area for its admin page, with the active areas it could be merged into. */
export async function getAreaForAdmin(actor: Actor, id: string) {
  assertAdmin(actor);
  const area = await db.expertiseArea.findUnique({
    where: { id },
    select: { id: true, name: true, description: true, retiredAt: true },
  });
  if (!area) throw notFound();
  const [count, mergeTargets] = await Promise.all([
    db.profile.count({ where: { expertiseIds: { has: id } } }),
    db.expertiseArea.findMany({
      where: { retiredAt: null, id: { not: id } },
      orderBy: { name: "asc" },
      select: { id: true, name: true },
    }),
  ]);
  return { area: { ...area, profileCount: count }, mergeTargets };
}

/** Names are unique regardless of case: "Cyber" and "cyber" would be one area in two spellings. */
async function nameTaken(tx: Tx, name: string, exceptId?: string) {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${AREA_NAME_LOCK_KEY})`);
  const clash = await tx.expertiseArea.findFirst({
    where: {
      name: { equals: likeLiteral(name), mode: "insensitive" },
      ...(exceptId ? { id: { not: exceptId } } : {}),
    },
    select: { id: true },
  });
  return clash !== null;
}

class DuplicateName extends Error {}

export async function createArea(
  actor: Actor,
  input: AreaInput,
  req: RequestInfo,
): Promise<ServiceResult<{ areaId: string }>> {
  assertAdmin(actor);
  try {
    const areaId = await db.$transaction(async (tx) => {
      if (await nameTaken(tx, input.name)) throw new DuplicateName();
      const area = await tx.expertiseArea.create({
        data: { name: input.name, description: input.description },
        select: { id: true },
      });
      await recordAudit(tx, {
        actor,
        action: "expertise.created",
        targetType: "ExpertiseArea",
        targetId: area.id,
        ipAddress: req.ipAddress,
        details: { name: input.name },
      });
      return area.id;
    });
    return { ok: true, areaId };
  } catch (error) {
    if (error instanceof DuplicateName || isUniqueViolation(error))
      return refused(DUPLICATE_NAME, "name");
    throw error;
  }
}

/**
 * Renames an area (and sets its description). Profiles keep each area's name next to its id, so
 * the label at the area's position in every profile changes too, in the same transaction; the
 * search documents follow through the Profile trigger.
 */
export async function renameArea(
  actor: Actor,
  id: string,
  input: AreaInput,
  req: RequestInfo,
): Promise<ServiceResult<{ profilesUpdated: number }>> {
  assertAdmin(actor);
  try {
    const profilesUpdated = await db.$transaction(async (tx) => {
      const before = await tx.expertiseArea.findUnique({
        where: { id },
        select: { name: true, description: true },
      });
      if (!before) throw notFound();
      if (await nameTaken(tx, input.name, id)) throw new DuplicateName();
      await tx.expertiseArea.update({
        where: { id },
        data: { name: input.name, description: input.description },
      });
      const renamed = before.name !== input.name;
      // Profile.updatedAt is left alone: it records the person's own edits, not taxonomy upkeep.
      const count = renamed
        ? await tx.$executeRaw`
            UPDATE "Profile"
            SET "expertiseLabels"[array_position("expertiseIds", ${id}::text)] = ${input.name}::text
            WHERE "expertiseIds" @> ARRAY[${id}::text]`
        : 0;
      await recordAudit(tx, {
        actor,
        action: renamed ? "expertise.renamed" : "expertise.updated",
        targetType: "ExpertiseArea",
        targetId: id,
        ipAddress: req.ipAddress,
        details: { before, after: input, profilesUpdated: count },
      });
      return count;
    });
    return { ok: true, profilesUpdated };
  } catch (error) {
    if (error instanceof DuplicateName || isUniqueViolation(error))
      return refused(DUPLICATE_NAME, "name");
    throw error;
  }
}

/**
 * Every profile carrying `fromId` carries `intoId` instead, at the same position and under the
 * target's current name; a profile that already had both keeps just the one. `fromId` is retired.
 */
export async function mergeArea(
  actor: Actor,
  fromId: string,
  intoId: string,
  req: RequestInfo,
): Promise<ServiceResult<{ profilesMoved: number }>> {
  assertAdmin(actor);
  if (fromId === intoId) return refused("Choose a different area to merge into.", "intoId");
  const result = await db.$transaction(async (tx) => {
    // Lock both rows so that a concurrent rename or retirement cannot slip in between.
    const rows = await tx.$queryRaw<{ id: string; name: string; retiredAt: Date | null }[]>`
      SELECT "id", "name", "retiredAt" FROM "ExpertiseArea"
      WHERE "id" IN (${fromId}, ${intoId}) ORDER BY "id" FOR UPDATE`;
    const from = rows.find((r) => r.id === fromId);
    const into = rows.find((r) => r.id === intoId);
    if (!from) throw notFound();
    if (!into || into.retiredAt) return null;
    const moved = await tx.$executeRaw`
      UPDATE "Profile" AS p
      SET "expertiseIds" = m."ids", "expertiseLabels" = m."labels"
      FROM (
        SELECT q."userId",
               array_agg(CASE WHEN e."id" = ${fromId}::text THEN ${intoId}::text ELSE e."id" END
                         ORDER BY e."ord") AS "ids",
               array_agg(CASE WHEN e."id" = ${fromId}::text THEN ${into.name}::text ELSE e."label" END
                         ORDER BY e."ord") AS "labels"
        FROM "Profile" q
        CROSS JOIN LATERAL unnest(q."expertiseIds", q."expertiseLabels")
          WITH ORDINALITY AS e("id", "label", "ord")
        WHERE q."expertiseIds" @> ARRAY[${fromId}::text]
          AND NOT (e."id" = ${fromId}::text AND q."expertiseIds" @> ARRAY[${intoId}::text])
        GROUP BY q."userId"
      ) AS m
      WHERE p."userId" = m."userId"`;
    if (!from.retiredAt)
      await tx.expertiseArea.update({ where: { id: fromId }, data: { retiredAt: clock.now() } });
    await recordAudit(tx, {
      actor,
      action: "expertise.merged",
      targetType: "ExpertiseArea",
      targetId: fromId,
      ipAddress: req.ipAddress,
      details: {
        from: { id: fromId, name: from.name },
        into: { id: intoId, name: into.name },
        profilesMoved: moved,
      },
    });
    return moved;
  });
  if (result === null) return refused("Choose an area from the list to merge into.", "intoId");
  return { ok: true, profilesMoved: result };
}

/** A retired area is no longer offered on the profile form; profiles keep it as text. */
export function retireArea(actor: Actor, id: string, req: RequestInfo) {
  return setRetired(actor, id, true, req);
}

export function restoreArea(actor: Actor, id: string, req: RequestInfo) {
  return setRetired(actor, id, false, req);
}

async function setRetired(actor: Actor, id: string, retire: boolean, req: RequestInfo) {
  assertAdmin(actor);
  await db.$transaction(async (tx) => {
    const area = await tx.expertiseArea.findUnique({
      where: { id },
      select: { name: true },
    });
    if (!area) throw notFound();
    // Conditional, so that retiring twice (a double click, two admins) records one event.
    const { count } = await tx.expertiseArea.updateMany({
      where: { id, retiredAt: retire ? null : { not: null } },
      data: { retiredAt: retire ? clock.now() : null },
    });
    if (count === 0) return;
    await recordAudit(tx, {
      actor,
      action: retire ? "expertise.retired" : "expertise.restored",
      targetType: "ExpertiseArea",
      targetId: id,
      ipAddress: req.ipAddress,
      details: { name: area.name },
    });
  });
}
