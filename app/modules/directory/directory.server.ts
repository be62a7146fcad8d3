import { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { renderMarkdown } from "~/lib/markdown.server";
import type { Actor } from "~/lib/permissions";
import type { DirectorySearch } from "./search-schema";
import { headlineOptions, splitMarks } from "~/lib/highlight";

/**
 * The directory's reads. Visibility is decided inside each SQL statement: for every profile row the
 * viewer's tier (1 partner, 2 same institute, 3 self or HR of the person's institute) is computed,
 * and a field takes part in matching, ranking, facets, highlights and output only when
 * visibility_rank(field visibility) <= tier. Hidden values never leave the database.
 */

export const PAGE_SIZE = 20;

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

export type SearchHit = {
  userId: string;
  displayName: string;
  jobTitle: string;
  instituteCode: string;
  instituteName: string;
  expertise: string[];
  snippet: { text: string; mark: boolean }[];
  openToSecondment: boolean | null;
  openToCollaboration: boolean | null;
};

export type FacetValue = { value: string; label: string; count: number };

export type SearchResult = {
  hits: SearchHit[];
  total: number;
  page: number;
  pageCount: number;
  facets: {
    institute: FacetValue[];
    expertise: FacetValue[];
    availability: FacetValue[];
    location: FacetValue[];
  };
};

/**
 * Directory search: full text over what the viewer may see, trigram on names, facets, pages.
 * One statement: candidates come from the GIN indexes (one branch per tier document, and the name
 * trigram index); the exact tier test then decides what matches; the matched set is computed
 * once and feeds the page, the total and every facet.
 */
export async function searchDirectory(
  viewer: Viewer,
  search: DirectorySearch,
): Promise<SearchResult> {
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

  const page = search.page;
  const offset = (page - 1) * PAGE_SIZE;
  const pageTier = Prisma.sql`pg.tier`;
  const bio = Prisma.sql`(CASE WHEN visibility_rank(p."bioVisibility") <= ${pageTier} THEN p."bio" ELSE '' END)`;
  const snippet = q
    ? Prisma.sql`ts_headline('english', ${bio}, ${query},
        ${headlineOptions(12)})`
    : Prisma.sql`left(${bio}, 240)`;

  type Row = {
    total: bigint;
    facets:
      { facet: keyof SearchResult["facets"]; value: string; label: string; count: number }[] | null;
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

  // The `<%` threshold is set on every connection (see db.server.ts).
  const rows = await db.$queryRaw<Row[]>`
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
        LIMIT ${PAGE_SIZE} OFFSET ${offset}
      )
      SELECT meta.total, meta.facets, pg."userId", pg."displayName", u."jobTitle", pg."instituteCode",
        pg."instituteName", pg.expertise, pg."openToSecondment", pg."openToCollaboration",
        ${snippet} AS snippet
      FROM meta
      LEFT JOIN pg ON TRUE
      LEFT JOIN "Profile" p ON p."userId" = pg."userId"
      LEFT JOIN "User" u ON u."id" = pg."userId"
      ORDER BY pg.rank DESC, pg."displayName" ASC, pg."userId" ASC`;

  const first = rows[0];
  const total = first ? Number(first.total) : 0;
  const facets: SearchResult["facets"] = {
    institute: [],
    expertise: [],
    availability: [],
    location: [],
  };
  for (const f of first?.facets ?? []) {
    facets[f.facet].push({ value: f.value, label: f.label, count: Number(f.count) });
  }
  for (const list of Object.values(facets)) {
    list.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  }
  return {
    hits: rows
      .filter((r) => r.userId !== null)
      .map((r) => ({
        userId: r.userId!,
        displayName: r.displayName,
        jobTitle: r.jobTitle,
        instituteCode: r.instituteCode,
        instituteName: r.instituteName,
        expertise: r.expertise ?? [],
        snippet: splitMarks(r.snippet ?? ""),
        openToSecondment: r.openToSecondment,
        openToCollaboration: r.openToCollaboration,
      })),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    facets,
  };
}

export type ProfileView = {
  userId: string;
  displayName: string;
  jobTitle: string;
  team: string;
  email: string;
  instituteCode: string;
  instituteName: string;
  tier: 1 | 2 | 3;
  isSelf: boolean;
  bioHtml: string | null;
  expertise: string[] | null;
  skills: string[] | null;
  publications: { title: string; url: string | null }[] | null;
  languages: string[] | null;
  location: string | null;
  openToSecondment: boolean | null;
  openToCollaboration: boolean | null;
};

/** Splits the stored publications text into titles with an optional trailing https URL. */
export function parsePublications(text: string) {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const match = line.match(/^(.*?)[\s—–-]*\s(https?:\/\/\S+)$/);
      return match
        ? { title: match[1]!.trim() || match[2]!, url: match[2]! }
        : { title: line, url: null };
    });
}

/** One person's profile as this viewer may see it; null (a 404 for the route) if unknown. */
export async function getProfile(viewer: Viewer, userId: string): Promise<ProfileView | null> {
  const tier = tierSql(viewer);
  const field = (column: string, visibility: string) =>
    Prisma.sql`CASE WHEN ${visible(visibility, tier)} THEN p.${Prisma.raw(`"${column}"`)} END`;
  const rows = await db.$queryRaw<
    {
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
    }[]
  >`
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
  const row = rows[0];
  if (!row) return null;
  return {
    ...row,
    tier: Math.min(3, Math.max(1, row.tier)) as 1 | 2 | 3,
    isSelf: row.userId === viewer.id,
    bioHtml: row.bio ? renderMarkdown(row.bio) : null,
    publications: row.publications === null ? null : parsePublications(row.publications),
  };
}

export type Suggestion = {
  userId: string;
  displayName: string;
  jobTitle: string;
  instituteCode: string;
  shared: string[];
};

/**
 * People who share expertise or skills with `subjectId`, counting only what the viewer may see on
 * both sides; the reason lists what is shared. With onlyOpenToCollaboration, only people who say
 * (visibly) that they are open to collaboration.
 */
export async function similarPeople(
  viewer: Viewer,
  subjectId: string,
  { limit = 5, onlyOpenToCollaboration = false } = {},
): Promise<Suggestion[]> {
  const isHr = viewer.roles.includes("HR");
  const tierOf = (profile: string, user: string) =>
    Prisma.sql`(CASE WHEN ${Prisma.raw(profile)}."userId" = ${viewer.id}
        OR (${Prisma.raw(user)}."instituteId" = ${viewer.instituteId} AND ${isHr}) THEN 3
      WHEN ${Prisma.raw(user)}."instituteId" = ${viewer.instituteId} THEN 2 ELSE 1 END)`;
  const st = tierOf("s", "su");
  const ct = tierOf("c", "cu");
  const rows = await db.$queryRaw<
    {
      userId: string;
      displayName: string;
      jobTitle: string;
      instituteCode: string;
      sharedExpertise: string[];
      sharedSkills: string[];
    }[]
  >`
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
  return rows.map((r) => ({
    userId: r.userId,
    displayName: r.displayName,
    jobTitle: r.jobTitle,
    instituteCode: r.instituteCode,
    shared: [...r.sharedExpertise.sort(), ...r.sharedSkills.sort()],
  }));
}

/** Collaborators to suggest to the signed-in user, from their own profile. */
export function suggestedCollaborators(viewer: Viewer, limit = 6) {
  return similarPeople(viewer, viewer.id, { limit, onlyOpenToCollaboration: true });
}
