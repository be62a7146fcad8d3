import { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { utcDayRange } from "~/lib/time-zones";
import type { DashboardFilter } from "./schema";

/** Time from submission to decision, in buckets: each decision falls in the first that holds it. */
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
  const { start, end } = utcDayRange(filter.from, filter.to);
  return Prisma.sql`a.status <> 'DRAFT'
    ${start ? Prisma.sql`AND a."submittedAt" >= ${start}` : Prisma.empty}
    ${end ? Prisma.sql`AND a."submittedAt" < ${end}` : Prisma.empty}`;
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

export type Figure =
  "hosted" | "outgoing" | "placements" | "overdue" | "month" | "decided" | "median";
export type FigureRow = { figure: Figure; key: string | null; n: number | null };

/**
 * Every figure of an institute's HR dashboard, counted in the database: one row per figure and
 * key; counts are whole numbers, the median may be fractional or null. `filter.postingId` must
 * already be one of the institute's postings.
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md (counted in the database, one statement).
 */
export function readDashboardFigures(instituteId: string, filter: DashboardFilter, now: Date) {
  const within = submittedWithin(filter);
  const ours = Prisma.sql`(pl."hostInstituteId" = ${instituteId} OR pl."homeInstituteId" = ${instituteId})`;
  return db.$queryRaw<FigureRow[]>(Prisma.sql`
    WITH hosted AS MATERIALIZED (
      SELECT a.id, a.status, a."submittedAt"
      FROM "Application" a JOIN "Posting" p ON p.id = a."postingId"
      WHERE p."hostInstituteId" = ${instituteId} AND ${within}
        ${filter.postingId ? Prisma.sql`AND a."postingId" = ${filter.postingId}` : Prisma.empty}
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
}
