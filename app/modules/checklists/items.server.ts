import type { Prisma } from "~/generated/prisma/client";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import type { FieldErrors } from "~/lib/forms";
import type { Actor } from "~/lib/permissions";
import { forbidden, notFound, refused, stale, type ServiceResult } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import {
  hrItemSides,
  hrOf,
  loadPlacementFor,
  requireItemStanding,
} from "~/modules/placements/access.server";
import { isPlacementEditable } from "~/modules/placements/workflow";
import { checkDependencies } from "./templates.server";
import { canMoveItem, effectiveStatuses, type OwnerSide } from "./logic";
import type { ChecklistItemInput, ItemMoveInput } from "./schema";

const CHANGED =
  "This changed since you opened it. The page now shows its current state; try again.";

/**
 * Moves one checklist item, by its owner side or HR who settle it (their own institute's side, or
 * the secondee's), with evidence or a reason as needed.
 */
export async function moveChecklistItem(
  actor: Actor,
  itemId: string,
  input: ItemMoveInput,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const item = await tx.checklistItem.findUnique({
      where: { id: itemId },
      select: {
        id: true,
        placementId: true,
        ownerSide: true,
        status: true,
        version: true,
        evidenceKind: true,
        title: true,
        evidenceFileId: true,
      },
    });
    if (!item) throw notFound();
    const { placement, parties } = await loadPlacementFor(tx, actor, item.placementId);
    if (!isPlacementEditable(placement.status))
      return refused("This placement is finished; its checklist is a record now.");
    const siblings = await tx.checklistItem.findMany({
      where: { placementId: item.placementId },
      select: { id: true, status: true, dependsOnIds: true },
    });
    const shown = effectiveStatuses(siblings.map((s) => ({ ...s, dependsOn: s.dependsOnIds }))).get(
      item.id,
    )!;
    const owner = item.ownerSide as OwnerSide;
    const actors = requireItemStanding(parties, owner);
    if (!actors.some((a) => canMoveItem(shown, input.to, owner, a))) {
      if (input.version !== item.version) return stale(CHANGED);
      if (input.to === "WAIVED" || input.to === "TODO")
        return refused("Only HR can waive an item or reopen one.");
      return refused(
        shown === "BLOCKED"
          ? "This item is waiting for others to be done first."
          : "That is not possible for this item now.",
      );
    }
    if (input.version !== item.version) return stale(CHANGED);

    const data: Prisma.ChecklistItemUpdateManyMutationInput = {
      status: input.to,
      version: { increment: 1 },
    };
    if (input.to === "DONE") {
      if (item.evidenceKind === "ATTESTATION") {
        const errors: FieldErrors = {};
        if (!input.verifiedBy) errors.verifiedBy = ["Enter who verified it"];
        if (!input.verifiedOn) errors.verifiedOn = ["Enter the date it was verified"];
        if (Object.keys(errors).length) return { ok: false, errors };
        Object.assign(data, {
          verifiedBy: input.verifiedBy,
          verifiedOn: new Date(`${input.verifiedOn}T00:00:00Z`),
          reference: input.reference,
          level: input.level,
          expiresOn: input.expiresOn ? new Date(`${input.expiresOn}T00:00:00Z`) : null,
        });
      } else if (!item.evidenceFileId) {
        return refused("Upload the document first", "evidence");
      }
      Object.assign(data, { completedById: actor.id, completedAt: clock.now(), waivedReason: "" });
    }
    if (input.to === "WAIVED") {
      if (!input.reason) return refused("Give the reason for the waiver", "reason");
      Object.assign(data, {
        waivedReason: input.reason,
        completedById: actor.id,
        completedAt: clock.now(),
      });
    }
    if (input.to === "TODO")
      Object.assign(data, { completedById: null, completedAt: null, waivedReason: "" });
    const updated = await tx.checklistItem.updateMany({
      where: { id: itemId, version: item.version },
      data,
    });
    if (updated.count !== 1) return stale(CHANGED);
    await recordAudit(tx, {
      actor,
      action: input.to === "WAIVED" ? "checklist.item.waive" : "checklist.item.status",
      targetType: "ChecklistItem",
      targetId: itemId,
      instituteId: placement.hostInstituteId,
      details: { placementId: placement.id, title: item.title, from: item.status, to: input.to },
    });
    return { ok: true };
  });
}

/** HR add an item to one placement's checklist, for their own institute's side or the secondee's. */
export async function addChecklistItem(
  actor: Actor,
  placementId: string,
  input: ChecklistItemInput,
): Promise<ServiceResult<{ itemId: string }>> {
  return db.$transaction(async (tx) => {
    const { placement, parties } = await loadPlacementFor(tx, actor, placementId);
    if (!hrOf(parties).length) throw forbidden();
    if (!hrItemSides(parties).includes(input.ownerSide))
      throw forbidden(
        `Add items for your own institute's side or the secondee's; the ${input.ownerSide === "HOME" ? "home" : "host"} institute adds its own.`,
      );
    if (!isPlacementEditable(placement.status))
      return refused("This placement is finished; its checklist is a record now.");
    const items = await tx.checklistItem.findMany({
      where: { placementId },
      select: { id: true, title: true, dependsOnIds: true, position: true },
    });
    const errors = checkDependencies(items, {
      id: `new-${placementId}`,
      title: input.title,
      dependsOn: input.dependsOn,
    });
    if (Object.keys(errors).length) return { ok: false, errors };
    const item = await tx.checklistItem.create({
      data: {
        placementId,
        position: Math.max(0, ...items.map((i) => i.position)) + 1,
        title: input.title,
        guidance: input.guidance,
        ownerSide: input.ownerSide,
        dueOffsetDays: input.dueOffsetDays,
        required: input.required,
        evidenceKind: input.evidenceKind,
        dependsOnIds: [...new Set(input.dependsOn)],
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor,
      action: "checklist.item.add",
      targetType: "Placement",
      targetId: placementId,
      instituteId: placement.hostInstituteId,
      details: { itemId: item.id, title: input.title },
    });
    return { ok: true, itemId: item.id };
  });
}

/**
 * HR remove an item from one placement's checklist (and from other items' dependencies): an item
 * of their own institute's side or the secondee's.
 */
export async function removeChecklistItem(actor: Actor, itemId: string): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const item = await tx.checklistItem.findUnique({
      where: { id: itemId },
      select: { placementId: true, title: true, ownerSide: true },
    });
    if (!item) throw notFound();
    const { placement, parties } = await loadPlacementFor(tx, actor, item.placementId);
    if (!requireItemStanding(parties, item.ownerSide).includes("HR")) throw forbidden();
    if (!isPlacementEditable(placement.status))
      return refused("This placement is finished; its checklist is a record now.");
    const dependants = await tx.checklistItem.findMany({
      where: { placementId: item.placementId, dependsOnIds: { has: itemId } },
      select: { id: true, dependsOnIds: true },
    });
    for (const d of dependants)
      await tx.checklistItem.update({
        where: { id: d.id },
        data: {
          dependsOnIds: d.dependsOnIds.filter((x) => x !== itemId),
          version: { increment: 1 },
        },
      });
    await tx.checklistItem.delete({ where: { id: itemId } });
    await recordAudit(tx, {
      actor,
      action: "checklist.item.remove",
      targetType: "Placement",
      targetId: item.placementId,
      instituteId: placement.hostInstituteId,
      details: { itemId, title: item.title },
    });
    return { ok: true };
  });
}
