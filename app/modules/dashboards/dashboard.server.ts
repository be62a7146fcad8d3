import { Prisma } from "~/generated/prisma/client";
import type { OwnerSide, PlacementStatus } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import { isHrOf, type Actor } from "~/lib/permissions";
import { APPLICATION_STATUSES } from "~/modules/applications/workflow";
import { dueDate, effectiveStatuses, todayIn } from "~/modules/checklists/logic";
import type { DashboardFilter } from "./schema";

const notFound = () => new Response("Not found", { status: 404 });

/** Every stage an application can be in once submitted. */
export const APPLICATION_STAGES = APPLICATION_STATUSES.filter((s) => s !== "DRAFT");
export const PLACEMENT_STATES: PlacementStatus[] = [
  "PLANNED",
  "CLEARING",
  "ACTIVE",
  "COMPLETED",
  "CANCELLED",
];
export const SIDES: OwnerSide[] = ["SECONDEE", "HOME", "HOST"];
export const DECISION_BUCKETS = [
  { label: "Up to 7 days", max: 7 },
  { label: "8 to 14 days", max: 14 },
  { label: "15 to 30 days", max: 30 },
  { label: "31 to 60 days", max: 60 },
  { label: "Over 60 days", max: Infinity },
];

const DAY_MS = 86_400_000;

function submittedWithin(filter: DashboardFilter): Prisma.ApplicationWhereInput {
  if (!filter.from && !filter.to) return { status: { not: "DRAFT" } };
  return {
    status: { not: "DRAFT" },
    submittedAt: {
      ...(filter.from ? { gte: new Date(`${filter.from}T00:00:00Z`) } : {}),
      ...(filter.to ? { lt: new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + DAY_MS) } : {}),
    },
  };
}

function counts<K extends string>(keys: readonly K[], rows: { key: K; n: number }[]) {
  const byKey = new Map(rows.map((r) => [r.key, r.n]));
  return keys.map((key) => ({ key, count: byKey.get(key) ?? 0 }));
}

function median(values: number[]) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The HR dashboard of the actor's institute: applications to its postings by stage, its own staff's
 * applications by stage, placements by status, overdue checklist items by owner side, time from
 * submission to decision, and applications per month. HR of that institute only.
 */
export async function getDashboard(actor: Actor, filter: DashboardFilter, now = new Date()) {
  if (!isHrOf(actor, actor.instituteId)) throw notFound();
  const instituteId = actor.instituteId;
  const postings = await db.posting.findMany({
    where: { hostInstituteId: instituteId, status: { not: "DRAFT" } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: { id: true, title: true },
    take: 500,
  });
  // A posting id that is not one of ours is ignored, not honoured.
  const postingId = postings.some((p) => p.id === filter.postingId) ? filter.postingId : undefined;
  const within = submittedWithin(filter);
  const hosted: Prisma.ApplicationWhereInput = {
    ...within,
    posting: { hostInstituteId: instituteId },
    ...(postingId ? { postingId } : {}),
  };
  const outgoing: Prisma.ApplicationWhereInput = { ...within, applicant: { instituteId } };

  const [hostedByStage, outgoingByStage, placementsByStatus, decisions, openPlacements] =
    await Promise.all([
      db.application.groupBy({ by: ["status"], where: hosted, _count: { _all: true } }),
      db.application.groupBy({ by: ["status"], where: outgoing, _count: { _all: true } }),
      db.placement.groupBy({
        by: ["status"],
        where: { OR: [{ hostInstituteId: instituteId }, { homeInstituteId: instituteId }] },
        _count: { _all: true },
      }),
      db.application.findMany({
        where: { ...hosted, submittedAt: { ...(within.submittedAt as object), not: null } },
        select: {
          submittedAt: true,
          events: {
            where: { toStatus: { in: ["OFFERED", "REJECTED"] } },
            orderBy: { createdAt: "asc" },
            take: 1,
            select: { createdAt: true },
          },
        },
      }),
      db.placement.findMany({
        where: {
          OR: [{ hostInstituteId: instituteId }, { homeInstituteId: instituteId }],
          status: { in: ["PLANNED", "CLEARING", "ACTIVE"] },
          startDate: { not: null },
        },
        select: {
          startDate: true,
          posting: { select: { hostInstitute: { select: { timeZone: true } } } },
          checklistItems: {
            select: {
              id: true,
              status: true,
              ownerSide: true,
              dueOffsetDays: true,
              dependsOnIds: true,
            },
          },
        },
      }),
    ]);

  const overdue = new Map<OwnerSide, number>();
  for (const p of openPlacements) {
    const start = p.startDate!.toISOString().slice(0, 10);
    const today = todayIn(p.posting.hostInstitute.timeZone, now);
    const shown = effectiveStatuses(
      p.checklistItems.map((i) => ({ ...i, dependsOn: i.dependsOnIds })),
    );
    for (const item of p.checklistItems) {
      const status = shown.get(item.id) ?? item.status;
      if (status === "DONE" || status === "WAIVED") continue;
      if (dueDate(start, item.dueOffsetDays) < today)
        overdue.set(item.ownerSide, (overdue.get(item.ownerSide) ?? 0) + 1);
    }
  }

  const days = decisions
    .filter((a) => a.events.length > 0)
    // Clamped at zero: a clock that was behind must not give a decision before its submission.
    .map((a) => Math.max(0, a.events[0]!.createdAt.getTime() - a.submittedAt!.getTime()) / DAY_MS);
  const buckets = DECISION_BUCKETS.map((b, i) => ({
    key: b.label,
    count: days.filter((d) => d <= b.max && (i === 0 || d > DECISION_BUCKETS[i - 1]!.max)).length,
  }));

  const monthly = await db.$queryRaw<{ month: string; n: bigint }[]>(Prisma.sql`
    SELECT to_char(date_trunc('month', a."submittedAt"), 'YYYY-MM') AS month, count(*) AS n
    FROM "Application" a JOIN "Posting" p ON p.id = a."postingId"
    WHERE p."hostInstituteId" = ${instituteId} AND a.status <> 'DRAFT' AND a."submittedAt" IS NOT NULL
      ${postingId ? Prisma.sql`AND a."postingId" = ${postingId}` : Prisma.empty}
      ${filter.from ? Prisma.sql`AND a."submittedAt" >= ${new Date(`${filter.from}T00:00:00Z`)}` : Prisma.empty}
      ${filter.to ? Prisma.sql`AND a."submittedAt" < ${new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + DAY_MS)}` : Prisma.empty}
    GROUP BY 1 ORDER BY 1`);

  return {
    postings,
    filter: { ...filter, postingId },
    hostedByStage: counts(
      APPLICATION_STAGES,
      hostedByStage.map((r) => ({ key: r.status, n: r._count._all })),
    ),
    outgoingByStage: counts(
      APPLICATION_STAGES,
      outgoingByStage.map((r) => ({ key: r.status, n: r._count._all })),
    ),
    placementsByStatus: counts(
      PLACEMENT_STATES,
      placementsByStatus.map((r) => ({ key: r.status, n: r._count._all })),
    ),
    overdueBySide: SIDES.map((side) => ({ key: side, count: overdue.get(side) ?? 0 })),
    timeToDecision: {
      decided: days.length,
      medianDays: median(days),
      buckets,
    },
    perMonth: monthly.map((m) => ({ key: m.month, count: Number(m.n) })),
  };
}
