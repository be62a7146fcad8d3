import type { Prisma, PrismaClient } from "~/generated/prisma/client";
import type { ApplicationStatus, ClearanceLevel, WorkMode } from "~/generated/prisma/enums";
import { sha256Hex } from "~/lib/files.server";
import { zonedLocalToInstant } from "~/lib/time-zones";
import { instantiateChecklist } from "~/modules/checklists/templates.server";
import { pdfBytes } from "./postings";
import type { Taxonomy } from "./taxonomy";
import { clock } from "~/lib/clock";
import { dayAfter } from "../support/clock";

// Shared by the demo data (prisma/demo.ts) and the tests: postings with applications in every stage, written
// directly (no emails are queued for demo data), consistent with what the services would write.

type Person = { id: string; instituteId: string; lineManagerId: string | null };

export type DemoPostingSpec = {
  title: string;
  team: string;
  description: string;
  host: { id: string; timeZone: string };
  eligible: { id: string }[];
  contactHrId: string;
  required: string[];
  desired?: string[];
  minClearance: ClearanceLevel;
  workMode: WorkMode;
  location: string;
  durationMonths: number;
  places: number;
  /** Days from now to the deadline (17:00 host time); negative for a passed one. */
  deadlineInDays: number;
  status: "DRAFT" | "OPEN" | "CLOSED" | "FILLED" | "CANCELLED";
  applications?: { applicant: Person; status: ApplicationStatus }[];
};

/** The statuses an application passes through to reach `target`, in order. */
export function pathTo(target: ApplicationStatus): ApplicationStatus[] {
  const main: ApplicationStatus[] = [
    "SUBMITTED",
    "HOME_RELEASED",
    "UNDER_REVIEW",
    "SHORTLISTED",
    "INTERVIEW",
    "OFFERED",
  ];
  switch (target) {
    case "DRAFT":
      return [];
    case "HOME_DECLINED":
      return ["SUBMITTED", "HOME_DECLINED"];
    case "ACCEPTED":
    case "DECLINED":
      return [...main, target];
    case "REJECTED":
      return ["SUBMITTED", "HOME_RELEASED", "UNDER_REVIEW", "REJECTED"];
    case "WITHDRAWN":
      return ["SUBMITTED", "HOME_RELEASED", "WITHDRAWN"];
    default:
      return main.slice(0, main.indexOf(target) + 1);
  }
}

const COMMENTS: Partial<Record<ApplicationStatus, string>> = {
  HOME_RELEASED: "Happy to release: the team can cover the work for six months.",
  HOME_DECLINED: "Not this round: we are short-staffed until the summer.",
  REJECTED:
    "Thank you for applying. We chose candidates with more hands-on cyber range experience.",
  OFFERED: "Delighted to offer you a place.",
};

const dayOffset = (days: number) => dayAfter(days, clock.now());

