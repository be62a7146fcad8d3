import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import { spendRateLimit } from "~/lib/rate-limits.server";
import { checkDocument, safeFilename, sha256Hex } from "~/lib/files.server";
import type { FieldErrors } from "~/lib/forms";
import type { Actor } from "~/lib/permissions";
import {
  forbidden,
  isUniqueViolation,
  notFound,
  refused,
  stale,
  type ServiceResult,
} from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { applyRefusal } from "~/modules/postings/access.server";
import { loadApplication } from "./access.server";
import { afterMove } from "./pipeline.server";
import type { ApplicationInput } from "./schema";
import { CHANGED, Rollback } from "./versioned-write.server";

// Applying: the applicant opens a draft for a posting, edits it (statement, dates, CV) and submits
// it, which is its first move of the pipeline.

/** Opens (or returns) the actor's draft for a posting. A replayed request finds the same one. */
export async function startApplication(
  actor: Actor,
  postingId: string,
  now = clock.now(),
): Promise<ServiceResult<{ applicationId: string }>> {
  const posting = await db.posting.findFirst({
    where: {
      id: postingId,
      OR: [
        { status: "OPEN", eligibleInstituteIds: { has: actor.instituteId } },
        { status: "OPEN", hostInstituteId: actor.instituteId },
        { applications: { some: { applicantId: actor.id } } },
      ],
    },
    select: {
      status: true,
      deadline: true,
      eligibleInstituteIds: true,
      hostInstituteId: true,
      applications: { where: { applicantId: actor.id }, select: { id: true } },
    },
  });
  if (!posting) throw notFound();
  const existing = posting.applications[0];
  if (existing) return { ok: true, applicationId: existing.id };
  const refusal = applyRefusal(posting, actor, now);
  if (refusal) return refused(refusal);
  try {
    const created = await db.$transaction(async (tx) => {
      const limited = await spendRateLimit("applicationDraftsPerPerson", actor.id, tx);
      if (limited) return limited;
      const app = await tx.application.create({
        data: { postingId, applicantId: actor.id },
        select: { id: true },
      });
      await recordAudit(tx, {
        actor,
        action: "application.start",
        targetType: "Application",
        targetId: app.id,
        details: { postingId },
      });
      return app.id;
    });
    if (typeof created !== "string") return created;
    return { ok: true, applicationId: created };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const again = await db.application.findUniqueOrThrow({
      where: { postingId_applicantId: { postingId, applicantId: actor.id } },
      select: { id: true },
    });
    return { ok: true, applicationId: again.id };
  }
}

/** The draft form's values (applicant only, draft only). */
export async function getApplicationForm(actor: Actor, applicationId: string) {
  const app = await db.application.findFirst({
    where: { id: applicationId, applicantId: actor.id },
    select: {
      id: true,
      status: true,
      version: true,
      statement: true,
      availableFrom: true,
      availableUntil: true,
      declaredClearance: true,
      cvFile: { select: { filename: true, size: true } },
      posting: {
        select: {
          id: true,
          title: true,
          deadline: true,
          hostInstitute: { select: { name: true, timeZone: true } },
        },
      },
    },
  });
  if (!app) throw notFound();
  return app;
}

export type CvUpload = { name: string; bytes: Uint8Array } | null;

/** Checks an uploaded CV by content and size; returns the error message or the document kind. */
export function checkCv(cv: { name: string; bytes: Uint8Array }) {
  return checkDocument(cv, "The CV");
}

/**
 * Saves the applicant's draft (and a new CV if one was chosen); with intent "submit" also submits
 * it, which asks their line manager to release them. All or nothing.
 */
export async function saveApplication(
  actor: Actor,
  applicationId: string,
  input: ApplicationInput,
  cv: CvUpload,
  now = clock.now(),
): Promise<ServiceResult<{ submitted: boolean }>> {
  let checked: ReturnType<typeof checkCv> | null = null;
  if (cv) {
    checked = checkCv(cv);
    if (checked.error !== undefined) return refused(checked.error, "cv");
  }
  return db
    .$transaction(async (tx) => {
      const { app, parties } = await loadApplication(tx, actor, applicationId);
      if (!parties.includes("APPLICANT")) throw forbidden();
      if (app.status !== "DRAFT")
        return refused("This application is already submitted and can no longer be edited.");
      if (input.version !== app.version) return stale(CHANGED);

      let cvFileId = app.cvFileId;
      if (cv && checked?.kind) {
        const limited = await spendRateLimit("uploadsPerPerson", actor.id, tx);
        if (limited) return limited;
        const file = await tx.storedFile.create({
          data: {
            ownerId: actor.id,
            filename: safeFilename(cv.name, checked.kind.extension),
            contentType: checked.kind.contentType,
            size: cv.bytes.byteLength,
            sha256: sha256Hex(cv.bytes),
            data: Buffer.from(cv.bytes),
          },
          select: { id: true },
        });
        cvFileId = file.id;
      }

      const submitting = input.intent === "submit";
      if (submitting) {
        const errors: FieldErrors = {};
        if (!input.statement) errors.statement = ["Enter your statement"];
        if (!input.availableFrom) errors.availableFrom = ["Enter the date you are available from"];
        if (!input.availableUntil)
          errors.availableUntil = ["Enter the date you are available until"];
        if (!cvFileId) errors.cv = ["Attach your CV (PDF or DOCX)"];
        const refusal = applyRefusal(app.posting, actor, now);
        if (refusal) errors[""] = [refusal];
        else if (!app.applicant.lineManagerId)
          errors[""] = [
            "You have no line manager on record, and they must release you. Ask your HR coordinator to add one, then submit.",
          ];
        if (Object.keys(errors).length) {
          // Nothing is kept, not even the new file: the form shows the errors with the typed values.
          throw new Rollback({ ok: false, errors });
        }
      }

      const updated = await tx.application.updateMany({
        where: { id: applicationId, version: app.version, status: "DRAFT" },
        data: {
          statement: input.statement,
          availableFrom: input.availableFrom ? new Date(`${input.availableFrom}T00:00:00Z`) : null,
          availableUntil: input.availableUntil
            ? new Date(`${input.availableUntil}T00:00:00Z`)
            : null,
          declaredClearance: input.declaredClearance,
          cvFileId,
          version: { increment: 1 },
          ...(submitting
            ? { status: "SUBMITTED", submittedAt: now, lineManagerId: app.applicant.lineManagerId }
            : {}),
        },
      });
      if (updated.count !== 1) throw new Rollback(stale(CHANGED));
      if (cvFileId !== app.cvFileId && app.cvFileId)
        await tx.storedFile.delete({ where: { id: app.cvFileId } });
      if (cvFileId !== app.cvFileId)
        await recordAudit(tx, {
          actor,
          action: "application.cv.upload",
          targetType: "Application",
          targetId: applicationId,
          details: { sha256: sha256Hex(cv!.bytes), size: cv!.bytes.byteLength },
        });
      if (submitting) await afterMove(tx, actor, app, "SUBMITTED", "");
      return { ok: true as const, submitted: submitting };
    })
    .catch((error: unknown) => {
      if (error instanceof Rollback) return error.result;
      throw error;
    });
}
