import type { Prisma } from "~/generated/prisma/client";
import type { PostingStatus } from "~/generated/prisma/enums";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import type { FieldErrors } from "~/lib/forms";
import { assertHrOf, isHrOf, type Actor } from "~/lib/permissions";
import { notFound, refused, stale, type ServiceResult } from "~/lib/service";
import { instantToZonedLocal, zonedLocalToInstant } from "~/lib/time-zones";
import { recordAudit } from "~/modules/audit/audit.server";
import type { PostingInput } from "./schema";
import { canMovePosting, isEditable } from "./workflow";

type Tx = Prisma.TransactionClient;

const CHANGED =
  "This posting changed since you opened it. The page now shows its current state; check it and try again.";

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

/** The posting as its host HR change it; 404 for anyone else. */
async function managedPosting(tx: Tx, actor: Actor, postingId: string) {
  const posting = await tx.posting.findUnique({
    where: { id: postingId },
    select: { hostInstituteId: true, status: true, version: true, deadline: true },
  });
  if (!posting || !isHrOf(actor, posting.hostInstituteId)) throw notFound();
  return posting;
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
    const posting = await managedPosting(tx, actor, postingId);
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
    const posting = await managedPosting(tx, actor, postingId);
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
