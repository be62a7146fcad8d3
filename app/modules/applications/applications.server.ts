import type { Prisma } from "~/generated/prisma/client";
import type { ApplicationStatus } from "~/generated/prisma/enums";
import { csvCell } from "~/lib/csv";
import { db } from "~/lib/db.server";
import { hasRole, isHrOf, type Actor } from "~/lib/permissions";
import { notFound } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { isPendingReviewer, loadApplication } from "./access.server";
import { noteSides } from "./notes.server";
import { readApplicationDetail } from "./queries.server";
import { meanScore, reviewsSeenBy } from "./reviews.server";
import { APPLICATION_STATUSES, movesFor } from "./workflow";

// Reading -------------------------------------------------------------------------------------

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
    const mean = meanScore(a.assignments);
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
        mean === null ? "" : mean.toFixed(2),
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
