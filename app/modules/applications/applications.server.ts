import type { Prisma } from "~/generated/prisma/client";
import type { ApplicationStatus, NoteSide } from "~/generated/prisma/enums";
import { csvCell } from "~/lib/csv";
import { db } from "~/lib/db.server";
import type { EmailMessage } from "~/lib/email/render.server";
import { notify } from "~/modules/notifications/notifications.server";
import { getEnv } from "~/lib/env.server";
import { checkDocument, safeFilename, sha256Hex } from "~/lib/files.server";
import type { FieldErrors } from "~/lib/forms";
import { hasRole, isHrOf, type Actor } from "~/lib/permissions";
import {
  forbidden,
  isUniqueViolation,
  notFound,
  refused,
  stale,
  type Refusal,
  type ServiceResult,
} from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { instantiateChecklist } from "~/modules/checklists/checklists.server";
import { applyRefusal } from "~/modules/postings/postings.server";
import { canMovePosting, takesOffers } from "~/modules/postings/workflow";
import { RUBRIC, type ApplicationInput, type ReviewInput, type TransitionInput } from "./schema";
import {
  APPLICATION_STATUSES,
  canMove,
  isFinal,
  mayEverMoveTo,
  movesFor,
  needsReason,
  toldOfMoveTo,
  type Party,
  type Recipient,
} from "./workflow";
import { clock } from "~/lib/clock";
import { readApplicationDetail } from "./queries.server";

type Tx = Prisma.TransactionClient;

const CHANGED =
  "This application changed since you opened it (someone else acted on it). The page now shows its current state; check it and try again.";

const applicationUrl = (id: string) => new URL(`/applications/${id}`, getEnv().APP_URL).toString();

/** Everything the access rules look at, loaded in one query. */
const ACCESS_SELECT = {
  id: true,
  status: true,
  version: true,
  applicantId: true,
  lineManagerId: true,
  postingId: true,
  cvFileId: true,
  statement: true,
  availableFrom: true,
  availableUntil: true,
  declaredClearance: true,
  submittedAt: true,
  applicant: {
    select: {
      id: true,
      displayName: true,
      email: true,
      instituteId: true,
      lineManagerId: true,
      institute: { select: { code: true, name: true } },
    },
  },
  lineManager: { select: { id: true, displayName: true, email: true } },
  posting: {
    select: {
      id: true,
      title: true,
      status: true,
      deadline: true,
      places: true,
      eligibleInstituteIds: true,
      hostInstituteId: true,
      hostInstitute: { select: { code: true, name: true } },
      contactHr: { select: { displayName: true, email: true } },
    },
  },
} satisfies Prisma.ApplicationSelect;

/** The access fields plus the actor's own review assignment (at most one), in one statement. */
const accessSelect = (actorId: string) =>
  ({
    ...ACCESS_SELECT,
    assignments: {
      where: { reviewerId: actorId },
      select: { id: true, declaration: true, submittedAt: true },
    },
  }) satisfies Prisma.ApplicationSelect;

type Loaded = Prisma.ApplicationGetPayload<{ select: ReturnType<typeof accessSelect> }>;

type Standing = {
  parties: Party[];
  /** The reviewer's assignment, if the actor is one (recused reviewers have none: no access). */
  review: {
    id: string;
    declaration: "PENDING" | "NO_CONFLICT" | "RECUSED";
    submittedAt: Date | null;
  } | null;
};

/** How the actor stands towards the application. A draft is its applicant's alone. */
function standing(actor: Actor, app: Loaded): Standing {
  const parties: Party[] = [];
  if (app.applicantId === actor.id) parties.push("APPLICANT");
  const submitted = app.status !== "DRAFT";
  if (submitted && app.lineManagerId === actor.id) parties.push("LINE_MANAGER");
  if (submitted && isHrOf(actor, app.applicant.instituteId)) parties.push("HOME_HR");
  if (submitted && isHrOf(actor, app.posting.hostInstituteId)) parties.push("HOST_HR");
  let review: Standing["review"] = null;
  const a = submitted ? app.assignments[0] : undefined;
  if (a && a.declaration !== "RECUSED") {
    parties.push("REVIEWER");
    review = a;
  }
  return { parties, review };
}

async function load(tx: Tx, actor: Actor, applicationId: string) {
  const app = await tx.application.findUnique({
    where: { id: applicationId },
    select: accessSelect(actor.id),
  });
  if (!app) throw notFound();
  const s = standing(actor, app);
  if (!s.parties.length) throw notFound();
  return { app, ...s };
}

