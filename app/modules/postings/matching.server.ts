import { db } from "~/lib/db.server";
import { isHrOf, type Actor } from "~/lib/permissions";
import { notFound } from "~/lib/service";
import { clock } from "~/lib/clock";

// Matching people and postings by expertise. Only what the viewer may see of a profile counts:
// a candidate's expertise and availability take part only when their visibility reaches the
// viewer's tier for that person (the same rule as the directory's).

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

export type RankedPosting = SuggestedPosting & { score: number; deadline: Date };

/**
 * Every open posting that staff of `instituteId` could apply to and that shares an area with
 * `expertiseIds`, best first: a required area counts twice a desired one, then the nearest
 * deadline. The same for everyone of that institute with that expertise; the postings a person
 * already applied to are left out by suggestionsFrom.
 */
export async function rankedPostingsFor(
  instituteId: string,
  expertiseIds: string[],
  now = clock.now(),
): Promise<RankedPosting[]> {
  if (!expertiseIds.length) return [];
  const rows = await db.$queryRaw<RankedPosting[]>`
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
  return rows
    .map((r) => ({ ...r, shared: [...r.shared].sort() }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        a.deadline.getTime() - b.deadline.getTime() ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

/** The first `limit` of `ranked` that the person has not applied to. */
export function suggestionsFrom(
  ranked: RankedPosting[],
  appliedTo: string[],
  limit = 5,
): SuggestedPosting[] {
  const applied = new Set(appliedTo);
  return ranked
    .filter((p) => !applied.has(p.id))
    .slice(0, limit)
    .map(({ id, title, hostName, shared }) => ({ id, title, hostName, shared }));
}

/** Open postings the actor could apply to that match the expertise on their own profile. */
export async function suggestedPostingsFor(actor: Actor, limit = 5, now = clock.now()) {
  const [me] = await db.$queryRaw<{ expertiseIds: string[] | null; appliedTo: string[] }[]>`
    SELECT (SELECT "expertiseIds" FROM "Profile" WHERE "userId" = ${actor.id}) AS "expertiseIds",
      ARRAY(SELECT "postingId" FROM "Application" WHERE "applicantId" = ${actor.id}) AS "appliedTo"`;
  if (!me?.expertiseIds?.length) return [];
  const ranked = await rankedPostingsFor(actor.instituteId, me.expertiseIds, now);
  return suggestionsFrom(ranked, me.appliedTo, limit);
}
