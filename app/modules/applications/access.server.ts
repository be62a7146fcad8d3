import type { Prisma } from "~/generated/prisma/client";
import { isHrOf, type Actor } from "~/lib/permissions";
import { notFound } from "~/lib/service";
import type { Party } from "./workflow";

// Who may see and act on an application. Every service of the module loads the application through
// `loadApplication`, which answers 404 to anyone with no part in it, then checks the parties.

export type Tx = Prisma.TransactionClient;

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

/** An application as `loadApplication` reads it. */
export type LoadedApplication = Prisma.ApplicationGetPayload<{
  select: ReturnType<typeof accessSelect>;
}>;

export type Standing = {
  parties: Party[];
  /** The reviewer's assignment, if the actor is one (recused reviewers have none: no access). */
  review: {
    id: string;
    declaration: "PENDING" | "NO_CONFLICT" | "RECUSED";
    submittedAt: Date | null;
  } | null;
};

/** How the actor stands towards the application. A draft is its applicant's alone. */
function standing(actor: Actor, app: LoadedApplication): Standing {
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

/** The application with the actor's standing; a 404 if it does not exist or they have none. */
export async function loadApplication(tx: Tx, actor: Actor, applicationId: string) {
  const app = await tx.application.findUnique({
    where: { id: applicationId },
    select: accessSelect(actor.id),
  });
  if (!app) throw notFound();
  const s = standing(actor, app);
  if (!s.parties.length) throw notFound();
  return { app, ...s };
}

/**
 * A reviewer, and nothing else, who has not yet declared a conflict of interest: they may see who
 * applied to what, and nothing more (no record, notes or CV).
 */
export function isPendingReviewer({ parties, review }: Standing) {
  return review?.declaration === "PENDING" && parties.length === 1 && parties[0] === "REVIEWER";
}
