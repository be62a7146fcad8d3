import { Prisma } from "~/generated/prisma/client";
import type { OwnerSide, PlacementStatus } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import { isHrOf, type Actor } from "~/lib/permissions";
import { notFound } from "~/lib/service";
import { APPLICATION_STATUSES } from "~/modules/applications/workflow";
import type { DashboardFilter } from "./schema";
import { clock } from "~/lib/clock";

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

/** Applications `a` submitted within the filter's dates (none of them drafts). */
function submittedWithin(filter: DashboardFilter) {
  const from = filter.from ? new Date(`${filter.from}T00:00:00Z`) : undefined;
  const to = filter.to
    ? new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + DAY_MS)
    : undefined;
  return Prisma.sql`a.status <> 'DRAFT'
    ${from ? Prisma.sql`AND a."submittedAt" >= ${from}` : Prisma.empty}
    ${to ? Prisma.sql`AND a."submittedAt" < ${to}` : Prisma.empty}`;
}

/** The label of the bucket `days` falls in: the first whose maximum it does not exceed. */
const decisionBucket = Prisma.sql`CASE ${Prisma.join(
  DECISION_BUCKETS.map((b) =>
    b.max === Infinity
      ? Prisma.sql`ELSE ${b.label}`
      : Prisma.sql`WHEN days <= ${b.max} THEN ${b.label}`,
  ),
  " ",
)} END`;

type Figure = "hosted" | "outgoing" | "placements" | "overdue" | "month" | "decided" | "median";
type FigureRow = { figure: Figure; key: string | null; n: number | null };

function counts<K extends string>(keys: readonly K[], rows: FigureRow[]) {
  const byKey = new Map(rows.map((r) => [r.key, r.n ?? 0]));
  return keys.map((key) => ({ key, count: byKey.get(key) ?? 0 }));
}

/**
 * The HR dashboard of the actor's institute: applications to its postings by stage, its own staff's
 * applications by stage, placements by status, overdue checklist items by owner side, time from
 * submission to decision, and applications per month. HR of that institute only.
 *
 * Every figure is computed in the database, in one statement: a large institute's figures stand on
 * tens of thousands of rows, which must not travel to be counted here.
 */
export async function getDashboard(actor: Actor, filter: DashboardFilter, now = clock.now()) {
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
  const ours = Prisma.sql`(pl."hostInstituteId" = ${instituteId} OR pl."homeInstituteId" = ${instituteId})`;

  // One row per figure and key; counts are whole numbers, the median may be fractional or null.
  const rows = await db.$queryRaw<FigureRow[]>(Prisma.sql`
    WITH hosted AS MATERIALIZED (
      SELECT a.id, a.status, a."submittedAt"
      FROM "Application" a JOIN "Posting" p ON p.id = a."postingId"
      WHERE p."hostInstituteId" = ${instituteId} AND ${within}
        ${postingId ? Prisma.sql`AND a."postingId" = ${postingId}` : Prisma.empty}
    ),
    -- Days from submission to the first offer or rejection, clamped at zero: a clock that was
    -- behind must not give a decision before its submission. From whole milliseconds, as stored,
    -- so that each is the same floating-point number as the JavaScript (ms / 86,400,000).
    decided AS (
      SELECT round(extract(epoch FROM greatest(interval '0', min(e."createdAt") - h."submittedAt")) * 1000)::float8
        / ${DAY_MS}::float8 AS days
      FROM hosted h
      JOIN "ApplicationEvent" e ON e."applicationId" = h.id AND e."toStatus" IN ('OFFERED', 'REJECTED')
      WHERE h."submittedAt" IS NOT NULL
      GROUP BY h.id, h."submittedAt"
    )
    SELECT 'hosted' AS figure, status::text AS key, count(*)::float8 AS n FROM hosted GROUP BY status
    UNION ALL
    SELECT 'month', to_char(date_trunc('month', "submittedAt"), 'YYYY-MM'), count(*)
    FROM hosted WHERE "submittedAt" IS NOT NULL GROUP BY 2
    UNION ALL
    SELECT 'decided', ${decisionBucket}, count(*) FROM decided GROUP BY 2
    UNION ALL
    -- The middle value, or the mean of the middle two: the lower median plus the upper, halved.
    SELECT 'median', NULL, (percentile_disc(0.5) WITHIN GROUP (ORDER BY days)
      + percentile_disc(0.5) WITHIN GROUP (ORDER BY days DESC)) / 2
    FROM decided
    UNION ALL
    SELECT 'outgoing', a.status::text, count(*)
    FROM "Application" a JOIN "User" u ON u.id = a."applicantId"
    WHERE u."instituteId" = ${instituteId} AND ${within}
    GROUP BY a.status
    UNION ALL
    SELECT 'placements', pl.status::text, count(*) FROM "Placement" pl WHERE ${ours} GROUP BY pl.status
    UNION ALL
    -- Overdue: neither done nor waived (a blocked item is neither), in a placement not yet over,
    -- and due before today as its host institute counts days (start and due dates are calendar
    -- dates). Today is worked out once per institute, not once per item.
    SELECT 'overdue', i."ownerSide"::text, count(*)
    FROM (
      SELECT id, (${now.toISOString()}::timestamptz AT TIME ZONE "timeZone")::date AS today
      FROM "Institute" OFFSET 0
    ) host
    JOIN "Posting" po ON po."hostInstituteId" = host.id
    JOIN "Placement" pl ON pl."postingId" = po.id
    JOIN "ChecklistItem" i ON i."placementId" = pl.id
    WHERE ${ours} AND pl.status IN ('PLANNED', 'CLEARING', 'ACTIVE') AND pl."startDate" IS NOT NULL
      AND i.status NOT IN ('DONE', 'WAIVED') AND pl."startDate" + i."dueOffsetDays" < host.today
    GROUP BY i."ownerSide"
    ORDER BY 1, 2`);
  const figure = (name: Figure) => rows.filter((r) => r.figure === name);
  const buckets = counts(
    DECISION_BUCKETS.map((b) => b.label),
    figure("decided"),
  );

  return {
    postings,
    filter: { ...filter, postingId },
    hostedByStage: counts(APPLICATION_STAGES, figure("hosted")),
    outgoingByStage: counts(APPLICATION_STAGES, figure("outgoing")),
    placementsByStatus: counts(PLACEMENT_STATES, figure("placements")),
    overdueBySide: counts(SIDES, figure("overdue")),
    timeToDecision: {
      decided: buckets.reduce((sum, b) => sum + b.count, 0),
      medianDays: figure("median")[0]?.n ?? null,
      buckets,
    },
    perMonth: figure("month").map((m) => ({ key: m.key!, count: m.n! })),
  };
}
