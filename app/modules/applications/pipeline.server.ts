import type { ApplicationStatus } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import type { EmailMessage } from "~/lib/email/render.server";
import type { Actor } from "~/lib/permissions";
import { forbidden, refused, stale, type ServiceResult } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { instantiateChecklist } from "~/modules/checklists/templates.server";
import { notify } from "~/modules/notifications/notifications.server";
import { canMovePosting, takesOffers } from "~/modules/postings/workflow";
import { loadApplication, type LoadedApplication, type Tx } from "./access.server";
import { applicationUrl } from "./links.server";
import type { TransitionInput } from "./schema";
import { CHANGED, Rollback } from "./versioned-write.server";
import {
  canMove,
  isFinal,
  mayEverMoveTo,
  needsReason,
  toldOfMoveTo,
  type Recipient,
} from "./workflow";

// Moving an application through the pipeline (workflow.ts): the party's right to the move, the
// version the actor saw, and in the same transaction the timeline, audit event and emails.

/**
 * One move of the pipeline, by whoever may make it, at the version the actor saw. Two people acting
 * at once: exactly one succeeds; the other is told the application changed.
 */
export async function transitionApplication(
  actor: Actor,
  applicationId: string,
  input: TransitionInput,
): Promise<ServiceResult> {
  return db
    .$transaction(async (tx) => {
      const { app, parties } = await loadApplication(tx, actor, applicationId);
      const to = input.to as ApplicationStatus;
      const mover = parties.find((p) => canMove(app.status, to, p));
      if (!mover) {
        // Someone who may make this move, but not from this state, is told so; anyone else is forbidden.
        const couldEver = parties.some((p) => mayEverMoveTo(to, p));
        if (!couldEver) throw forbidden();
        if (input.version !== app.version) return stale(CHANGED);
        return refused(
          isFinal(app.status)
            ? "This application is closed: no further moves are possible."
            : "That move is not possible from the application's current stage.",
        );
      }
      if (input.version !== app.version) return stale(CHANGED);
      if (to === "SUBMITTED") return refused("Submit the application from its form.");
      if (needsReason(to) && !input.comment)
        return refused("Give a reason: the applicant will see it", "comment");
      if (to === "OFFERED" && !takesOffers(app.posting.status))
        return refused("The posting is no longer open for offers.");

      const updated = await tx.application.updateMany({
        where: { id: applicationId, version: app.version, status: app.status },
        data: { status: to, version: { increment: 1 } },
      });
      if (updated.count !== 1) throw new Rollback(stale(CHANGED));
      await afterMove(tx, actor, app, to, input.comment);
      return { ok: true as const };
    })
    .catch((error: unknown) => {
      if (error instanceof Rollback) return error.result;
      throw error;
    });
}

/**
 * The timeline entry, the audit event, the emails, and what an acceptance sets off, inside the
 * move's transaction. Submitting a draft (drafts.server.ts) is a move too and ends here.
 */
export async function afterMove(
  tx: Tx,
  actor: Actor,
  app: LoadedApplication,
  to: ApplicationStatus,
  comment: string,
) {
  await tx.applicationEvent.create({
    data: {
      applicationId: app.id,
      actorId: actor.id,
      fromStatus: app.status,
      toStatus: to,
      comment,
    },
  });
  await recordAudit(tx, {
    actor,
    action: "application.transition",
    targetType: "Application",
    targetId: app.id,
    instituteId: app.posting.hostInstituteId,
    details: { from: app.status, to, postingId: app.postingId },
  });

  const base = {
    applicantName: app.applicant.displayName,
    postingTitle: app.posting.title,
    hostInstitute: app.posting.hostInstitute.name,
    url: applicationUrl(app.id),
  };
  for (const recipient of toldOfMoveTo(to)) {
    const person = await recipientOf(tx, app, recipient, to);
    if (!person) continue;
    const recipientName = person.displayName;
    const message: EmailMessage =
      to === "SUBMITTED"
        ? {
            template: "application-submitted",
            props: {
              ...base,
              recipientName,
              audience: recipient === "APPLICANT" ? "applicant" : "lineManager",
            },
          }
        : {
            template: "application-update",
            props: { ...base, recipientName, status: to as never, comment },
          };
    await notify(tx, person.email, message);
  }

  if (to === "ACCEPTED") {
    const placement = await tx.placement.create({
      data: {
        applicationId: app.id,
        postingId: app.postingId,
        secondeeId: app.applicantId,
        homeInstituteId: app.applicant.instituteId,
        hostInstituteId: app.posting.hostInstituteId,
        startDate: app.availableFrom,
      },
      select: { id: true, hostInstituteId: true, homeInstituteId: true },
    });
    await instantiateChecklist(tx, placement);
    const accepted = await tx.application.count({
      where: { postingId: app.postingId, status: "ACCEPTED" },
    });
    if (accepted >= app.posting.places && canMovePosting(app.posting.status, "FILLED", "SYSTEM")) {
      await tx.posting.update({
        where: { id: app.postingId },
        data: { status: "FILLED", version: { increment: 1 } },
      });
      await recordAudit(tx, {
        actor,
        action: "posting.status",
        targetType: "Posting",
        targetId: app.postingId,
        instituteId: app.posting.hostInstituteId,
        details: { from: app.posting.status, to: "FILLED", reason: "places taken" },
      });
    }
  }
}

/** The person a recipient of the workflow's table is, for this application. */
async function recipientOf(
  tx: Tx,
  app: LoadedApplication,
  recipient: Recipient,
  to: ApplicationStatus,
) {
  switch (recipient) {
    case "APPLICANT":
      return app.applicant;
    case "HOST_HR":
      return app.posting.contactHr;
    case "LINE_MANAGER":
      // A draft has no line manager yet: submission asks the one on the applicant's record.
      if (to !== "SUBMITTED") return app.lineManager;
      return tx.user.findUnique({
        where: { id: app.applicant.lineManagerId! },
        select: { displayName: true, email: true },
      });
  }
}
