import type { Prisma } from "~/generated/prisma/client";
import type { PlacementStatus } from "~/generated/prisma/enums";
import { csvLine } from "~/lib/csv";
import { db } from "~/lib/db.server";
import type { FieldErrors } from "~/lib/forms";
import type { Actor } from "~/lib/permissions";
import { forbidden, notFound, refused, stale, type ServiceResult } from "~/lib/service";
import { recordAudit, recordAuditNow } from "~/modules/audit/audit.server";
import {
  activationBlockers,
  canMoveItem,
  dueDate,
  effectiveStatuses,
  isSettled,
  progress,
  todayIn,
  type OwnerSide,
} from "~/modules/checklists/logic";
import { calendar, type AllDayEvent } from "~/lib/icalendar";
import { syncPlacementAccess } from "~/modules/workspaces/workspaces.server";
import {
  assertHr,
  eligibleSupervisors,
  institutePlacements,
  itemActors,
  loadPlacementFor,
  movers,
  partiesOf,
} from "./access.server";
import { readPlacementPage } from "./queries.server";
import {
  SUPERVISOR_CHOICES,
  type PlacementDetailsInput,
  type PlacementSupervisorInput,
} from "./schema";
import { canMovePlacement, isPlacementEditable, placementMovesFor } from "./workflow";
import { clock } from "~/lib/clock";

type Tx = Prisma.TransactionClient;

const CHANGED =
  "This changed since you opened it. The page now shows its current state; try again.";

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/**
 * The placement page: details, the checklist with shown statuses and due dates, progress, gate.
 * One statement (readPlacementPage); the supervisor picker's candidates only when HR ask for it
 * (`supervisorSearch` set), at most SUPERVISOR_CHOICES.
 */
export async function getPlacement(
  actor: Actor,
  placementId: string,
  { now = clock.now(), supervisorSearch }: { now?: Date; supervisorSearch?: string | null } = {},
) {
  const loaded = await readPlacementPage(placementId);
  if (!loaded) throw notFound();
  const parties = partiesOf(actor, loaded);
  const { checklistItems: items, extensions, ...placement } = loaded;
  if (!parties.length) throw notFound();
  const shown = effectiveStatuses(items.map((i) => ({ ...i, dependsOn: i.dependsOnIds })));
  const start = day(placement.startDate);
  const today = todayIn(placement.posting.hostInstitute.timeZone, now);
  const byId = new Map(items.map((i) => [i.id, i]));
  const actors = itemActors(parties);
  const view = items.map(({ dependsOnIds, dueOffsetDays, ...i }) => {
    const status = shown.get(i.id)!;
    const due = start ? dueDate(start, dueOffsetDays) : null;
    return {
      ...i,
      shownStatus: status,
      due,
      overdue: due !== null && due < today && !isSettled(i.status),
      waitingFor: dependsOnIds
        .filter((d) => !isSettled(byId.get(d)?.status ?? "DONE"))
        .map((d) => byId.get(d)?.title ?? ""),
      moves: (["IN_PROGRESS", "DONE", "WAIVED", "TODO"] as const).filter((to) =>
        actors.some((a) => canMoveItem(status, to, i.ownerSide, a)),
      ),
    };
  });
  const isHr = parties.includes("HOME_HR") || parties.includes("HOST_HR");
  const picking = isHr && isPlacementEditable(placement.status) && supervisorSearch != null;
  const supervisorPicker = picking
    ? await supervisorCandidates(placement.hostInstituteId, supervisorSearch)
    : null;
  return {
    placement: { ...placement, homeInstituteName: placement.secondee.institute.name },
    parties,
    items: view,
    progress: progress(items),
    blockers: activationBlockers(items).map((i) => i.title),
    moves: placementMovesFor(placement.status, movers(parties)),
    extensions,
    isHr,
    supervisorPicker,
  };
}

/**
 * Who may supervise on the host side: active staff of the host institute. The picker's page of
 * them, by name (a search narrows it), one more than shown to tell that there are more.
 */
async function supervisorCandidates(hostInstituteId: string, search: string) {
  const query = search.trim().slice(0, 100);
  const found = await db.user.findMany({
    where: {
      ...eligibleSupervisors(hostInstituteId),
      ...(query ? { displayName: { contains: query, mode: "insensitive" as const } } : {}),
    },
    orderBy: [{ displayName: "asc" }, { id: "asc" }],
    select: { id: true, displayName: true, jobTitle: true },
    take: SUPERVISOR_CHOICES + 1,
  });
  return {
    query,
    candidates: found.slice(0, SUPERVISOR_CHOICES),
    more: found.length > SUPERVISOR_CHOICES,
  };
}