function noteSides(parties: Party[]): NoteSide[] {
  const sides: NoteSide[] = [];
  if (parties.includes("LINE_MANAGER") || parties.includes("HOME_HR")) sides.push("HOME");
  if (parties.includes("HOST_HR") || parties.includes("REVIEWER")) sides.push("HOST");
  return sides;
}

// Starting and editing ------------------------------------------------------------------------

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
      return app;
    });
    return { ok: true, applicationId: created.id };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const again = await db.application.findUniqueOrThrow({
      where: { postingId_applicantId: { postingId, applicantId: actor.id } },
      select: { id: true },
    });
    return { ok: true, applicationId: again.id };
  }
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
      const { app, parties } = await load(tx, actor, applicationId);
      if (!parties.includes("APPLICANT")) throw forbidden();
      if (app.status !== "DRAFT")
        return refused("This application is already submitted and can no longer be edited.");
      if (input.version !== app.version) return stale(CHANGED);

      let cvFileId = app.cvFileId;
      if (cv && checked?.kind) {
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

/** Thrown inside a transaction to undo it and answer with a result instead. */
class Rollback extends Error {
  constructor(readonly result: Refusal) {
    super("rolled back");
  }
}

// Moving through the pipeline -----------------------------------------------------------------

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
      const { app, parties } = await load(tx, actor, applicationId);
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

/** The timeline entry, the audit event, the emails, and what an acceptance sets off. */
async function afterMove(
  tx: Tx,
  actor: Actor,
  app: Loaded,
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
async function recipientOf(tx: Tx, app: Loaded, recipient: Recipient, to: ApplicationStatus) {
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

// Notes ---------------------------------------------------------------------------------------

/** An internal note on the actor's side (home or host); the other side and the applicant never see it. */
export async function addNote(actor: Actor, applicationId: string, body: string) {
  return db.$transaction(async (tx) => {
    const { app, parties, review } = await load(tx, actor, applicationId);
    if (review && review.declaration === "PENDING" && !parties.includes("HOST_HR"))
      throw forbidden();
    const side = noteSides(parties)[0];
    if (!side) throw forbidden();
    await tx.applicationNote.create({
      data: { applicationId: app.id, authorId: actor.id, side, body },
    });
    return { ok: true } as const;
  });
}

// Reviews -------------------------------------------------------------------------------------

/** Host HR ask a colleague of the host institute to review. */
export async function assignReviewer(
  actor: Actor,
  applicationId: string,
  reviewerId: string,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const { app, parties } = await load(tx, actor, applicationId);
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
    const { app, review } = await load(tx, actor, applicationId);
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

type StoredScores = Partial<Record<string, { score: number | null; comment: string }>>;

/** Saves a reviewer's rubric; "submit" requires every score and makes the others' visible to them. */
export async function saveReview(
  actor: Actor,
  applicationId: string,
  input: ReviewInput,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const { app, review } = await load(tx, actor, applicationId);
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

// Reading -------------------------------------------------------------------------------------

export type ReviewView = {
  reviewerName: string;
  declaration: string;
  submitted: boolean;
  scores: { key: string; label: string; score: number | null; comment: string }[];
  comment: string;
  mine: boolean;
};

function reviewView(
  a: {
    reviewer: { id: string; displayName: string };
    declaration: string;
    submittedAt: Date | null;
    scores: unknown;
    comment: string;
  },
  actorId: string,
): ReviewView {
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
  const { app, parties, review } = await load(db, actor, applicationId);
  const pendingReviewer =
    review?.declaration === "PENDING" && parties.length === 1 && parties[0] === "REVIEWER";
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
  const events = detail.events;
  const notes = detail.notes;
  const assignments = detail.assignments;
  const cv = pendingReviewer ? null : detail.cvFile;

  // HR see every review and the aggregate; a reviewer sees their own, and the others' only
  // after submitting theirs. Recused reviewers' rows carry nothing.
  const ownSubmitted = review?.submittedAt != null;
  const reviews = assignments
    .filter((a) => isHost || a.reviewer.id === actor.id || (ownSubmitted && a.submittedAt))
    .map((a) => reviewView(a, actor.id));
  const submittedScores = assignments
    .filter((a) => a.submittedAt)
    .flatMap((a) => Object.values((a.scores ?? {}) as StoredScores).map((s) => s?.score ?? null))
    .filter((n): n is number => typeof n === "number");
  const aggregate =
    isHost || ownSubmitted
      ? {
          reviews: assignments.filter((a) => a.submittedAt).length,
          assigned: assignments.filter((a) => a.declaration !== "RECUSED").length,
          mean: submittedScores.length
            ? submittedScores.reduce((s, n) => s + n, 0) / submittedScores.length
            : null,
        }
      : null;

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
    timeline: events,
    notes,
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

/** The CV for download by those allowed to see it; every download is audited. */
export async function downloadCv(actor: Actor, applicationId: string, ipAddress = "") {
  return db.$transaction(async (tx) => {
    const { app, parties, review } = await load(tx, actor, applicationId);
    const pendingReviewer =
      review?.declaration === "PENDING" && parties.length === 1 && parties[0] === "REVIEWER";
    if (pendingReviewer || !app.cvFileId) throw notFound();
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

export type ApplicationListItem = {
  id: string;
  status: ApplicationStatus;
  postingId: string;
  postingTitle: string;
  hostCode: string;
  applicantName: string;
  homeCode: string;
  submittedAt: Date | null;
  updatedAt: Date;
};

const LIST_SELECT = {
  id: true,
  status: true,
  submittedAt: true,
  updatedAt: true,
  posting: { select: { id: true, title: true, hostInstitute: { select: { code: true } } } },
  applicant: { select: { displayName: true, institute: { select: { code: true } } } },
} satisfies Prisma.ApplicationSelect;

function listItem(
  a: Prisma.ApplicationGetPayload<{ select: typeof LIST_SELECT }>,
): ApplicationListItem {
  return {
    id: a.id,
    status: a.status,
    postingId: a.posting.id,
    postingTitle: a.posting.title,
    hostCode: a.posting.hostInstitute.code,
    applicantName: a.applicant.displayName,
    homeCode: a.applicant.institute.code,
    submittedAt: a.submittedAt,
    updatedAt: a.updatedAt,
  };
}

/** The applications page: mine; releases I must decide; my staff's (home HR); my reviews. */
export async function listApplicationsFor(actor: Actor) {
  const isHr = actor.roles.includes("HR");
  const [mine, releases, staff, reviews] = await Promise.all([
    db.application.findMany({
      where: { applicantId: actor.id },
      orderBy: { updatedAt: "desc" },
      select: LIST_SELECT,
    }),
    db.application.findMany({
      where: { lineManagerId: actor.id, status: { not: "DRAFT" } },
      orderBy: [{ status: "asc" }, { submittedAt: "desc" }],
      select: LIST_SELECT,
    }),
    isHr
      ? db.application.findMany({
          where: { applicant: { instituteId: actor.instituteId }, status: { not: "DRAFT" } },
          orderBy: { updatedAt: "desc" },
          select: LIST_SELECT,
          take: 200,
        })
      : Promise.resolve([]),
    db.application.findMany({
      where: {
        status: { not: "DRAFT" },
        assignments: { some: { reviewerId: actor.id, declaration: { not: "RECUSED" } } },
      },
      orderBy: { updatedAt: "desc" },
      select: LIST_SELECT,
    }),
  ]);
  return {
    mine: mine.map(listItem),
    releases: releases.map(listItem),
    staff: staff.map(listItem),
    reviews: reviews.map(listItem),
  };
}

/** The pipeline's stages, in the order a submitted application moves through them. */
export const PIPELINE_STAGES = APPLICATION_STATUSES.filter((s) => s !== "DRAFT");
export const PIPELINE_PAGE_SIZE = 50;

export type PipelineQuery = { stage?: string | null; page?: string | null };

/**
 * Host HR's pipeline for one posting: how many submitted applications are at each stage, and one
 * page of one stage's applications (oldest submission first) with their review status. Bounded
 * work whatever the posting's size: one grouped count and one page of rows. A stage or page that
 * does not exist is replaced by the nearest one that does, with a notice saying so.
 */
export async function getPipeline(actor: Actor, postingId: string, query: PipelineQuery = {}) {
  if (!hasRole(actor, "HR")) throw notFound();
  // Counted first, scoped to the actor's institute, so that the posting and its page are one read.
  const groups = await db.application.groupBy({
    by: ["status"],
    where: {
      postingId,
      status: { not: "DRAFT" },
      posting: { hostInstituteId: actor.instituteId },
    },
    _count: { _all: true },
  });
  const counted = new Map(groups.map((g) => [g.status, g._count._all]));
  const stages = PIPELINE_STAGES.map((status) => ({ status, count: counted.get(status) ?? 0 }));
  const total = stages.reduce((n, s) => n + s.count, 0);

  const notices: string[] = [];
  const asked = query.stage ?? null;
  let stage = stages.find((s) => s.status === asked) ?? null;
  if (asked !== null && !stage) notices.push("There is no such stage; showing the first stage.");
  stage ??= stages.find((s) => s.count > 0) ?? stages[0]!;

  const pageCount = Math.max(1, Math.ceil(stage.count / PIPELINE_PAGE_SIZE));
  const rawPage = query.page ?? null;
  const wanted = rawPage === null ? 1 : Number(rawPage);
  let page = 1;
  if (rawPage !== null && (!Number.isSafeInteger(wanted) || wanted < 1))
    notices.push(`"${rawPage.slice(0, 20)}" is not a page number; showing page 1.`);
  else if (wanted > pageCount) {
    page = pageCount;
    notices.push(
      `There ${pageCount === 1 ? "is 1 page" : `are ${pageCount} pages`} at this stage; showing page ${pageCount}.`,
    );
  } else page = wanted;

  const found = await db.posting.findFirst({
    where: { id: postingId, hostInstituteId: actor.instituteId },
    select: {
      id: true,
      title: true,
      status: true,
      places: true,
      applications: {
        where: { status: stage.status },
        orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
        skip: (page - 1) * PIPELINE_PAGE_SIZE,
        take: PIPELINE_PAGE_SIZE,
        select: {
          id: true,
          submittedAt: true,
          applicant: { select: { displayName: true, institute: { select: { code: true } } } },
          assignments: { select: { submittedAt: true, declaration: true } },
        },
      },
    },
  });
  if (!found) throw notFound();
  const { applications: rows, ...posting } = found;
  const items = rows.map((a) => {
    const active = a.assignments.filter((x) => x.declaration !== "RECUSED");
    return {
      id: a.id,
      applicantName: a.applicant.displayName,
      homeCode: a.applicant.institute.code,
      submittedAt: a.submittedAt,
      reviews: `${active.filter((x) => x.submittedAt).length} of ${active.length}`,
    };
  });
  return {
    posting,
    total,
    stages,
    stage: stage.status,
    page,
    pageCount,
    pageSize: PIPELINE_PAGE_SIZE,
    items,
    notices,
  };
}

/** A posting's applications as CSV (host HR): the shared record and review aggregate, no notes. */
export async function exportApplicationsCsv(actor: Actor, postingId: string) {
  const posting = await db.posting.findUnique({
    where: { id: postingId },
    select: { title: true, hostInstituteId: true },
  });
  if (!posting || !isHrOf(actor, posting.hostInstituteId)) throw notFound();
  const apps = await db.application.findMany({
    where: { postingId, status: { not: "DRAFT" } },
    orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      status: true,
      submittedAt: true,
      availableFrom: true,
      availableUntil: true,
      declaredClearance: true,
      applicant: {
        select: {
          displayName: true,
          email: true,
          jobTitle: true,
          institute: { select: { code: true } },
        },
      },
      assignments: { select: { submittedAt: true, scores: true } },
    },
  });
  const header = [
    "Application",
    "Applicant",
    "Email",
    "Job title",
    "Home institute",
    "Status",
    "Submitted",
    "Available from",
    "Available until",
    "Declared clearance",
    "Reviews submitted",
    "Mean score",
  ];
  const lines = [header.map(csvCell).join(",")];
  for (const a of apps) {
    const scores = a.assignments
      .filter((x) => x.submittedAt)
      .flatMap((x) => Object.values((x.scores ?? {}) as StoredScores).map((s) => s?.score))
      .filter((n): n is number => typeof n === "number");
    lines.push(
      [
        a.id,
        a.applicant.displayName,
        a.applicant.email,
        a.applicant.jobTitle,
        a.applicant.institute.code,
        a.status,
        a.submittedAt,
        a.availableFrom?.toISOString().slice(0, 10),
        a.availableUntil?.toISOString().slice(0, 10),
        a.declaredClearance,
        a.assignments.filter((x) => x.submittedAt).length,
        scores.length ? (scores.reduce((s, n) => s + n, 0) / scores.length).toFixed(2) : "",
      ]
        .map(csvCell)
        .join(","),
    );
  }
  await db.$transaction((tx) =>
    recordAudit(tx, {
      actor,
      action: "posting.applications.export",
      targetType: "Posting",
      targetId: postingId,
      instituteId: posting.hostInstituteId,
      details: { rows: apps.length },
    }),
  );
  return { filename: `applications-${postingId}.csv`, csv: `${lines.join("\r\n")}\r\n` };
}
