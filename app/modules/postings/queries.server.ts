import { Prisma } from "~/generated/prisma/client";
import type { PostingStatus } from "~/generated/prisma/enums";
import { db, likeLiteral } from "~/lib/db.server";
import type { PostingFilter } from "./schema";

// The postings list's and the matching's hand-written reads. Who may see what is in each WHERE
// clause; the services that call these check the actor first where a check is due.

/**
 * The filter lists in one statement: expertise areas still offered (by name), then every
 * institute (by code).
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md (both lists in one statement).
 */
export function readPostingFacetRows() {
  return db.$queryRaw<{ kind: "area" | "institute"; key: string; name: string }[]>`
    SELECT 'area' AS "kind", "id" AS "key", "name", 0 AS "list", "name" AS "sort"
      FROM "ExpertiseArea" WHERE "retiredAt" IS NULL
    UNION ALL
    SELECT 'institute', "code", "name", 1, "code" FROM "Institute"
    ORDER BY "list", "sort"`;
}

const DURATION_RANGES: Record<string, [number, number]> = {
  short: [1, 3],
  medium: [4, 6],
  long: [7, 1000],
};

/**
 * The list's condition on postings `p`: open, deadline not yet passed, hosted by the viewer's
 * institute or open to its staff, and the filters. Who sees what depends on the viewer only
 * through their institute.
 */
function openPostingsWhere(instituteId: string, filter: PostingFilter, now: Date): Prisma.Sql {
  const conditions = [
    Prisma.sql`p."status" = 'OPEN' AND p."deadline" > ${now}`,
    Prisma.sql`(p."hostInstituteId" = ${instituteId} OR ${instituteId} = ANY(p."eligibleInstituteIds"))`,
  ];
  if (filter.q) {
    const pattern = `%${likeLiteral(filter.q)}%`;
    conditions.push(
      Prisma.sql`(p."title" ILIKE ${pattern} OR p."team" ILIKE ${pattern}
        OR p."description" ILIKE ${pattern} OR p."location" ILIKE ${pattern})`,
    );
  }
  if (filter.institute.length)
    conditions.push(
      Prisma.sql`p."hostInstituteId" IN (SELECT "id" FROM "Institute" WHERE "code" = ANY(${filter.institute}::text[]))`,
    );
  if (filter.expertise.length)
    conditions.push(
      Prisma.sql`(p."requiredExpertiseIds" && ${filter.expertise}::text[] OR p."desiredExpertiseIds" && ${filter.expertise}::text[])`,
    );
  if (filter.duration.length)
    conditions.push(
      Prisma.sql`(${Prisma.join(
        filter.duration.map(
          (d) =>
            Prisma.sql`p."durationMonths" BETWEEN ${DURATION_RANGES[d]![0]} AND ${DURATION_RANGES[d]![1]}`,
        ),
        " OR ",
      )})`,
    );
  if (filter.workMode.length)
    conditions.push(Prisma.sql`p."workMode"::text = ANY(${filter.workMode}::text[])`);
  // The start window overlaps the one asked for.
  if (filter.startFrom) conditions.push(Prisma.sql`p."latestStart" >= ${filter.startFrom}::date`);
  if (filter.startTo) conditions.push(Prisma.sql`p."earliestStart" <= ${filter.startTo}::date`);
  return Prisma.join(conditions, " AND ");
}

export type OpenPostingRow = {
  id: string;
  title: string;
  team: string;
  hostCode: string;
  hostName: string;
  workMode: string;
  location: string;
  durationMonths: number;
  earliestStart: Date;
  latestStart: Date;
  deadline: Date;
  status: PostingStatus;
  requiredExpertiseIds: string[];
  /** The number of matching postings, and the earliest deadline among them (not just the page's). */
  total: number;
  firstDeadline: Date | null;
};

/**
 * One page of the open postings `instituteId`'s staff see, in deadline order, each row carrying
 * the number of matches and their earliest deadline (computed over all of them before the page
 * is cut).
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md (window counts beside the page).
 */
export function readOpenPostingsPage(
  instituteId: string,
  filter: PostingFilter,
  now: Date,
  pageSize: number,
) {
  const where = openPostingsWhere(instituteId, filter, now);
  return db.$queryRaw<OpenPostingRow[]>`
    SELECT p."id", p."title", p."team", p."workMode"::text AS "workMode", p."location",
      p."durationMonths", p."earliestStart", p."latestStart", p."deadline",
      p."status"::text AS "status", p."requiredExpertiseIds",
      i."code" AS "hostCode", i."name" AS "hostName",
      (count(*) OVER ())::int AS "total", min(p."deadline") OVER () AS "firstDeadline"
    FROM "Posting" p
    JOIN "Institute" i ON i."id" = p."hostInstituteId"
    WHERE ${where}
    ORDER BY p."deadline" ASC, p."id" ASC
    LIMIT ${pageSize} OFFSET ${(filter.page - 1) * pageSize}`;
}

/**
 * The number of open postings matching the list's filters and their earliest deadline, for a
 * page past the end (an old link), which has no rows to carry them.
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md (the list's own condition, counted).
 */
