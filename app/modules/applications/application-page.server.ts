import type { ApplicationStatus } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { notFound } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { isPendingReviewer, loadApplication } from "./access.server";
import { noteSides } from "./notes.server";
import { readApplicationDetail } from "./queries.server";
import { reviewsSeenBy } from "./reviews.server";
import { movesFor } from "./workflow";

// The application page: what the actor's standing lets them see of one application, and the CV
// download linked from it.

/** How many colleagues a reviewer search lists at most. */
const REVIEWER_MATCHES = 30;

/** Stages in which host HR may assign reviewers (the page shows the picker only then). */
const ASSIGNING_STATUSES: readonly ApplicationStatus[] = [
  "UNDER_REVIEW",
  "SHORTLISTED",
  "INTERVIEW",
];

/**
 * The application page: the shared record, plus exactly what the actor's standing allows. Two
 * statements: the record with the actor's standing, then everything their standing lets them see
 * (timeline, their side's notes, reviews, CV: readApplicationDetail); a third only when host HR
 * search for a reviewer to assign. No transaction: each is one consistent statement, and nothing
 * is written.
 */
export async function getApplication(
  actor: Actor,
  applicationId: string,
  options: { reviewerQuery?: string } = {},
) {
  const standing = await loadApplication(db, actor, applicationId);
  const { app, parties, review } = standing;
  const pendingReviewer = isPendingReviewer(standing);
  const sides = pendingReviewer ? [] : noteSides(parties);
  const isHost = parties.includes("HOST_HR");
  const seesReviews = isHost || parties.includes("REVIEWER");
  const assigning = isHost && ASSIGNING_STATUSES.includes(app.status);
  const reviewerQuery = assigning ? (options.reviewerQuery ?? "").trim().slice(0, 100) : "";
  const detail = await readApplicationDetail(applicationId, sides, seesReviews);
  if (!detail) throw notFound();
  // The reviewer picker: active colleagues of the host institute whose name contains what host
  // HR searched for, not the applicant, not already assigned. Read only when HR search (an
  // institute has thousands of people: no list of them all).
  const matches = reviewerQuery
    ? await db.user.findMany({
        where: {
          instituteId: app.posting.hostInstituteId,
          deactivatedAt: null,
          id: { not: app.applicantId },
          // Prisma passes LIKE's wildcards through: a typed % or _ means itself.
          displayName: {
            contains: reviewerQuery.replace(/[\\%_]/g, "\\$&"),
            mode: "insensitive",
          },
          reviewAssignments: { none: { applicationId } },
        },
        orderBy: [{ displayName: "asc" }, { id: "asc" }],
        select: { id: true, displayName: true, jobTitle: true },
        // One more than shown, to tell HR that more match.
        take: REVIEWER_MATCHES + 1,
      })
    : [];
  const cv = pendingReviewer ? null : detail.cvFile;
  const ownSubmitted = review?.submittedAt != null;
  const { reviews, aggregate } = reviewsSeenBy(detail.assignments, actor.id, {
    isHost,
    ownSubmitted,
  });
  const reviewers = matches.slice(0, REVIEWER_MATCHES);

  return {
    application: {
      id: app.id,
      status: app.status,
      version: app.version,
      applicant: {
        displayName: app.applicant.displayName,
        institute: app.applicant.institute,
      },
      posting: {
        id: app.posting.id,
        title: app.posting.title,
        hostInstitute: app.posting.hostInstitute,
      },
      submittedAt: app.submittedAt,
      // A reviewer who has not yet declared a conflict sees who applied to what, nothing more.
      ...(pendingReviewer
        ? {
            statement: null,
            availableFrom: null,
            availableUntil: null,
            declaredClearance: null,
            lineManager: null,
          }
        : {
            statement: app.statement,
            availableFrom: app.availableFrom,
            availableUntil: app.availableUntil,
            declaredClearance: app.declaredClearance,
            lineManager: app.lineManager ? { displayName: app.lineManager.displayName } : null,
          }),
    },
    parties,
    moves: movesFor(app.status, parties).filter((to) => to !== "SUBMITTED"),
    timeline: detail.events,
    notes: detail.notes,
    canAddNote: sides.length > 0,
    cv,
    review: review ? { declaration: review.declaration, submitted: ownSubmitted } : null,
    reviews,
    aggregate,
    canAssign: assigning,
    reviewerQuery,
    reviewers,
    moreReviewers: matches.length > REVIEWER_MATCHES,
  };
}

/** What the application page shows, as getApplication returns it. */
export type ApplicationView = Awaited<ReturnType<typeof getApplication>>;

/** The CV for download by those allowed to see it; every download is audited. */
export async function downloadCv(actor: Actor, applicationId: string, ipAddress = "") {
  return db.$transaction(async (tx) => {
    const standing = await loadApplication(tx, actor, applicationId);
    const { app } = standing;
    if (isPendingReviewer(standing) || !app.cvFileId) throw notFound();
    const file = await tx.storedFile.findUniqueOrThrow({
      where: { id: app.cvFileId },
      select: { filename: true, contentType: true, size: true, data: true, sha256: true },
    });
    await recordAudit(tx, {
      actor,
      action: "application.cv.download",
      targetType: "Application",
      targetId: applicationId,
      instituteId: app.posting.hostInstituteId,
      ipAddress,
      details: { sha256: file.sha256 },
    });
    return file;
  });
}
