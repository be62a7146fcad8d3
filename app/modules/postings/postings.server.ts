import type { Prisma } from "~/generated/prisma/client";
import type { PostingStatus } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import type { FieldErrors } from "~/lib/forms";
import { renderMarkdown } from "~/lib/markdown.server";
import { assertHrOf, isHrOf, type Actor } from "~/lib/permissions";
import { notFound, refused, stale, type ServiceResult } from "~/lib/service";
import { instantToZonedLocal, zonedLocalToInstant } from "~/lib/time-zones";
import { recordAudit } from "~/modules/audit/audit.server";
import {
  readOpenPostingsPage,
  readOpenPostingsTotals,
  readPostingFacetRows,
} from "./queries.server";
import type { PostingFilter, PostingInput } from "./schema";
import { canMovePosting, isEditable } from "./workflow";
import { clock } from "~/lib/clock";

type Tx = Prisma.TransactionClient;

export const POSTINGS_PAGE_SIZE = 20;

const CHANGED =
  "This posting changed since you opened it. The page now shows its current state; check it and try again.";

/**
 * Who may see a posting: host HR always; anyone at the host institute, and staff of an eligible
 * institute, once it is open (or closed or filled, for those who applied). Everything else is a 404.
 */
function visibleTo(actor: Actor): Prisma.PostingWhereInput {
  return {
    OR: [
      ...(actor.roles.includes("HR") ? [{ hostInstituteId: actor.instituteId }] : []),
      { status: "OPEN", hostInstituteId: actor.instituteId },
      { status: "OPEN", eligibleInstituteIds: { has: actor.instituteId } },
      { applications: { some: { applicantId: actor.id } } },
    ],
  };
}

/** Whether this person may apply now: open, before its deadline, their institute eligible, not the host. */
export function applyRefusal(
  posting: {
    status: PostingStatus;
    deadline: Date;
    eligibleInstituteIds: string[];
    hostInstituteId: string;
  },
  actor: Actor,
  now = clock.now(),
): string | null {
  if (posting.status !== "OPEN") return "This posting is not open for applications.";
  if (posting.deadline <= now) return "The deadline for this posting has passed.";
  if (posting.hostInstituteId === actor.instituteId)
    return "Secondments are for staff of partner institutes.";
  if (!posting.eligibleInstituteIds.includes(actor.instituteId))
    return "Staff of your institute are not eligible for this posting.";
  return null;
}

async function checkReferences(
  tx: Tx,
  hostInstituteId: string,
  input: PostingInput,
): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const areaIds = [...new Set([...input.requiredExpertise, ...input.desiredExpertise])];
  const areas = await tx.expertiseArea.findMany({
    where: { id: { in: areaIds }, retiredAt: null },
    select: { id: true },
  });
  const known = new Set(areas.map((a) => a.id));
  if (input.requiredExpertise.some((id) => !known.has(id)))
    errors.requiredExpertise = ["Choose areas from the list"];
  if (input.desiredExpertise.some((id) => !known.has(id)))
    errors.desiredExpertise = ["Choose areas from the list"];
  const institutes = await tx.institute.findMany({
    where: { id: { in: input.eligibleInstitutes } },
    select: { id: true },
  });
  if (
    institutes.length !== new Set(input.eligibleInstitutes).size ||
    input.eligibleInstitutes.includes(hostInstituteId)
  )
    errors.eligibleInstitutes = ["Choose partner institutes from the list"];
  const contact = await tx.user.findFirst({
    where: {
      id: input.contactHrId,
      instituteId: hostInstituteId,
      roles: { has: "HR" },
      deactivatedAt: null,
    },
    select: { id: true },
  });
  if (!contact) errors.contactHrId = ["Choose an HR coordinator of your institute"];
  return errors;
}

function postingData(input: PostingInput, timeZone: string) {
  return {
    title: input.title,
    team: input.team,
    description: input.description,
    requiredExpertiseIds: [...new Set(input.requiredExpertise)],
    desiredExpertiseIds: [...new Set(input.desiredExpertise)].filter(
      (id) => !input.requiredExpertise.includes(id),
    ),
    minClearance: input.minClearance,
    workMode: input.workMode,
    location: input.location,
    durationMonths: input.durationMonths,
    earliestStart: new Date(`${input.earliestStart}T00:00:00Z`),
    latestStart: new Date(`${input.latestStart}T00:00:00Z`),
    places: input.places,
    deadline: zonedLocalToInstant(input.deadline, timeZone)!,
    eligibleInstituteIds: [...new Set(input.eligibleInstitutes)],
    contactHrId: input.contactHrId,
  };
}

