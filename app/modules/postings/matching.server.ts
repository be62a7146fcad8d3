import { db } from "~/lib/db.server";
import { isHrOf, type Actor } from "~/lib/permissions";
import { notFound } from "~/lib/service";
import {
  readOwnExpertiseAndApplications,
  readPeopleForPosting,
  readPostingsSharingExpertise,
} from "./queries.server";
import { clock } from "~/lib/clock";

// Matching people and postings by expertise. Only what the viewer may see of a profile counts:
// a candidate's expertise and availability take part only when their visibility reaches the
// viewer's tier for that person (the same rule as the directory's), in the SQL of
// ./queries.server.ts.

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
  return readPeopleForPosting(actor.instituteId, { ...posting, id: postingId }, areas, limit);
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
  const rows = await readPostingsSharingExpertise(instituteId, expertiseIds, now);
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
  const me = await readOwnExpertiseAndApplications(actor.id);
  if (!me?.expertiseIds?.length) return [];
  const ranked = await rankedPostingsFor(actor.instituteId, me.expertiseIds, now);
  return suggestionsFrom(ranked, me.appliedTo, limit);
}
