import type { Prisma } from "~/generated/prisma/client";
import type { ApplicationStatus } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";

// The applications page: the lists of applications the actor has a part in.

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