/** Placements the actor deals with: HR see their institute's (hosted or sent); anyone their own. */
export async function listPlacements(actor: Actor, status?: PlacementStatus) {
  const isHr = actor.roles.includes("HR");
  // The actor's reports first, so that every branch of the OR is an indexed column of Placement
  // (one index scan each, OR-ed as bitmaps): a condition on the secondee's line manager is a join,
  // which no index can serve inside an OR, and reads every placement.
  const reports = await db.user.findMany({
    where: { lineManagerId: actor.id },
    select: { id: true },
  });
  return db.placement.findMany({
    where: {
      AND: [
        {
          OR: [
            { secondeeId: { in: [actor.id, ...reports.map((r) => r.id)] } },
            { hostSupervisorId: actor.id },
            ...(isHr
              ? [{ hostInstituteId: actor.instituteId }, { homeInstituteId: actor.instituteId }]
              : []),
          ],
        },
        status ? { status } : {},
      ],
    },
    orderBy: [{ startDate: "asc" }, { id: "asc" }],
    select: {
      id: true,
      status: true,
      startDate: true,
      secondee: { select: { displayName: true } },
      posting: { select: { title: true, hostInstitute: { select: { code: true } } } },
    },
    take: 500,
  });
}

/** Moves the placement; ACTIVE only through the gate (every required item done or waived). */
export async function movePlacement(
  actor: Actor,
  placementId: string,
  to: PlacementStatus,
  version: number,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const { placement, parties } = await loadPlacementFor(tx, actor, placementId);
    const mover = movers(parties).find((m) => canMovePlacement(placement.status, to, m));
    if (!mover) {
      if (!movers(parties).length) throw forbidden();
      return refused("That is not possible in the placement's current state.");
    }
    if (version !== placement.version) return stale(CHANGED);
    if (to === "ACTIVE") {
      const items = await tx.checklistItem.findMany({
        where: { placementId },
        select: { title: true, required: true, status: true },
      });
      const blockers = activationBlockers(items);
      if (blockers.length)
        return refused(
          `It cannot start yet. Still to do or waive: ${blockers.map((b) => b.title).join("; ")}.`,
        );
      if (!placement.startDate) return refused("Set the start date before activating.");
    }
    const updated = await tx.placement.updateMany({
      where: { id: placementId, version },
      data: { status: to, version: { increment: 1 } },
    });
    if (updated.count !== 1) return stale(CHANGED);
    await recordAudit(tx, {
      actor,
      action: "placement.transition",
      targetType: "Placement",
      targetId: placementId,
      instituteId: placement.hostInstituteId,
      details: { from: placement.status, to },
    });
    await syncPlacementAccess(tx, actor, placementId, to);
    return { ok: true };
  });
}

/**
 * The placement, for a change only HR of either side may make: 403 for another party, a refusal
 * when the placement is over or the form was read from an older version.
 */
async function loadForHrChange(tx: Tx, actor: Actor, placementId: string, version: number) {
  const { placement, parties } = await loadPlacementFor(tx, actor, placementId);
  if (!parties.includes("HOME_HR") && !parties.includes("HOST_HR")) throw forbidden();
  const refusal = !isPlacementEditable(placement.status)
    ? refused("A completed or cancelled placement can no longer be changed.")
    : version !== placement.version
      ? stale(CHANGED)
      : null;
  return { placement, refusal };
}

/** HR change the placement's dates, supervisor and terms; a later end date is an extension. */
export async function updatePlacementDetails(
  actor: Actor,
  placementId: string,
  input: PlacementDetailsInput,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const { placement, refusal } = await loadForHrChange(tx, actor, placementId, input.version);
    if (refusal) return refusal;
    const errors: FieldErrors = {};
    if (!(await mayChooseSupervisor(tx, placement.hostInstituteId, input.hostSupervisorId)))
      errors.hostSupervisorId = [NOT_ELIGIBLE];
    const oldEnd = day(placement.endDate);
    const extending = placement.status === "ACTIVE" && oldEnd !== null && input.endDate !== oldEnd;
    if (extending && !input.extensionReason)
      errors.extensionReason = ["Give the reason for changing the end date"];
    if (input.startDate && input.endDate && input.endDate < input.startDate)
      errors.endDate = ["The end must be after the start"];
    if (Object.keys(errors).length) return { ok: false, errors };
    const updated = await tx.placement.updateMany({
      where: { id: placementId, version: input.version },
      data: {
        startDate: input.startDate ? new Date(`${input.startDate}T00:00:00Z`) : null,
        endDate: input.endDate ? new Date(`${input.endDate}T00:00:00Z`) : null,
        // Left as it is when the form does not carry it (the page changes it on its own form).
        ...(input.hostSupervisorId === undefined
          ? {}
          : { hostSupervisorId: input.hostSupervisorId || null }),
        arrangementType: input.arrangementType,
        costArrangement: input.costArrangement,
        version: { increment: 1 },
      },
    });
    if (updated.count !== 1) return stale(CHANGED);
    if (extending)
      await tx.placementExtension.create({
        data: {
          placementId,
          previousEnd: placement.endDate,
          newEnd: new Date(`${input.endDate}T00:00:00Z`),
          reason: input.extensionReason,
          createdById: actor.id,
        },
      });
    await recordAudit(tx, {
      actor,
      action: "placement.update",
      targetType: "Placement",
      targetId: placementId,
      instituteId: placement.hostInstituteId,
      details: { startDate: input.startDate, endDate: input.endDate, extended: extending },
    });
    return { ok: true };
  });
}

