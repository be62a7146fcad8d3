import { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { headlineOptions } from "~/lib/highlight";
import type { Actor } from "~/lib/permissions";
import type { DirectorySearch } from "./search-schema";

/**
 * The directory's hand-written reads. Visibility is decided inside each SQL statement: for every
 * profile row the viewer's tier (1 partner, 2 same institute, 3 self or HR of the person's
 * institute) is computed, and a field takes part in matching, ranking, facets, highlights and
 * output only when visibility_rank(field visibility) <= tier. Hidden values never leave the
 * database.
 */

type Viewer = Pick<Actor, "id" | "instituteId" | "roles">;

function tierSql(viewer: Viewer) {
  const isHr = viewer.roles.includes("HR");
  return Prisma.sql`(CASE WHEN p."userId" = ${viewer.id} OR (u."instituteId" = ${viewer.instituteId} AND ${isHr}) THEN 3
    WHEN u."instituteId" = ${viewer.instituteId} THEN 2 ELSE 1 END)`;
}

/** True when the field with this visibility column is visible at the row's tier. */
function visible(column: string, tier: Prisma.Sql) {
  return Prisma.sql`(visibility_rank(p.${Prisma.raw(`"${column}"`)}) <= ${tier})`;
}

/** The row's search document for the viewer's tier, as an expression the GIN indexes can serve. */
function matchSql(viewer: Viewer, query: Prisma.Sql) {
  const isHr = viewer.roles.includes("HR");
  return Prisma.sql`(
    (u."instituteId" <> ${viewer.instituteId} AND p."searchPartners" @@ ${query})
    OR (u."instituteId" = ${viewer.instituteId} AND p."userId" <> ${viewer.id} AND NOT ${isHr} AND p."searchInstitute" @@ ${query})
    OR ((p."userId" = ${viewer.id} OR (u."instituteId" = ${viewer.instituteId} AND ${isHr})) AND p."searchPrivate" @@ ${query})
  )`;
}

function documentSql(tier: Prisma.Sql) {
  return Prisma.sql`(CASE ${tier} WHEN 1 THEN p."searchPartners" WHEN 2 THEN p."searchInstitute" ELSE p."searchPrivate" END)`;
}

export type DirectoryFacet = "institute" | "expertise" | "availability" | "location";

/**
 * A row of one search page. Every row carries the number of matches and the facets; when the page
 * is empty there is one row, with a null `userId`.
 */
export type DirectoryPageRow = {
  total: bigint;
  facets: { facet: DirectoryFacet; value: string; label: string; count: number }[] | null;
  userId: string | null;
  displayName: string;
  jobTitle: string;
  instituteCode: string;
  instituteName: string;
  expertise: string[] | null;
  snippet: string | null;
  openToSecondment: boolean | null;
  openToCollaboration: boolean | null;
};

/**
 * Directory search: full text over what the viewer may see, trigram on names, facets, one page of
 * `pageSize`. Candidates come from the GIN indexes (one branch per tier document, and the name
 * trigram index); the exact tier test then decides what matches; the matched set is computed
 * once and feeds the page, the total and every facet.
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md (ranking by viewer tier, one statement).
 */
export async function readDirectoryPage(
  viewer: Viewer,
  search: DirectorySearch,
  pageSize: number,
): Promise<DirectoryPageRow[]> {
  const tier = tierSql(viewer);
  const q = search.q.trim();
  const query = Prisma.sql`websearch_to_tsquery('english', ${q})`;
  const isHr = viewer.roles.includes("HR");
  // Typo-tolerant name matching is for things that look like a name; it is also the costly part.
  const nameLike = q.length > 0 && q.length <= 40 && q.split(/\s+/).length <= 3;
  const nameMatch = nameLike ? Prisma.sql`${q} <% u."displayName"` : Prisma.sql`FALSE`;

  const candidates = q
    ? Prisma.sql`(
        SELECT "userId" FROM "Profile" WHERE "searchPartners" @@ ${query}
        UNION SELECT "userId" FROM "Profile" WHERE "searchInstitute" @@ ${query}
        UNION SELECT "userId" FROM "Profile" WHERE "searchPrivate" @@ ${query}
          AND ("userId" = ${viewer.id} OR ${isHr})
        ${nameLike ? Prisma.sql`UNION SELECT "id" FROM "User" WHERE ${q} <% "displayName"` : Prisma.empty}
      )`
    : Prisma.sql`(SELECT "userId" FROM "Profile")`;

  const filters: Prisma.Sql[] = [Prisma.sql`u."deactivatedAt" IS NULL`];
  if (q) filters.push(Prisma.sql`(${matchSql(viewer, query)} OR ${nameMatch})`);
  if (search.institute.length)
    filters.push(Prisma.sql`i."code" IN (${Prisma.join(search.institute)})`);
  if (search.expertise.length) {
    filters.push(
      Prisma.sql`(${visible("expertiseVisibility", tier)} AND p."expertiseIds" && ARRAY[${Prisma.join(search.expertise)}]::text[])`,
    );
  }
  if (search.availability.includes("secondment")) {
    filters.push(Prisma.sql`(${visible("availabilityVisibility", tier)} AND p."openToSecondment")`);
  }
  if (search.availability.includes("collaboration")) {
    filters.push(
      Prisma.sql`(${visible("availabilityVisibility", tier)} AND p."openToCollaboration")`,
    );
  }
  if (search.location.length) {
    filters.push(
      Prisma.sql`(${visible("locationVisibility", tier)} AND p."location" IN (${Prisma.join(search.location)}))`,
    );
  }
  const where = Prisma.join(filters, " AND ");

  const rank = q
    ? Prisma.sql`(ts_rank_cd(${documentSql(tier)}, ${query}, 1)
        + 2 * word_similarity(${q}, u."displayName")
        + CASE WHEN lower(u."displayName") = lower(${q}) THEN 10 ELSE 0 END)`
    : Prisma.sql`0::float8`;

  const offset = (search.page - 1) * pageSize;
  const pageTier = Prisma.sql`pg.tier`;
  const bio = Prisma.sql`(CASE WHEN visibility_rank(p."bioVisibility") <= ${pageTier} THEN p."bio" ELSE '' END)`;
  const snippet = q
    ? Prisma.sql`ts_headline('english', ${bio}, ${query},
        ${headlineOptions(12)})`
    : Prisma.sql`left(${bio}, 240)`;

  // The `<%` threshold is set on every connection (see db.server.ts).
  return db.$queryRaw<DirectoryPageRow[]>`
      WITH matched AS MATERIALIZED (
        SELECT p."userId", u."displayName", i."code" AS "instituteCode", i."name" AS "instituteName",
          ${tier} AS tier, ${rank} AS rank,
          p."expertiseIds", p."expertiseLabels", p."expertiseVisibility", p."availabilityVisibility",
          p."openToSecondment", p."openToCollaboration", p."locationVisibility", p."location"
        FROM ${candidates} c
        JOIN "Profile" p ON p."userId" = c."userId"
        JOIN "User" u ON u."id" = p."userId"
        JOIN "Institute" i ON i."id" = u."instituteId"
        WHERE ${where}
      ),
      facet_rows AS (
        SELECT 'institute' AS facet, "instituteCode" AS value, "instituteName" AS label, count(*) AS count
          FROM matched GROUP BY "instituteCode", "instituteName"
        UNION ALL
        SELECT 'expertise', e.id, e.label, count(*)
          FROM matched m, unnest(m."expertiseIds", m."expertiseLabels") AS e(id, label)
          WHERE visibility_rank(m."expertiseVisibility") <= m.tier GROUP BY e.id, e.label
        UNION ALL
        SELECT 'availability', 'secondment', 'Open to secondment', count(*) FROM matched
          WHERE visibility_rank("availabilityVisibility") <= tier AND "openToSecondment"
        UNION ALL
        SELECT 'availability', 'collaboration', 'Open to collaboration', count(*) FROM matched
          WHERE visibility_rank("availabilityVisibility") <= tier AND "openToCollaboration"
        UNION ALL
        SELECT 'location', "location", "location", count(*) FROM matched
          WHERE visibility_rank("locationVisibility") <= tier AND "location" <> '' GROUP BY "location"
      ),
      meta AS (
        SELECT (SELECT count(*) FROM matched) AS total,
          (SELECT json_agg(json_build_object('facet', facet, 'value', value, 'label', label, 'count', count))
             FROM facet_rows WHERE count > 0) AS facets
      ),
      pg AS (
        SELECT "userId", tier, rank, "displayName", "instituteCode", "instituteName",
          CASE WHEN visibility_rank("expertiseVisibility") <= tier THEN "expertiseLabels" END AS expertise,
          CASE WHEN visibility_rank("availabilityVisibility") <= tier THEN "openToSecondment" END AS "openToSecondment",
          CASE WHEN visibility_rank("availabilityVisibility") <= tier THEN "openToCollaboration" END AS "openToCollaboration"
        FROM matched
        ORDER BY rank DESC, "displayName" ASC, "userId" ASC
        LIMIT ${pageSize} OFFSET ${offset}
      )
      SELECT meta.total, meta.facets, pg."userId", pg."displayName", u."jobTitle", pg."instituteCode",
        pg."instituteName", pg.expertise, pg."openToSecondment", pg."openToCollaboration",
        ${snippet} AS snippet
      FROM meta
      LEFT JOIN pg ON TRUE
      LEFT JOIN "Profile" p ON p."userId" = pg."userId"
      LEFT JOIN "User" u ON u."id" = pg."userId"
      ORDER BY pg.rank DESC, pg."displayName" ASC, pg."userId" ASC`;
}

/** A profile's fields as one viewer may see them: null where hidden (or with no profile yet). */
export type VisibleProfileRow = {
  userId: string;
  displayName: string;
  jobTitle: string;
  team: string;
  email: string;
  instituteCode: string;
  instituteName: string;
  tier: number;
  bio: string | null;
  expertise: string[] | null;
  skills: string[] | null;
  publications: string | null;
  languages: string[] | null;
  location: string | null;
  openToSecondment: boolean | null;
  openToCollaboration: boolean | null;
};

/**
 * One active person's profile as this viewer may see it; undefined if there is no such person.
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md (each field's visibility, in the database).
 */
export async function readVisibleProfile(
  viewer: Viewer,
  userId: string,
): Promise<VisibleProfileRow | undefined> {
  const tier = tierSql(viewer);
  const field = (column: string, visibility: string) =>
    Prisma.sql`CASE WHEN ${visible(visibility, tier)} THEN p.${Prisma.raw(`"${column}"`)} END`;
  const rows = await db.$queryRaw<VisibleProfileRow[]>`
    SELECT u."id" AS "userId", u."displayName", u."jobTitle", u."team", u."email",
      i."code" AS "instituteCode", i."name" AS "instituteName", ${tier} AS tier,
      ${field("bio", "bioVisibility")} AS "bio",
      ${field("expertiseLabels", "expertiseVisibility")} AS "expertise",
      ${field("skills", "skillsVisibility")} AS "skills",
      ${field("publications", "publicationsVisibility")} AS "publications",
      ${field("languages", "languagesVisibility")} AS "languages",
      ${field("location", "locationVisibility")} AS "location",
      ${field("openToSecondment", "availabilityVisibility")} AS "openToSecondment",
      ${field("openToCollaboration", "availabilityVisibility")} AS "openToCollaboration"
    FROM "User" u
    JOIN "Institute" i ON i."id" = u."instituteId"
    LEFT JOIN "Profile" p ON p."userId" = u."id"
    WHERE u."id" = ${userId} AND u."deactivatedAt" IS NULL`;
  return rows[0];
}

export type SimilarProfileRow = {
  userId: string;
  displayName: string;
  jobTitle: string;
  instituteCode: string;
  sharedExpertise: string[];
  sharedSkills: string[];
};

/**
 * People who share expertise or skills with `subjectId`, best first, counting only what the viewer
 * may see on both sides. With onlyOpenToCollaboration, only people who say (visibly) that they are
 * open to collaboration.
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md (array overlap scored per viewer tier).
 */
export async function readSimilarProfiles(
  viewer: Viewer,
  subjectId: string,
  { limit, onlyOpenToCollaboration }: { limit: number; onlyOpenToCollaboration: boolean },
): Promise<SimilarProfileRow[]> {
  const isHr = viewer.roles.includes("HR");
  const tierOf = (profile: string, user: string) =>
    Prisma.sql`(CASE WHEN ${Prisma.raw(profile)}."userId" = ${viewer.id}
        OR (${Prisma.raw(user)}."instituteId" = ${viewer.instituteId} AND ${isHr}) THEN 3
      WHEN ${Prisma.raw(user)}."instituteId" = ${viewer.instituteId} THEN 2 ELSE 1 END)`;
  const st = tierOf("s", "su");
  const ct = tierOf("c", "cu");
  return db.$queryRaw<SimilarProfileRow[]>`
    WITH src AS (
      SELECT
        CASE WHEN visibility_rank(s."expertiseVisibility") <= ${st} THEN s."expertiseLabels" ELSE ARRAY[]::text[] END AS labels,
        CASE WHEN visibility_rank(s."skillsVisibility") <= ${st} THEN s."skills" ELSE ARRAY[]::text[] END AS skills
      FROM "Profile" s JOIN "User" su ON su."id" = s."userId"
      WHERE s."userId" = ${subjectId}
    ),
    candidates AS (
      SELECT c."userId", cu."displayName", cu."jobTitle", ci."code" AS "instituteCode",
        ARRAY(SELECT unnest(CASE WHEN visibility_rank(c."expertiseVisibility") <= ${ct} THEN c."expertiseLabels" ELSE ARRAY[]::text[] END)
              INTERSECT SELECT unnest(src.labels)) AS "sharedExpertise",
        ARRAY(SELECT unnest(CASE WHEN visibility_rank(c."skillsVisibility") <= ${ct} THEN c."skills" ELSE ARRAY[]::text[] END)
              INTERSECT SELECT unnest(src.skills)) AS "sharedSkills"
      FROM src, "Profile" c
      JOIN "User" cu ON cu."id" = c."userId"
      JOIN "Institute" ci ON ci."id" = cu."instituteId"
      WHERE c."userId" <> ${subjectId} AND c."userId" <> ${viewer.id} AND cu."deactivatedAt" IS NULL
        AND (c."expertiseLabels" && src.labels OR c."skills" && src.skills)
        AND (NOT ${onlyOpenToCollaboration} OR (c."openToCollaboration" AND visibility_rank(c."availabilityVisibility") <= ${ct}))
    )
    SELECT * FROM candidates
    WHERE cardinality("sharedExpertise") + cardinality("sharedSkills") > 0
    ORDER BY 2 * cardinality("sharedExpertise") + cardinality("sharedSkills") DESC, "displayName" ASC
    LIMIT ${limit}`;
}

export type AreaRow = {
  id: string;
  name: string;
  description: string;
  retiredAt: Date | null;
  profileCount: number;
};

/**
 * Expertise areas with the number of profiles carrying each, by name; active ones only unless asked.
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md (counts over an array column).
 */
export function readAreasWithCounts({
  includeRetired,
}: {
  includeRetired: boolean;
}): Promise<AreaRow[]> {
  return db.$queryRaw<AreaRow[]>`
    SELECT a."id", a."name", a."description", a."retiredAt",
           coalesce(c."n", 0)::int AS "profileCount"
    FROM "ExpertiseArea" a
    LEFT JOIN (
      SELECT e."id", count(*) AS "n"
      FROM "Profile" p CROSS JOIN LATERAL unnest(p."expertiseIds") AS e("id")
      GROUP BY e."id"
    ) c ON c."id" = a."id"
    ${includeRetired ? Prisma.empty : Prisma.sql`WHERE a."retiredAt" IS NULL`}
    ORDER BY lower(a."name"), a."name"`;
}
