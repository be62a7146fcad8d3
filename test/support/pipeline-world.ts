import {
  ensureInstitute,
  ensureUser,
  UK_AISI,
  uniqueEmail,
  US_AISI,
  type InstituteSpec,
} from "#test/factories";
import { pdfBytes, postingInput } from "#test/factories/postings";
import { dayAfter, daysAfter, TEST_NOW } from "#test/support/clock";
import { toActor as actor } from "#test/factories/results";
import type { PostingInput } from "~/modules/postings/schema";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { saveApplication, startApplication } from "~/modules/applications/drafts.server";
import { transitionApplication } from "~/modules/applications/pipeline.server";
import type { ApplicationStatus } from "~/modules/applications/workflow";
import { createPosting, movePosting } from "~/modules/postings/postings.server";

// A US posting, UK applicants, and one person for every standing an application can have.

export const JP_AISI: InstituteSpec = {
  code: "JP-AISI",
  name: "Japan AI Safety Institute",
  country: "JP",
  timeZone: "Asia/Tokyo",
  locale: "ja-JP",
};

export type World = Awaited<ReturnType<typeof createPipelineWorld>>;

export async function createPipelineWorld() {
  const us = await ensureInstitute(db, US_AISI);
  const uk = await ensureInstitute(db, UK_AISI);
  const jp = await ensureInstitute(db, JP_AISI);
  const person = async (
    institute: { id: string },
    name: string,
    extra: { roles?: ("HR" | "ADMIN")[]; lineManagerId?: string } = {},
  ) =>
    actor(
      await ensureUser(db, {
        email: uniqueEmail(name.toLowerCase().replace(/\W+/g, ".")),
        displayName: name,
        instituteId: institute.id,
        // HR and admins must have MFA to use any page (see requireUser).
        mfaKey: extra.roles?.length ? true : undefined,
        ...extra,
      }),
    );
  const hostHr = await person(us, "Hana Host", { roles: ["HR"] });
  const hostHr2 = await person(us, "Hugo Host", { roles: ["HR"] });
  const reviewer = await person(us, "Rita Reviewer");
  const reviewer2 = await person(us, "Raj Reviewer");
  const usStaff = await person(us, "Ulysses Staff");
  const manager = await person(uk, "Mona Manager");
  const applicant = await person(uk, "Amir Applicant", { lineManagerId: manager.id });
  const homeHr = await person(uk, "Harriet Home", { roles: ["HR"] });
  const ukStaff = await person(uk, "Ursula Staff", { lineManagerId: manager.id });
  const jpStaff = await person(jp, "Jun Staff");
  const jpHr = await person(jp, "Junko Hr", { roles: ["HR"] });
  const admin = await person(us, "Ada Admin", { roles: ["ADMIN"] });
  return {
    us,
    uk,
    jp,
    hostHr,
    hostHr2,
    reviewer,
    reviewer2,
    usStaff,
    manager,
    applicant,
    homeHr,
    ukStaff,
    jpStaff,
    jpHr,
    admin,
  };
}

/** When the world's postings were written and published: a month before the test's now. */
export const POSTED_AT = daysAfter(-30);

/** An open US posting for UK staff, created and published through the service. */
export async function openPosting(w: World, overrides: Partial<PostingInput> = {}) {
  const created = await createPosting(
    w.hostHr,
    postingInput({ contactHrId: w.hostHr.id, eligibleInstitutes: [w.uk.id], ...overrides }),
    POSTED_AT,
  );
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  const moved = await movePosting(w.hostHr, created.postingId, "OPEN", 0, POSTED_AT);
  if (!moved.ok) throw new Error(JSON.stringify(moved.errors));
  return created.postingId;
}

/** The test's now, weeks before the default posting's deadline: applications are made then. */
export const BEFORE_DEADLINE = TEST_NOW;

const FORM = {
  statement: "I lead evaluations of model autonomy and would bring our methods to the team.",
  availableFrom: dayAfter(84),
  availableUntil: dayAfter(268),
  declaredClearance: "SECURITY_CHECK" as const,
};

/** A submitted application by `who` (default: the applicant), via the services. */
export async function submittedApplication(w: World, postingId: string, who: Actor = w.applicant) {
  const started = await startApplication(who, postingId, BEFORE_DEADLINE);
  if (!started.ok) throw new Error(JSON.stringify(started.errors));
  const saved = await saveApplication(
    who,
    started.applicationId,
    { ...FORM, intent: "submit", version: 0 },
    { name: "cv.pdf", bytes: pdfBytes() },
    BEFORE_DEADLINE,
  );
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  return started.applicationId;
}

export const APPLICATION_FORM = FORM;

/** Moves an application along the given path; each step by the party who may make it. */
export async function advance(w: World, id: string, path: ApplicationStatus[]) {
  for (const to of path) {
    const app = await db.application.findUniqueOrThrow({
      where: { id },
      select: { version: true },
    });
    const by =
      to === "HOME_RELEASED" || to === "HOME_DECLINED"
        ? w.manager
        : to === "ACCEPTED" || to === "DECLINED" || to === "WITHDRAWN"
          ? w.applicant
          : w.hostHr;
    const result = await transitionApplication(by, id, {
      to,
      version: app.version,
      comment: to === "REJECTED" ? "Another candidate fitted better." : "",
    });
    if (!result.ok) throw new Error(`${to}: ${JSON.stringify(result.errors)}`);
  }
}
