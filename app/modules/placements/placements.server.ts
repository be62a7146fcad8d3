import type { Prisma } from "~/generated/prisma/client";
import type { PlacementStatus } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import type { FieldErrors } from "~/lib/forms";
import type { Actor } from "~/lib/permissions";
import { forbidden, refused, stale, type ServiceResult } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { activationBlockers } from "~/modules/checklists/logic";
import { syncPlacementAccess } from "~/modules/workspaces/placement-access.server";
import { eligibleSupervisors, loadPlacementFor, movers } from "./access.server";
import type { PlacementDetailsInput, PlacementSupervisorInput } from "./schema";
import { canMovePlacement, isPlacementEditable } from "./workflow";
import { calendarDate } from "~/lib/time-zones";

type Tx = Prisma.TransactionClient;

const CHANGED =
  "This changed since you opened it. The page now shows its current state; try again.";

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
    const oldEnd = calendarDate(placement.endDate);
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
