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

/** Open postings the actor could apply to that match the expertise on their own profile. */
export async function suggestedPostingsFor(actor: Actor, limit = 5, now = new Date()) {
  const profile = await db.profile.findUnique({
    where: { userId: actor.id },
    select: { expertiseIds: true },
  });
  if (!profile?.expertiseIds.length) return [];
  const postings = await db.posting.findMany({
    where: {
      status: "OPEN",
      deadline: { gt: now },
      eligibleInstituteIds: { has: actor.instituteId },
      hostInstituteId: { not: actor.instituteId },
      applications: { none: { applicantId: actor.id } },
      OR: [
        { requiredExpertiseIds: { hasSome: profile.expertiseIds } },
        { desiredExpertiseIds: { hasSome: profile.expertiseIds } },
      ],
    },
    select: {
      id: true,
      title: true,
      deadline: true,
      requiredExpertiseIds: true,
      desiredExpertiseIds: true,
      hostInstitute: { select: { name: true } },
    },
    take: 50,
  });
  const areaIds = [
    ...new Set(postings.flatMap((p) => [...p.requiredExpertiseIds, ...p.desiredExpertiseIds])),
  ];
  const names = new Map(
    (
      await db.expertiseArea.findMany({
        where: { id: { in: areaIds } },
        select: { id: true, name: true },
      })
    ).map((a) => [a.id, a.name]),
  );
  const mine = new Set(profile.expertiseIds);
  return postings
    .map((p) => {
      const required = p.requiredExpertiseIds.filter((id) => mine.has(id));
      const desired = p.desiredExpertiseIds.filter((id) => mine.has(id));
      return {
        id: p.id,
        title: p.title,
        hostName: p.hostInstitute.name,
        deadline: p.deadline,
        score: 2 * required.length + desired.length,
        shared: [...required, ...desired]
          .map((id) => names.get(id) ?? "")
          .filter(Boolean)
          .sort(),
      };
    })
    .sort((a, b) => b.score - a.score || a.deadline.getTime() - b.deadline.getTime())
    .slice(0, limit)
    .map(
      ({ id, title, hostName, shared }) =>
        ({ id, title, hostName, shared }) satisfies SuggestedPosting,
    );
}