/** Creates the posting and its applications unless a posting of that title exists at the host. */
export async function ensureDemoPosting(
  db: PrismaClient,
  spec: DemoPostingSpec,
  taxonomy: Taxonomy,
  reviewer: { id: string },
) {
  const existing = await db.posting.findFirst({
    where: { title: spec.title, hostInstituteId: spec.host.id },
    select: { id: true },
  });
  if (existing) return existing.id;
  const area = (name: string) => {
    const id = taxonomy.get(name);
    if (!id) throw new Error(`Unknown expertise area ${name}`);
    return id;
  };
  const deadline = zonedLocalToInstant(
    `${dayOffset(spec.deadlineInDays)}T17:00`,
    spec.host.timeZone,
  )!;
  const posting = await db.posting.create({
    data: {
      hostInstituteId: spec.host.id,
      title: spec.title,
      team: spec.team,
      description: spec.description,
      requiredExpertiseIds: spec.required.map(area),
      desiredExpertiseIds: (spec.desired ?? []).map(area),
      minClearance: spec.minClearance,
      workMode: spec.workMode,
      location: spec.location,
      durationMonths: spec.durationMonths,
      earliestStart: new Date(`${dayOffset(spec.deadlineInDays + 60)}T00:00:00Z`),
      latestStart: new Date(`${dayOffset(spec.deadlineInDays + 150)}T00:00:00Z`),
      places: spec.places,
      deadline,
      eligibleInstituteIds: spec.eligible.map((i) => i.id),
      contactHrId: spec.contactHrId,
      status: spec.status,
    },
    select: { id: true },
  });
  for (const { applicant, status } of spec.applications ?? []) {
    const cv = pdfBytes(`CV of applicant ${applicant.id}`);
    const file = await db.storedFile.create({
      data: {
        ownerId: applicant.id,
        filename: "CV.pdf",
        contentType: "application/pdf",
        size: cv.byteLength,
        sha256: sha256Hex(cv),
        data: Buffer.from(cv),
      },
    });
    const path = pathTo(status);
    const submitted = path.length > 0;
    const app = await db.application.create({
      data: {
        postingId: posting.id,
        applicantId: applicant.id,
        lineManagerId: submitted ? applicant.lineManagerId : null,
        status,
        version: path.length,
        statement:
          "I would bring hands-on experience of running evaluations at my institute, and I want to learn how the host team designs its test suites so that we can run joint exercises more smoothly.",
        availableFrom: new Date(`${dayOffset(spec.deadlineInDays + 60)}T00:00:00Z`),
        availableUntil: new Date(
          `${dayOffset(spec.deadlineInDays + 60 + spec.durationMonths * 30)}T00:00:00Z`,
        ),
        declaredClearance: "SECURITY_CHECK",
        cvFileId: file.id,
        submittedAt: submitted ? new Date(clock.ms() - 20 * 86_400_000) : null,
      },
      select: { id: true },
    });
    let from: ApplicationStatus = "DRAFT";
    let at = clock.ms() - 20 * 86_400_000;
    for (const to of path) {
      const actorId =
        to === "HOME_RELEASED" || to === "HOME_DECLINED"
          ? applicant.lineManagerId
          : ["SUBMITTED", "ACCEPTED", "DECLINED", "WITHDRAWN"].includes(to)
            ? applicant.id
            : spec.contactHrId;
      await db.applicationEvent.create({
        data: {
          applicationId: app.id,
          actorId,
          fromStatus: from,
          toStatus: to,
          comment: COMMENTS[to] ?? "",
          createdAt: new Date(at),
        },
      });
      from = to;
      at += 2 * 86_400_000;
    }
    if (path.includes("UNDER_REVIEW") && status !== "WITHDRAWN") {
      const scored = path.includes("SHORTLISTED");
      await db.reviewAssignment.create({
        data: {
          applicationId: app.id,
          reviewerId: reviewer.id,
          assignedById: spec.contactHrId,
          declaration: "NO_CONFLICT",
          declaredAt: clock.now(),
          scores: scored
            ? {
                expertise: { score: 4, comment: "Strong evaluations background" },
                fit: { score: 3, comment: "" },
                contribution: { score: 3, comment: "" },
                readiness: { score: 4, comment: "SC already held" },
              }
            : {},
          comment: scored ? "Recommend shortlisting." : "",
          submittedAt: scored ? clock.now() : null,
        },
      });
    }
    if (status === "ACCEPTED") {
      const placement = await db.placement.create({
        data: {
          applicationId: app.id,
          postingId: posting.id,
          secondeeId: applicant.id,
          homeInstituteId: applicant.instituteId,
          hostInstituteId: spec.host.id,
          startDate: new Date(`${dayOffset(spec.deadlineInDays + 60)}T00:00:00Z`),
        },
        select: { id: true, hostInstituteId: true, homeInstituteId: true },
      });
      await instantiateChecklist(db as unknown as Prisma.TransactionClient, placement);
    }
  }
  return posting.id;
}
