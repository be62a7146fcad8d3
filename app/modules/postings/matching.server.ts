import { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { isHrOf, type Actor } from "~/lib/permissions";

// Matching people and postings by expertise. Only what the viewer may see of a profile counts:
// a candidate's expertise and availability take part only when their visibility reaches the
// viewer's tier for that person (the same rule as the directory's).

const notFound = () => new Response("Not found", { status: 404 });

export type SuggestedPerson = {
  userId: string;
  displayName: string;
  jobTitle: string;
  instituteCode: string;
  shared: string[];
};

/** People host HR might invite to apply: open to secondment, eligible, sharing the posting's expertise. */
export async function suggestedPeopleForPosting(
  actor: Actor,
  postingId: string,
  limit = 8,
): Promise<SuggestedPerson[]> {
  const posting = await db.posting.findUnique({
    where: { id: postingId },
    select: {
      hostInstituteId: true,
      requiredExpertiseIds: true,
      desiredExpertiseIds: true,
      eligibleInstituteIds: true,
    },
  });
  if (!posting || !isHrOf(actor, posting.hostInstituteId)) throw notFound();
  const areas = [...posting.requiredExpertiseIds, ...posting.desiredExpertiseIds];
  if (!areas.length || !posting.eligibleInstituteIds.length) return [];
  return db.$queryRaw<SuggestedPerson[]>`
    WITH viewer_tier AS (
      SELECT p.*, u."displayName", u."jobTitle", i."code" AS "instituteCode",
        (CASE WHEN u."instituteId" = ${actor.instituteId} THEN 3 ELSE 1 END) AS tier
      FROM "Profile" p
      JOIN "User" u ON u."id" = p."userId"
      JOIN "Institute" i ON i."id" = u."instituteId"
      WHERE u."deactivatedAt" IS NULL
        AND u."instituteId" = ANY(${posting.eligibleInstituteIds}::text[])
        AND p."expertiseIds" && ${areas}::text[]
        AND NOT EXISTS (SELECT 1 FROM "Application" a WHERE a."postingId" = ${postingId} AND a."applicantId" = p."userId")
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

export type SuggestedPosting = {
  id: string;
  title: string;
  hostName: string;
  shared: string[];
};

/**
 * Open postings the actor could apply to that match the expertise on their own profile, best
 * first (a required area counts twice a desired one; then the nearest deadline), as a JSON array
 * of SuggestedPosting (cut to a length by toSuggestedPostings): one expression, so the list page
 * reads it with its other per-viewer data.
 */
export function suggestedPostingsSql(actor: Actor, now = new Date()): Prisma.Sql {
  return Prisma.sql`COALESCE((
    SELECT json_agg(json_build_object('id', s."id", 'title', s."title", 'hostName', s."hostName",
        'shared', s."shared") ORDER BY s."score" DESC, s."deadline" ASC, s."id" ASC)
    FROM (
      SELECT p."id", p."title", p."deadline", i."name" AS "hostName",
        2 * (SELECT count(*) FROM unnest(p."requiredExpertiseIds") x(id) WHERE x.id = ANY(me."expertiseIds"))
          + (SELECT count(*) FROM unnest(p."desiredExpertiseIds") x(id) WHERE x.id = ANY(me."expertiseIds"))
          AS "score",
        ARRAY(SELECT e."name" FROM unnest(p."requiredExpertiseIds" || p."desiredExpertiseIds") x(id)
              JOIN "ExpertiseArea" e ON e."id" = x.id
              WHERE x.id = ANY(me."expertiseIds")) AS "shared"
      FROM "Profile" me
      JOIN "Posting" p ON p."requiredExpertiseIds" && me."expertiseIds"
        OR p."desiredExpertiseIds" && me."expertiseIds"
      JOIN "Institute" i ON i."id" = p."hostInstituteId"
      WHERE me."userId" = ${actor.id}
        AND p."status" = 'OPEN' AND p."deadline" > ${now}
        AND ${actor.instituteId} = ANY(p."eligibleInstituteIds")
        AND p."hostInstituteId" <> ${actor.instituteId}
        AND NOT EXISTS (SELECT 1 FROM "Application" a
                        WHERE a."postingId" = p."id" AND a."applicantId" = ${actor.id})
      -- Ranked among at most 50 candidates, as before: not a sort of every open posting.
      LIMIT 50
    ) s
  ), '[]'::json)`;
}

/** The first `limit` of what suggestedPostingsSql read; the shared areas in alphabetical order. */
export function toSuggestedPostings(value: unknown, limit = 5): SuggestedPosting[] {
  const list = (typeof value === "string" ? JSON.parse(value) : value) as SuggestedPosting[];
  return list.slice(0, limit).map((p) => ({ ...p, shared: [...p.shared].sort() }));
}

/** Open postings the actor could apply to that match the expertise on their own profile. */
export async function suggestedPostingsFor(actor: Actor, limit = 5, now = new Date()) {
  const [row] = await db.$queryRaw<{ suggested: unknown }[]>`
    SELECT ${suggestedPostingsSql(actor, now)} AS "suggested"`;
  return toSuggestedPostings(row?.suggested ?? [], limit);
}