async function hostZone(tx: Tx, instituteId: string) {
  const institute = await tx.institute.findUniqueOrThrow({
    where: { id: instituteId },
    select: { timeZone: true },
  });
  return institute.timeZone;
}

function deadlineError(input: PostingInput, timeZone: string, now: Date): FieldErrors {
  const deadline = zonedLocalToInstant(input.deadline, timeZone);
  if (!deadline) return { deadline: ["Enter the application deadline as a real date and time"] };
  if (deadline <= now) return { deadline: ["The deadline must be in the future"] };
  return {};
}

/** A new posting, as a draft, at the actor's own institute (host HR only). */
export async function createPosting(
  actor: Actor,
  input: PostingInput,
  now = clock.now(),
): Promise<ServiceResult<{ postingId: string }>> {
  assertHrOf(actor, actor.instituteId);
  return db.$transaction(async (tx) => {
    const zone = await hostZone(tx, actor.instituteId);
    const errors = {
      ...deadlineError(input, zone, now),
      ...(await checkReferences(tx, actor.instituteId, input)),
    };
    if (Object.keys(errors).length) return { ok: false, errors };
    const posting = await tx.posting.create({
      data: { ...postingData(input, zone), hostInstituteId: actor.instituteId },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor,
      action: "posting.create",
      targetType: "Posting",
      targetId: posting.id,
      details: { title: input.title },
    });
    return { ok: true, postingId: posting.id };
  });
}

/** Changes a posting's details, if nobody changed it since the form was loaded. */
export async function updatePosting(
  actor: Actor,
  postingId: string,
  input: PostingInput,
  now = clock.now(),
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const posting = await tx.posting.findUnique({
      where: { id: postingId },
      select: { hostInstituteId: true, status: true, version: true, deadline: true },
    });
    if (!posting || !isHrOf(actor, posting.hostInstituteId)) throw notFound();
    if (!isEditable(posting.status))
      return refused("A filled or cancelled posting can no longer be edited.");
    if (input.version !== posting.version) return stale(CHANGED);
    const zone = await hostZone(tx, posting.hostInstituteId);
    const errors = {
      ...(instantToZonedLocal(posting.deadline, zone) === input.deadline
        ? {}
        : deadlineError(input, zone, now)),
      ...(await checkReferences(tx, posting.hostInstituteId, input)),
    };
    if (Object.keys(errors).length) return { ok: false, errors };
    const updated = await tx.posting.updateMany({
      where: { id: postingId, version: posting.version },
      data: { ...postingData(input, zone), version: { increment: 1 } },
    });
    if (updated.count !== 1) return stale(CHANGED);
    await recordAudit(tx, {
      actor,
      action: "posting.update",
      targetType: "Posting",
      targetId: postingId,
      instituteId: posting.hostInstituteId,
    });
    return { ok: true };
  });
}

/** Publish, close, mark filled or cancel (host HR). */
export async function movePosting(
  actor: Actor,
  postingId: string,
  to: PostingStatus,
  version: number,
  now = clock.now(),
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const posting = await tx.posting.findUnique({
      where: { id: postingId },
      select: { hostInstituteId: true, status: true, version: true, deadline: true },
    });
    if (!posting || !isHrOf(actor, posting.hostInstituteId)) throw notFound();
    if (version !== posting.version) return stale(CHANGED);
    if (!canMovePosting(posting.status, to, "HOST_HR"))
      return refused("That action is not possible in this posting's state.");
    if (to === "OPEN" && posting.deadline <= now)
      return refused("The deadline has passed: set a later deadline before publishing.");
    const updated = await tx.posting.updateMany({
      where: { id: postingId, version },
      data: { status: to, version: { increment: 1 } },
    });
    if (updated.count !== 1) return stale(CHANGED);
    await recordAudit(tx, {
      actor,
      action: "posting.status",
      targetType: "Posting",
      targetId: postingId,
      instituteId: posting.hostInstituteId,
      details: { from: posting.status, to },
    });
    return { ok: true };
  });
}

/** Closes every open posting whose deadline has passed; returns how many. Run periodically. */
export async function closeExpiredPostings(now = clock.now()) {
  return db.$transaction(async (tx) => {
    const expired = await tx.posting.findMany({
      where: { status: "OPEN", deadline: { lte: now } },
      select: { id: true, hostInstituteId: true },
    });
    for (const p of expired) {
      const updated = await tx.posting.updateMany({
        where: { id: p.id, status: "OPEN" },
        data: { status: "CLOSED", version: { increment: 1 } },
      });
      if (updated.count === 1)
        await recordAudit(tx, {
          actor: null,
          actorEmail: "system",
          action: "posting.status",
          targetType: "Posting",
          targetId: p.id,
          instituteId: p.hostInstituteId,
          details: { from: "OPEN", to: "CLOSED", reason: "deadline" },
        });
    }
    return expired.length;
  });
}

