import type { PostingStatus } from "~/generated/prisma/enums";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { assertHrOf, isHrOf, type Actor } from "~/lib/permissions";
import { notFound } from "~/lib/service";
import { instantToZonedLocal } from "~/lib/time-zones";
import { applyRefusal, visibleTo } from "./access.server";
import type { PostingInput } from "./schema";

/** One posting for its page; 404 if the actor may not see it. */
export async function getPosting(actor: Actor, postingId: string, now = clock.now()) {
  const posting = await db.posting.findFirst({
    where: { AND: [{ id: postingId }, visibleTo(actor)] },
    select: {
      id: true,
      title: true,
      team: true,
      description: true,
      requiredExpertiseIds: true,
      desiredExpertiseIds: true,
      minClearance: true,
      workMode: true,
      location: true,
      durationMonths: true,
      earliestStart: true,
      latestStart: true,
      places: true,
      deadline: true,
      eligibleInstituteIds: true,
      status: true,
      version: true,
      hostInstituteId: true,
      hostInstitute: { select: { code: true, name: true, timeZone: true } },
      contactHr: { select: { id: true, displayName: true, email: true } },
    },
  });
  if (!posting) throw notFound();
  const [areas, eligible, mine] = await Promise.all([
    db.expertiseArea.findMany({
      where: { id: { in: [...posting.requiredExpertiseIds, ...posting.desiredExpertiseIds] } },
      select: { id: true, name: true },
    }),
    db.institute.findMany({
      where: { id: { in: posting.eligibleInstituteIds } },
      orderBy: { code: "asc" },
      select: { code: true, name: true },
    }),
    db.application.findUnique({
      where: { postingId_applicantId: { postingId, applicantId: actor.id } },
      select: { id: true, status: true },
    }),
  ]);
  const name = new Map(areas.map((a) => [a.id, a.name]));
  const isHost = isHrOf(actor, posting.hostInstituteId);
  return {
    posting: {
      ...posting,
      descriptionHtml: renderMarkdown(posting.description),
      requiredExpertise: posting.requiredExpertiseIds.map((id) => name.get(id) ?? "(retired area)"),
      desiredExpertise: posting.desiredExpertiseIds.map((id) => name.get(id) ?? "(retired area)"),
      eligible,
    },
    isHost,
    myApplication: mine,
    applyRefusal: mine ? null : applyRefusal(posting, actor, now),
  };
}

/** What the edit form needs: the posting's values as typed (deadline in the host's zone) and the options. */
export async function getPostingForm(actor: Actor, postingId?: string) {
  assertHrOf(actor, actor.instituteId);
  const [institutes, areas, hrs, host] = await Promise.all([
    db.institute.findMany({
      where: { id: { not: actor.instituteId } },
      orderBy: { code: "asc" },
      select: { id: true, code: true, name: true },
    }),
    db.expertiseArea.findMany({
      where: { retiredAt: null },
      orderBy: { name: "asc" },
      select: { id: true, name: true },
    }),
    db.user.findMany({
      where: { instituteId: actor.instituteId, roles: { has: "HR" }, deactivatedAt: null },
      orderBy: { displayName: "asc" },
      select: { id: true, displayName: true },
    }),
    db.institute.findUniqueOrThrow({
      where: { id: actor.instituteId },
      select: { timeZone: true, name: true },
    }),
  ]);
  let values: (PostingInput & { version: number }) | null = null;
  let status: PostingStatus | null = null;
  if (postingId) {
    const p = await db.posting.findFirst({
      where: { id: postingId, hostInstituteId: actor.instituteId },
    });
    if (!p) throw notFound();
    status = p.status;
    values = {
      title: p.title,
      team: p.team,
      description: p.description,
      requiredExpertise: p.requiredExpertiseIds,
      desiredExpertise: p.desiredExpertiseIds,
      minClearance: p.minClearance,
      workMode: p.workMode,
      location: p.location,
      durationMonths: p.durationMonths,
      earliestStart: p.earliestStart.toISOString().slice(0, 10),
      latestStart: p.latestStart.toISOString().slice(0, 10),
      places: p.places,
      deadline: instantToZonedLocal(p.deadline, host.timeZone),
      eligibleInstitutes: p.eligibleInstituteIds,
      contactHrId: p.contactHrId,
      version: p.version,
    };
  }
  return { institutes, areas, hrs, timeZone: host.timeZone, hostName: host.name, values, status };
}
