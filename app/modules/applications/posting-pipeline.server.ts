import { csvCell } from "~/lib/csv";
import { db } from "~/lib/db.server";
import { requireRateLimit } from "~/lib/rate-limits.server";
import { hasRole, isHrOf, type Actor } from "~/lib/permissions";
import { notFound } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { meanScore } from "./reviews.server";
import { APPLICATION_STATUSES } from "./workflow";

// Host HR's view of one posting's applications: the pipeline page, stage by stage, and the CSV
// export. Moving an application along the pipeline is pipeline.server.ts.

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
  await requireRateLimit("exportsPerPerson", actor.id);
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