let closer: ReturnType<typeof setInterval> | undefined;
/** Closes postings at their deadline, checking once a minute (lists and applying also check the clock). */
export function startPostingCloser(intervalMs = 60_000) {
  if (closer) return;
  const tick = () =>
    closeExpiredPostings().catch((error: unknown) =>
      console.error("Closing expired postings failed:", error),
    );
  void tick();
  closer = setInterval(tick, intervalMs);
  closer.unref();
}
export function stopPostingCloser() {
  if (closer) clearInterval(closer);
  closer = undefined;
}

// Reading ------------------------------------------------------------------------------------

export type PostingListItem = {
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
  expertise: string[];
};

export type PostingFacets = {
  areas: { id: string; name: string }[];
  institutes: { code: string; name: string }[];
};

/** The filter lists: expertise areas still offered (by name), and every institute (by code). */
export async function readPostingFacets(): Promise<PostingFacets> {
  const rows = await readPostingFacetRows();
  const facets: PostingFacets = { areas: [], institutes: [] };
  for (const r of rows)
    if (r.kind === "area") facets.areas.push({ id: r.key, name: r.name });
    else facets.institutes.push({ code: r.key, name: r.name });
  return facets;
}

export type OpenPostingsPage = {
  items: PostingListItem[];
  total: number;
  pageCount: number;
  /** The earliest deadline among all matching postings: the page is the same until then. */
  firstDeadline: Date | null;
};

/**
 * One page of the open postings `instituteId`'s staff see, with the number of matches and the
 * earliest deadline among them, in one statement (two for a page past the end). `areas` names the
 * listed expertise.
 */
export async function queryOpenPostings(
  instituteId: string,
  filter: PostingFilter,
  areas: PostingFacets["areas"],
  now = clock.now(),
): Promise<OpenPostingsPage> {
  const rows = await readOpenPostingsPage(instituteId, filter, now, POSTINGS_PAGE_SIZE);
  let total = rows[0]?.total ?? 0;
  let firstDeadline = rows[0]?.firstDeadline ?? null;
  if (!rows.length && filter.page > 1) {
    // A page past the end (an old link): the figures need a statement of their own.
    const counted = await readOpenPostingsTotals(instituteId, filter, now);
    total = counted?.total ?? 0;
    firstDeadline = counted?.firstDeadline ?? null;
  }
  const areaName = new Map(areas.map((a) => [a.id, a.name]));
  const items: PostingListItem[] = rows.map((r) => ({
    id: r.id,
    title: r.title,
    team: r.team,
    hostCode: r.hostCode,
    hostName: r.hostName,
    workMode: r.workMode,
    location: r.location,
    durationMonths: r.durationMonths,
    earliestStart: r.earliestStart,
    latestStart: r.latestStart,
    deadline: r.deadline,
    status: r.status,
    expertise: r.requiredExpertiseIds.map((id) => areaName.get(id)).filter((n): n is string => !!n),
  }));
  return {
    items,
    total,
    pageCount: Math.max(1, Math.ceil(total / POSTINGS_PAGE_SIZE)),
    firstDeadline,
  };
}

/**
 * Open postings the actor may apply to or see, with the list's filters; deadline not yet passed.
 * Uncached; the list page goes through list-cache.server.ts.
 */
export async function listOpenPostings(actor: Actor, filter: PostingFilter, now = clock.now()) {
  const facets = await readPostingFacets();
  const { items, total, pageCount } = await queryOpenPostings(
    actor.instituteId,
    filter,
    facets.areas,
    now,
  );
  return { items, total, pageCount, ...facets };
}

/** Every posting of the HR's institute, newest first, with application counts by stage. */
export async function listManagedPostings(actor: Actor) {
  assertHrOf(actor, actor.instituteId);
  const postings = await db.posting.findMany({
    where: { hostInstituteId: actor.instituteId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: {
      id: true,
      title: true,
      status: true,
      deadline: true,
      places: true,
    },
  });
  // Counted for the listed postings only, by (postingId, status): a relation `_count` in the
  // select would count every application of every posting.
  const counts = postings.length
    ? await db.application.groupBy({
        by: ["postingId"],
        where: { postingId: { in: postings.map((p) => p.id) }, status: { not: "DRAFT" } },
        _count: { _all: true },
      })
    : [];
  const applications = new Map(counts.map((c) => [c.postingId, c._count._all]));
  return postings.map((p) => ({ ...p, applications: applications.get(p.id) ?? 0 }));
}

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
