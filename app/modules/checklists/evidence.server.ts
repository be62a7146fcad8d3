import { db } from "~/lib/db.server";
import { spendRateLimit } from "~/lib/rate-limits.server";
import { checkDocument, safeFilename, sha256Hex } from "~/lib/files.server";
import type { Actor } from "~/lib/permissions";
import { notFound, refused, type ServiceResult } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { loadPlacementFor, requireItemStanding } from "~/modules/placements/access.server";
import { isPlacementEditable } from "~/modules/placements/workflow";
import { isSettled } from "./logic";

/** Uploads (or replaces) the document evidence of an item, by its owner side or HR who settle it. */
export async function uploadEvidence(
  actor: Actor,
  itemId: string,
  file: { name: string; bytes: Uint8Array },
): Promise<ServiceResult> {
  const checked = checkDocument(file);
  if (checked.error !== undefined) return refused(checked.error, "evidence");
  return db.$transaction(async (tx) => {
    const item = await tx.checklistItem.findUnique({
      where: { id: itemId },
      select: {
        placementId: true,
        ownerSide: true,
        evidenceKind: true,
        evidenceFileId: true,
        status: true,
        title: true,
      },
    });
    if (!item) throw notFound();
    const { placement, parties } = await loadPlacementFor(tx, actor, item.placementId);
    requireItemStanding(parties, item.ownerSide);
    if (!isPlacementEditable(placement.status))
      return refused("This placement is finished; its checklist is a record now.");
    if (item.evidenceKind !== "DOCUMENT")
      return refused("This item takes an attestation, not a document.", "evidence");
    if (isSettled(item.status)) return refused("This item is already done or waived.", "evidence");
    const limited = await spendRateLimit("uploadsPerPerson", actor.id, tx);
    if (limited) return limited;
    const stored = await tx.storedFile.create({
      data: {
        ownerId: actor.id,
        filename: safeFilename(file.name, checked.kind!.extension),
        contentType: checked.kind!.contentType,
        size: file.bytes.byteLength,
        sha256: sha256Hex(file.bytes),
        data: Buffer.from(file.bytes),
      },
      select: { id: true },
    });
    await tx.checklistItem.update({
      where: { id: itemId },
      data: { evidenceFileId: stored.id, version: { increment: 1 } },
    });
    if (item.evidenceFileId) await tx.storedFile.delete({ where: { id: item.evidenceFileId } });
    await recordAudit(tx, {
      actor,
      action: "checklist.item.evidence.upload",
      targetType: "ChecklistItem",
      targetId: itemId,
      instituteId: placement.hostInstituteId,
      details: { placementId: placement.id, title: item.title, sha256: sha256Hex(file.bytes) },
    });
    return { ok: true };
  });
}

/** An item's evidence document, for anyone with standing on the placement; audited. */
export async function downloadEvidence(actor: Actor, itemId: string, ipAddress = "") {
  return db.$transaction(async (tx) => {
    const item = await tx.checklistItem.findUnique({
      where: { id: itemId },
      select: { placementId: true, evidenceFileId: true },
    });
    if (!item?.evidenceFileId) throw notFound();
    const { placement } = await loadPlacementFor(tx, actor, item.placementId);
    const file = await tx.storedFile.findUniqueOrThrow({
      where: { id: item.evidenceFileId },
      select: { filename: true, contentType: true, size: true, data: true, sha256: true },
    });
    await recordAudit(tx, {
      actor,
      action: "checklist.item.evidence.download",
      targetType: "ChecklistItem",
      targetId: itemId,
      instituteId: placement.hostInstituteId,
      ipAddress,
      details: { sha256: file.sha256 },
    });
    return file;
  });
}