export async function readOpenPostingsTotals(
  instituteId: string,
  filter: PostingFilter,
  now: Date,
) {
  const where = openPostingsWhere(instituteId, filter, now);
  const [counted] = await db.$queryRaw<{ total: number; firstDeadline: Date | null }[]>`
    SELECT count(*)::int AS "total", min(p."deadline") AS "firstDeadline"
    FROM "Posting" p WHERE ${where}`;
  return counted;
}

/**
 * People host HR might invite to apply to `posting`: open to secondment, at an eligible
 * institute, not yet applied, sharing its expertise (`areas`), as far as HR of `instituteId` may
 * see; required areas first.
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md (array overlap scoring).
 */
export function readPeopleForPosting(
  instituteId: string,
  posting: { id: string; requiredExpertiseIds: string[]; eligibleInstituteIds: string[] },
  areas: string[],
  limit: number,
) {
  return db.$queryRaw<
    {
      userId: string;
      displayName: string;
      jobTitle: string;
      instituteCode: string;
      shared: string[];
    }[]
  >`
    WITH viewer_tier AS (
      SELECT p.*, u."displayName", u."jobTitle", i."code" AS "instituteCode",
        (CASE WHEN u."instituteId" = ${instituteId} THEN 3 ELSE 1 END) AS tier
      FROM "Profile" p
      JOIN "User" u ON u."id" = p."userId"
      JOIN "Institute" i ON i."id" = u."instituteId"
      WHERE u."deactivatedAt" IS NULL
        AND u."instituteId" = ANY(${posting.eligibleInstituteIds}::text[])
        AND p."expertiseIds" && ${areas}::text[]
        AND NOT EXISTS (SELECT 1 FROM "Application" a WHERE a."postingId" = ${posting.id} AND a."applicantId" = p."userId")
    ),
    scored AS (
      SELECT "userId", "displayName", "jobTitle", "instituteCode",
        ARRAY(SELECT e.label FROM unnest("expertiseIds", "expertiseLabels") AS e(id, label)
              WHERE e.id = ANY(${areas}::text[]) ORDER BY e.label) AS shared,
        (SELECT count(*) FROM unnest("expertiseIds") AS e(id) WHERE e.id = ANY(${posting.requiredExpertiseIds}::text[])) AS required
      FROM viewer_tier
      WHERE visibility_rank("expertiseVisibility") <= tier
        AND visibility_rank("availabilityVisibility") <= tier
        AND "openToSecondment"
    )
    SELECT "userId", "displayName", "jobTitle", "instituteCode", shared FROM scored
    ORDER BY required DESC, cardinality(shared) DESC, "displayName" ASC, "userId" ASC
    LIMIT ${limit}`;
}

/**
 * Every open posting that staff of `instituteId` could apply to and that shares an area with
 * `expertiseIds`, with its score (a required area counts twice a desired one) and the names of
 * the shared areas; unordered.
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md (array overlap scoring).
 */
export function readPostingsSharingExpertise(
  instituteId: string,
  expertiseIds: string[],
  now: Date,
) {
  return db.$queryRaw<
    {
      id: string;
      title: string;
      hostName: string;
      deadline: Date;
      score: number;
      shared: string[];
    }[]
  >`
    SELECT p."id", p."title", i."name" AS "hostName", p."deadline",
      (2 * (SELECT count(*) FROM unnest(p."requiredExpertiseIds") x(id) WHERE x.id = ANY(${expertiseIds}::text[]))
        + (SELECT count(*) FROM unnest(p."desiredExpertiseIds") x(id) WHERE x.id = ANY(${expertiseIds}::text[])))::int
        AS "score",
      ARRAY(SELECT e."name" FROM unnest(p."requiredExpertiseIds" || p."desiredExpertiseIds") x(id)
            JOIN "ExpertiseArea" e ON e."id" = x.id
            WHERE x.id = ANY(${expertiseIds}::text[])) AS "shared"
    FROM "Posting" p
    JOIN "Institute" i ON i."id" = p."hostInstituteId"
    WHERE p."status" = 'OPEN' AND p."deadline" > ${now}
      AND ${instituteId} = ANY(p."eligibleInstituteIds")
      AND p."hostInstituteId" <> ${instituteId}
      AND (p."requiredExpertiseIds" && ${expertiseIds}::text[]
        OR p."desiredExpertiseIds" && ${expertiseIds}::text[])`;
}

/**
 * The expertise on a person's own profile (null without one) and the postings they applied to.
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md (two tables in one statement).
 */
export async function readOwnExpertiseAndApplications(userId: string) {
  const [me] = await db.$queryRaw<{ expertiseIds: string[] | null; appliedTo: string[] }[]>`
    SELECT (SELECT "expertiseIds" FROM "Profile" WHERE "userId" = ${userId}) AS "expertiseIds",
      ARRAY(SELECT "postingId" FROM "Application" WHERE "applicantId" = ${userId}) AS "appliedTo"`;
  return me;
}