const NOT_ELIGIBLE = "Choose someone at the host institute";

/** No one (""), nothing asked (undefined), or active staff of the host institute. */
async function mayChooseSupervisor(tx: Tx, hostInstituteId: string, id: string | undefined) {
  if (!id) return true;
  const found = await tx.user.findFirst({
    where: { id, ...eligibleSupervisors(hostInstituteId) },
    select: { id: true },
  });
  return found !== null;
}

/** HR (of either side) name the host supervisor, or none; only active host staff qualify. */
export async function setHostSupervisor(
  actor: Actor,
  placementId: string,
  input: PlacementSupervisorInput,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const { placement, refusal } = await loadForHrChange(tx, actor, placementId, input.version);
    if (refusal) return refusal;
    if (!(await mayChooseSupervisor(tx, placement.hostInstituteId, input.hostSupervisorId)))
      return refused(NOT_ELIGIBLE, "hostSupervisorId");
    const updated = await tx.placement.updateMany({
      where: { id: placementId, version: input.version },
      data: { hostSupervisorId: input.hostSupervisorId || null, version: { increment: 1 } },
    });
    if (updated.count !== 1) return stale(CHANGED);
    await recordAudit(tx, {
      actor,
      action: "placement.supervisor",
      targetType: "Placement",
      targetId: placementId,
      instituteId: placement.hostInstituteId,
      details: { from: placement.hostSupervisorId, to: input.hostSupervisorId || null },
    });
    return { ok: true };
  });
}

/** The placement's dates and checklist due dates as an iCalendar file. */
export async function placementCalendar(actor: Actor, placementId: string, now = clock.now()) {
  const view = await getPlacement(actor, placementId, { now });
  const p = view.placement;
  const who = p.secondee.displayName;
  const events: AllDayEvent[] = [];
  const start = day(p.startDate);
  const end = day(p.endDate);
  if (start)
    events.push({
      uid: `${p.id}-start@exchange`,
      date: start,
      summary: `Secondment starts: ${who}`,
    });
  if (end)
    events.push({ uid: `${p.id}-end@exchange`, date: end, summary: `Secondment ends: ${who}` });
  for (const item of view.items) {
    if (!item.due || isSettled(item.status)) continue;
    events.push({
      uid: `${item.id}@exchange`,
      date: item.due,
      summary: `Due: ${item.title} (${who})`,
      description: `${OWNER_SIDE_LABELS_TEXT[item.ownerSide]}. ${item.guidance}`.trim(),
    });
  }
  return calendar(`Placement: ${who}`, events, now);
}

const OWNER_SIDE_LABELS_TEXT: Record<OwnerSide, string> = {
  HOME: "For the home institute",
  HOST: "For the host institute",
  SECONDEE: "For the secondee",
};

/** HR: every placement their institute hosts or sends, one row each, as CSV. Audited. */
export async function exportPlacementsCsv(actor: Actor) {
  assertHr(actor);
  const placements = await db.placement.findMany({
    where: institutePlacements(actor),
    orderBy: [{ startDate: { sort: "asc", nulls: "last" } }, { id: "asc" }],
    select: {
      id: true,
      status: true,
      startDate: true,
      endDate: true,
      arrangementType: true,
      costArrangement: true,
      homeInstituteId: true,
      hostInstituteId: true,
      secondee: {
        select: { displayName: true, email: true, institute: { select: { code: true } } },
      },
      hostSupervisor: { select: { displayName: true } },
      posting: { select: { title: true, hostInstitute: { select: { code: true } } } },
      checklistItems: { select: { status: true, required: true } },
    },
  });
  let csv = csvLine([
    "Placement",
    "Secondee",
    "Secondee email",
    "Home institute",
    "Host institute",
    "Posting",
    "Status",
    "Start",
    "Planned end",
    "Host supervisor",
    "Arrangement",
    "Costs",
    "Checklist items done or waived",
    "Checklist items",
  ]);
  for (const p of placements) {
    const settled = p.checklistItems.filter((i) => i.status === "DONE" || i.status === "WAIVED");
    csv += csvLine([
      p.id,
      p.secondee.displayName,
      p.secondee.email,
      p.secondee.institute.code,
      p.posting.hostInstitute.code,
      p.posting.title,
      p.status,
      day(p.startDate),
      day(p.endDate),
      p.hostSupervisor?.displayName ?? "",
      p.arrangementType,
      p.costArrangement,
      settled.length,
      p.checklistItems.length,
    ]);
  }
  await recordAuditNow({
    actor,
    action: "placements.export",
    details: { rows: placements.length },
  });
  return csv;
}
