import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import type { FieldErrors } from "~/lib/forms";
import type { Actor } from "~/lib/permissions";
import { forbidden, refused, type ServiceResult } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { notify } from "~/modules/notifications/notifications.server";
import { loadApplication } from "./access.server";
import { applicationUrl } from "./links.server";
import { RUBRIC, type ReviewInput } from "./schema";
import { isFinal } from "./workflow";

// Reviews of an application: host HR assign reviewers, each reviewer declares a conflict of
// interest or recuses, then scores the rubric; and who sees which review.

/** A review assignment's `scores` column: per rubric criterion, the score and its comment. */
type StoredScores = Partial<Record<string, { score: number | null; comment: string }>>;

/** Host HR ask a colleague of the host institute to review. */
export async function assignReviewer(
  actor: Actor,
  applicationId: string,
  reviewerId: string,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const { app, parties } = await loadApplication(tx, actor, applicationId);
    if (!parties.includes("HOST_HR")) throw forbidden();
    if (!["UNDER_REVIEW", "SHORTLISTED", "INTERVIEW"].includes(app.status))
      return refused("Reviewers can be assigned once the review has started.");
    const reviewer = await tx.user.findFirst({
      where: {
        id: reviewerId,
        instituteId: app.posting.hostInstituteId,
        deactivatedAt: null,
        NOT: { id: app.applicantId },
      },
      select: { id: true, displayName: true, email: true },
    });
    if (!reviewer) return refused("Choose a colleague of the host institute", "reviewerId");
    const existing = await tx.reviewAssignment.findUnique({
      where: { applicationId_reviewerId: { applicationId, reviewerId } },
      select: { id: true },
    });
    if (existing) return refused("This person is already assigned", "reviewerId");
    await tx.reviewAssignment.create({
      data: { applicationId, reviewerId, assignedById: actor.id },
    });
    await recordAudit(tx, {
      actor,
      action: "application.reviewer.assign",
      targetType: "Application",
      targetId: applicationId,
      instituteId: app.posting.hostInstituteId,
      details: { reviewerId },
    });
    await notify(tx, reviewer.email, {
      template: "reviewer-assigned",
      props: {
        reviewerName: reviewer.displayName,
        applicantName: app.applicant.displayName,
        postingTitle: app.posting.title,
        url: applicationUrl(applicationId),
      },
    });
    return { ok: true };
  });
}

/** A reviewer declares no conflict of interest, or recuses (losing access and any draft score). */
export async function declareConflict(
  actor: Actor,
  applicationId: string,
  declaration: "NO_CONFLICT" | "RECUSED",
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const { app, review } = await loadApplication(tx, actor, applicationId);
    if (!review) throw forbidden();
    if (declaration === "NO_CONFLICT" && review.declaration !== "PENDING")
      return refused("You have already declared.");
    await tx.reviewAssignment.update({
      where: { id: review.id },
      data:
        declaration === "RECUSED"
          ? { declaration, declaredAt: clock.now(), scores: {}, comment: "", submittedAt: null }
          : { declaration, declaredAt: clock.now() },
    });
    await recordAudit(tx, {
      actor,
      action:
        declaration === "RECUSED"
          ? "application.reviewer.recuse"
          : "application.reviewer.no-conflict",
      targetType: "Application",
      targetId: applicationId,
      instituteId: app.posting.hostInstituteId,
    });
    return { ok: true };
  });
}

/** Saves a reviewer's rubric; "submit" requires every score and makes the others' visible to them. */
export async function saveReview(
  actor: Actor,
  applicationId: string,
  input: ReviewInput,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const { app, review } = await loadApplication(tx, actor, applicationId);
    if (!review) throw forbidden();
    if (review.declaration !== "NO_CONFLICT")
      return refused("Declare that you have no conflict of interest first.");
    if (review.submittedAt) return refused("Your review is already submitted.");
    if (isFinal(app.status)) return refused("This application is closed.");
    const scores: StoredScores = {};
    const errors: FieldErrors = {};
    for (const c of RUBRIC) {
      const raw = input[`score_${c.key}`];
      scores[c.key] = { score: raw ? Number(raw) : null, comment: input[`comment_${c.key}`] };
      if (input.stage === "submit" && !raw) errors[`score_${c.key}`] = ["Score from 1 to 4"];
    }
    if (Object.keys(errors).length) return { ok: false, errors };
    await tx.reviewAssignment.update({
      where: { id: review.id },
      data: {
        scores,
        comment: input.comment,
        ...(input.stage === "submit" ? { submittedAt: clock.now() } : {}),
      },
    });
    if (input.stage === "submit")
      await recordAudit(tx, {
        actor,
        action: "application.review.submit",
        targetType: "Application",
        targetId: applicationId,
        instituteId: app.posting.hostInstituteId,
      });
    return { ok: true };
  });
}

export type ReviewView = {
  reviewerName: string;
  declaration: string;
  submitted: boolean;
  scores: { key: string; label: string; score: number | null; comment: string }[];
  comment: string;
  mine: boolean;
};

type Assignment = {
  reviewer: { id: string; displayName: string };
  declaration: string;
  submittedAt: Date | null;
  scores: unknown;
  comment: string;
};

function reviewView(a: Assignment, actorId: string): ReviewView {
  const stored = (a.scores ?? {}) as StoredScores;
  return {
    reviewerName: a.reviewer.displayName,
    declaration: a.declaration,
    submitted: a.submittedAt !== null,
    scores: RUBRIC.map((c) => ({
      key: c.key,
      label: c.label,
      score: stored[c.key]?.score ?? null,
      comment: stored[c.key]?.comment ?? "",
    })),
    comment: a.comment,
    mine: a.reviewer.id === actorId,
  };
}

/** The mean of every score in the submitted reviews, or null when none is scored yet. */
export function meanScore(assignments: { submittedAt: Date | null; scores: unknown }[]) {
  const scores = assignments
    .filter((a) => a.submittedAt)
    .flatMap((a) => Object.values((a.scores ?? {}) as StoredScores).map((s) => s?.score))
    .filter((n): n is number => typeof n === "number");
  return scores.length ? scores.reduce((s, n) => s + n, 0) / scores.length : null;
}

/**
 * The reviews an actor sees, and the aggregate when they may see it. HR see every review and the
 * aggregate; a reviewer sees their own, and the others' only after submitting theirs. Recused
 * reviewers' rows carry nothing.
 */
export function reviewsSeenBy(
  assignments: Assignment[],
  actorId: string,
  { isHost, ownSubmitted }: { isHost: boolean; ownSubmitted: boolean },
) {
  const reviews = assignments
    .filter((a) => isHost || a.reviewer.id === actorId || (ownSubmitted && a.submittedAt))
    .map((a) => reviewView(a, actorId));
  const aggregate =
    isHost || ownSubmitted
      ? {
          reviews: assignments.filter((a) => a.submittedAt).length,
          assigned: assignments.filter((a) => a.declaration !== "RECUSED").length,
          mean: meanScore(assignments),
        }
      : null;
  return { reviews, aggregate };
}
