import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { ensureInstitute, ensureUser, UK_AISI, uniqueEmail, US_AISI } from "#test/factories";
import { pdfBytes, postingInput } from "#test/factories/postings";
import { dayAfter } from "#test/support/clock";
import { ensureProfile } from "#test/factories/profiles";
import { ensureTaxonomy } from "#test/factories/taxonomy";
import { db } from "~/lib/db.server";
import { newRequestScope, runInRequestScope } from "~/lib/request-scope.server";
import type { Actor } from "~/lib/permissions";
import { must, toActor } from "#test/factories/results";
import { saveApplication, startApplication } from "~/modules/applications/drafts.server";
import { addNote } from "~/modules/applications/notes.server";
import { transitionApplication } from "~/modules/applications/pipeline.server";
import { assignReviewer, declareConflict, saveReview } from "~/modules/applications/reviews.server";
import type { ApplicationStatus } from "~/modules/applications/workflow";
import { createPosting, movePosting } from "~/modules/postings/postings.server";
import { createPage, savePage } from "~/modules/workspaces/pages.server";
import { createTask } from "~/modules/workspaces/tasks.server";
import { answerInvitation, inviteMember } from "~/modules/workspaces/members.server";
import { createWorkspace } from "~/modules/workspaces/workspaces.server";
import { get, sessionCookieFor } from "#test/support/route-harness";
import { APPLICATION_FORM, BEFORE_DEADLINE, POSTED_AT } from "#test/support/pipeline-world";
import * as root from "~/root";
import * as adminAudit from "~/routes/admin/admin.audit";
import * as adminUsers from "~/routes/admin/admin.users._index";
import * as application from "~/routes/applications/applications.$applicationId._index";
import * as applications from "~/routes/applications/applications._index";
import * as dashboard from "~/routes/dashboard";
import * as directory from "~/routes/directory/directory._index";
import * as home from "~/routes/_index";
import * as notifications from "~/routes/notifications";
import * as placement from "~/routes/placements/placements.$placementId";
import * as placements from "~/routes/placements/placements._index";
import * as pipeline from "~/routes/postings/postings.$postingId.pipeline";
import * as postings from "~/routes/postings/postings._index";
import * as postingsManage from "~/routes/postings/postings.manage";
import * as tasks from "~/routes/tasks._index";
import * as workspaceLayout from "~/routes/workspaces/workspaces.$workspaceId";
import * as workspaceHome from "~/routes/workspaces/workspaces.$workspaceId._index";
import * as workspaceActivity from "~/routes/workspaces/workspaces.$workspaceId.activity";
import * as workspacePage from "~/routes/workspaces/workspaces.$workspaceId.pages.$pageId._index";
import * as pageHistory from "~/routes/workspaces/workspaces.$workspaceId.pages.$pageId.history";
import * as workspaceTasks from "~/routes/workspaces/workspaces.$workspaceId.tasks";
import * as workspaces from "~/routes/workspaces/workspaces._index";

// The world of the query-count and EXPLAIN tests: every main page has something to show, and
// grow(k) adds k more of every row a page lists or joins (people and profiles, postings,
// applications with their events, notes and reviews, placements and checklist items, workspace
// members, pages, page versions and tasks, notifications, audit events), so that the same page can
// be loaded at two sizes.

export type QueryWorld = Awaited<ReturnType<typeof createQueryWorld>>;

export async function createQueryWorld() {
  const us = await ensureInstitute(db, US_AISI);
  const uk = await ensureInstitute(db, UK_AISI);
  const taxonomy = await ensureTaxonomy(db);
  const areas = [...taxonomy.values()];

  const person = async (
    instituteId: string,
    name: string,
    extra: { roles?: ("HR" | "ADMIN")[]; lineManagerId?: string } = {},
  ) =>
    toActor(
      await ensureUser(db, {
        email: uniqueEmail(name.toLowerCase().replace(/\W+/g, ".")),
        displayName: name,
        jobTitle: "Research scientist",
        instituteId,
        mfaKey: extra.roles?.length ? true : undefined,
        ...extra,
      }),
    );

  const usHr = await person(us.id, "Hana Host", { roles: ["HR"] });
  const ukHr = await person(uk.id, "Harriet Home", { roles: ["HR"] });
  const admin = await person(us.id, "Ada Admin", { roles: ["ADMIN"] });
  const manager = await person(uk.id, "Mona Manager");
  const applicant = await person(uk.id, "Amir Applicant", { lineManagerId: manager.id });
  const reviewer = await person(us.id, "Rita Reviewer");
  const owner = await person(us.id, "Owen Owner");

  await ensureChecklistTemplate(db, {
    hostInstituteId: us.id,
    homeInstituteId: uk.id,
    name: "Incoming from the UK",
    items: US_HOST_CHECKLIST,
  });

  const openPosting = async (title: string) => {
    const { postingId } = must(
      await createPosting(
        usHr,
        postingInput({
          title,
          contactHrId: usHr.id,
          eligibleInstitutes: [uk.id],
          desiredExpertise: areas.slice(0, 2),
        }),
        POSTED_AT,
      ),
    );
    must(await movePosting(usHr, postingId, "OPEN", 0, POSTED_AT));
    return postingId;
  };

  const apply = async (who: Actor, postingId: string) => {
    const { applicationId } = must(await startApplication(who, postingId, BEFORE_DEADLINE));
    must(
      await saveApplication(
        who,
        applicationId,
        {
          statement: "I would bring our evaluation methods to the team.",
          availableFrom: APPLICATION_FORM.availableFrom,
          availableUntil: APPLICATION_FORM.availableUntil,
          declaredClearance: "SECURITY_CHECK",
          intent: "submit",
          version: 0,
        },
        { name: "cv.pdf", bytes: pdfBytes() },
        BEFORE_DEADLINE,
      ),
    );
    return applicationId;
  };

  /** Moves an application along, each step by the party who may make it. */
  const advance = async (id: string, steps: ApplicationStatus[], who: Actor = applicant) => {
    for (const to of steps) {
      const app = await db.application.findUniqueOrThrow({
        where: { id },
        select: { version: true },
      });
      const by = to === "HOME_RELEASED" ? manager : to === "ACCEPTED" ? who : usHr;
      must(await transitionApplication(by, id, { to, version: app.version, comment: "" }));
    }
  };

  const review = async (as: Actor, applicationId: string) => {
    must(await assignReviewer(usHr, applicationId, as.id));
    must(await declareConflict(as, applicationId, "NO_CONFLICT"));
    const scores = Object.fromEntries(
      ["expertise", "fit", "contribution", "readiness"].flatMap((k) => [
        [`score_${k}`, "3"],
        [`comment_${k}`, "Good."],
      ]),
    );
    must(
      await saveReview(as, applicationId, {
        ...scores,
        comment: "A strong candidate.",
        stage: "submit",
      } as Parameters<typeof saveReview>[2]),
    );
  };

  // The posting whose pipeline is read, and application A on it, under review.
  const postingId = await openPosting("Evaluations secondment");
  const applicationId = await apply(applicant, postingId);
  await advance(applicationId, ["HOME_RELEASED", "UNDER_REVIEW"]);
  await review(reviewer, applicationId);

  // Placement X: the applicant's accepted application to a second posting.
  const placementPostingId = await openPosting("Red-team secondment");
  const acceptedId = await apply(applicant, placementPostingId);
  await advance(acceptedId, [
    "HOME_RELEASED",
    "UNDER_REVIEW",
    "SHORTLISTED",
    "OFFERED",
    "ACCEPTED",
  ]);
  const { id: placementId } = await db.placement.findUniqueOrThrow({
    where: { applicationId: acceptedId },
    select: { id: true },
  });

  // Workspace W (joint), the applicant an editor; page G.
  const { workspaceId } = must(
    await createWorkspace(owner, {
      name: "Joint refusal study",
      purpose: "Joint evaluation of refusals",
      label: "JOINT",
      marking: "OFFICIAL",
      template: "GENERAL",
    }),
  );
  must(await inviteMember(owner, workspaceId, { email: applicant.email, role: "EDITOR" }));
  const invitation = await db.workspaceInvitation.findFirstOrThrow({
    where: { workspaceId, inviteeId: applicant.id, status: "PENDING" },
  });
  must(await answerInvitation(applicant, invitation.id, "accept"));
  const { pageId } = must(
    await createPage(owner, workspaceId, { title: "Refusal findings", body: "First draft." }),
  );

  await ensureProfile(db, applicant.id, {
    bio: "I evaluate refusals.",
    expertise: [...taxonomy.keys()].slice(0, 2),
    skills: ["probing"],
    openToSecondment: true,
    openToCollaboration: true,
  });

  const world = {
    us,
    uk,
    areas,
    people: { usHr, ukHr, admin, manager, applicant, reviewer, owner },
    postingId,
    applicationId,
    placementId,
    workspaceId,
    pageId,
    size: 0,
    cookies: {} as Record<Who, string>,
  };

  /** Adds k more of every related row. */
  async function grow(k: number) {
    for (let i = 0; i < k; i++) {
      const n = world.size + i;
      const expertise = [...taxonomy.keys()].slice(n % 5, (n % 5) + 2);
      // People with profiles: the directory, the admin's user list, reviewer candidates.
      const ukStaff = await person(uk.id, `Uma Staff ${n}`, { lineManagerId: manager.id });
      const usStaff = await person(us.id, `Ulf Staff ${n}`);
      for (const who of [ukStaff, usStaff])
        await ensureProfile(db, who.id, {
          bio: `Evaluations and refusals, study ${n}.`,
          expertise,
          skills: ["probing", `skill ${n}`],
          location: n % 2 ? "London" : "Washington, DC",
          openToSecondment: true,
          openToCollaboration: n % 2 === 0,
        });

      // A posting more; an application more on the pipeline's posting (under review, with a
      // review), and one accepted on the new posting: a placement more, with its checklist.
      const newPostingId = await openPosting(`Evaluations secondment ${n}`);
      const pipelineApp = await apply(ukStaff, postingId);
      await advance(pipelineApp, ["HOME_RELEASED", "UNDER_REVIEW"]);
      await review(reviewer, pipelineApp);
      const accepted = await apply(ukStaff, newPostingId);
      await advance(
        accepted,
        ["HOME_RELEASED", "UNDER_REVIEW", "SHORTLISTED", "OFFERED", "ACCEPTED"],
        ukStaff,
      );

      // Application A: another reviewer (with a review), notes on both sides, events.
      await review(usStaff, applicationId);
      must(await addNote(manager, applicationId, `Home note ${n}.`));
      must(await addNote(usHr, applicationId, `Host note ${n}.`));
      await db.applicationEvent.create({
        data: {
          applicationId,
          actorId: usHr.id,
          fromStatus: "UNDER_REVIEW",
          toStatus: "UNDER_REVIEW",
          comment: `Interview panel ${n} booked.`,
        },
      });

      // Placement X: checklist items more.
      await db.checklistItem.create({
        data: {
          placementId,
          position: 100 + n,
          title: `Extra check ${n}`,
          ownerSide: (["HOME", "HOST", "SECONDEE"] as const)[n % 3]!,
          dueOffsetDays: -30 + n,
          evidenceKind: n % 2 ? "DOCUMENT" : "ATTESTATION",
        },
      });

      // Workspace W: a member, a page, a version of page G, a task for the applicant.
      await db.workspaceMember.create({
        data: { workspaceId, userId: usStaff.id, role: "VIEWER" },
      });
      must(await createPage(owner, workspaceId, { title: `Notes ${n}`, body: `Run ${n}.` }));
      const { version } = await db.workspacePage.findUniqueOrThrow({
        where: { id: pageId },
        select: { version: true },
      });
      must(
        await savePage(owner, workspaceId, pageId, {
          title: "Refusal findings",
          body: `The model refused ${n + 10} of 40 prompts.`,
          baseVersion: version,
        }),
      );
      must(
        await createTask(owner, workspaceId, {
          title: `Review transcripts ${n}`,
          assigneeId: applicant.id,
          dueOn: dayAfter(14), // in two weeks
        }),
      );

      // Notifications of the applicant.
      await db.notification.createMany({
        data: [0, 1].map((j) => ({
          userId: applicant.id,
          kind: "application-update",
          title: `Update ${n}.${j}`,
          link: `/applications/${applicationId}`,
          readAt: j ? new Date() : null,
        })),
      });
    }
    world.size += k;
  }

  /**
   * A fresh session (real cookie) for everyone: a session seen within the last minute is not
   * touched, so no page's count includes the occasional session update.
   */
  async function signIn() {
    for (const who of WHO) {
      world.cookies[who] = await sessionCookieFor(world.people[who].id);
    }
  }
  await signIn();

  return Object.assign(world, { grow, signIn });
}

const WHO = ["usHr", "ukHr", "admin", "manager", "applicant", "reviewer", "owner"] as const;
export type Who = (typeof WHO)[number];

// --- the pages ----------------------------------------------------------------------------------

type Loader = (args: {
  request: Request;
  params: Record<string, string>;
  context: object;
}) => unknown;

export type PageSpec = {
  name: string;
  who: Who;
  path: (w: QueryWorld) => string;
  /** The route modules Remix runs for the URL: root, layouts, the page. */
  modules: { loader: unknown }[];
  params: (w: QueryWorld) => Record<string, string>;
};

const noParams = () => ({});

export const PAGES: PageSpec[] = [
  {
    name: "directory: search",
    who: "applicant",
    path: () => "/directory?q=evaluations",
    modules: [root, directory],
    params: noParams,
  },
  {
    name: "directory: facets",
    who: "applicant",
    path: (w) =>
      `/directory?institute=US-AISI&availability=secondment&expertise=${w.areas[0]}&location=London`,
    modules: [root, directory],
    params: noParams,
  },
  {
    name: "postings: filtered",
    who: "applicant",
    path: (w) => `/postings?q=secondment&institute=US-AISI&workMode=HYBRID&expertise=${w.areas[0]}`,
    modules: [root, postings],
    params: noParams,
  },
  {
    name: "postings: manage (HR)",
    who: "usHr",
    path: () => "/postings/manage",
    modules: [root, postingsManage],
    params: noParams,
  },
  {
    name: "posting pipeline (HR)",
    who: "usHr",
    path: (w) => `/postings/${w.postingId}/pipeline`,
    modules: [root, pipeline],
    params: (w) => ({ postingId: w.postingId }),
  },
  ...(["applicant", "usHr", "ukHr", "reviewer", "manager"] as const).map((who): PageSpec => ({
    name: `application (${who})`,
    who,
    path: (w) => `/applications/${w.applicationId}`,
    modules: [root, application],
    params: (w) => ({ applicationId: w.applicationId }),
  })),
  ...(["applicant", "usHr", "ukHr"] as const).map((who): PageSpec => ({
    name: `placement + checklist (${who})`,
    who,
    path: (w) => `/placements/${w.placementId}`,
    modules: [root, placement],
    params: (w) => ({ placementId: w.placementId }),
  })),
  {
    name: "workspace home",
    who: "applicant",
    path: (w) => `/workspaces/${w.workspaceId}`,
    modules: [root, workspaceLayout, workspaceHome],
    params: (w) => ({ workspaceId: w.workspaceId }),
  },
  {
    name: "workspace page",
    who: "applicant",
    path: (w) => `/workspaces/${w.workspaceId}/pages/${w.pageId}`,
    modules: [root, workspaceLayout, workspacePage],
    params: (w) => ({ workspaceId: w.workspaceId, pageId: w.pageId }),
  },
  {
    name: "workspace page history",
    who: "applicant",
    path: (w) => `/workspaces/${w.workspaceId}/pages/${w.pageId}/history?from=1&to=3`,
    modules: [root, workspaceLayout, pageHistory],
    params: (w) => ({ workspaceId: w.workspaceId, pageId: w.pageId }),
  },
  {
    name: "workspace tasks",
    who: "applicant",
    path: (w) => `/workspaces/${w.workspaceId}/tasks`,
    modules: [root, workspaceLayout, workspaceTasks],
    params: (w) => ({ workspaceId: w.workspaceId }),
  },
  {
    name: "workspace activity",
    who: "applicant",
    path: (w) => `/workspaces/${w.workspaceId}/activity`,
    modules: [root, workspaceLayout, workspaceActivity],
    params: (w) => ({ workspaceId: w.workspaceId }),
  },
  {
    name: "home (staff)",
    who: "applicant",
    path: () => "/",
    modules: [root, home],
    params: noParams,
  },
  {
    name: "HR dashboard (host)",
    who: "usHr",
    path: () => "/dashboard",
    modules: [root, dashboard],
    params: noParams,
  },
  {
    name: "HR dashboard (filtered)",
    who: "usHr",
    // A year either side of the test's now: every application of the world is in it.
    path: (w) => `/dashboard?postingId=${w.postingId}&from=${dayAfter(-365)}&to=${dayAfter(365)}`,
    modules: [root, dashboard],
    params: noParams,
  },
  {
    name: "HR dashboard (home)",
    who: "ukHr",
    path: () => "/dashboard",
    modules: [root, dashboard],
    params: noParams,
  },
  {
    name: "notifications",
    who: "applicant",
    path: () => "/notifications",
    modules: [root, notifications],
    params: noParams,
  },
  ...(["applicant", "manager", "ukHr", "reviewer"] as const).map((who): PageSpec => ({
    name: `applications list (${who})`,
    who,
    path: () => "/applications",
    modules: [root, applications],
    params: noParams,
  })),
  ...(["applicant", "usHr"] as const).map((who): PageSpec => ({
    name: `placements list (${who})`,
    who,
    path: () => (who === "usHr" ? "/placements?status=PLANNED" : "/placements"),
    modules: [root, placements],
    params: noParams,
  })),
  {
    name: "tasks",
    who: "applicant",
    path: () => "/tasks",
    modules: [root, tasks],
    params: noParams,
  },
  {
    name: "workspaces list",
    who: "applicant",
    path: () => "/workspaces",
    modules: [root, workspaces],
    params: noParams,
  },
  {
    name: "admin audit log",
    who: "admin",
    path: () => "/admin/audit",
    modules: [root, adminAudit],
    params: noParams,
  },
  {
    name: "admin audit log (filtered)",
    who: "admin",
    // A year either side of the test's now: every event of the world is in it.
    path: () =>
      `/admin/audit?action=application.transition&from=${dayAfter(-365)}&to=${dayAfter(365)}`,
    modules: [root, adminAudit],
    params: noParams,
  },
  {
    name: "admin users",
    who: "admin",
    path: () => "/admin/users",
    modules: [root, adminUsers],
    params: noParams,
  },
  {
    name: "admin users (filtered)",
    who: "admin",
    path: (w) => `/admin/users?q=staff&institute=${w.uk.id}&status=active`,
    modules: [root, adminUsers],
    params: noParams,
  },
];

/**
 * Loads the page as Remix does for one request: every matched loader, at once, with one Request
 * (so the session is looked up once). Fails on a thrown response: a page must load.
 */
/**
 * Runs a page's loaders as the server does: in one request scope (server/index.ts), each loader
 * with its own copy of the Request (Remix rebuilds it per loader), all at once.
 */
export async function loadPage(w: QueryWorld, page: PageSpec) {
  const request = get(page.path(w), w.cookies[page.who]);
  const params = page.params(w);
  return runInRequestScope(newRequestScope(), () => loadersOf(page, request, params));
}

function loadersOf(page: PageSpec, request: Request, params: ReturnType<PageSpec["params"]>) {
  return Promise.all(
    page.modules.map(async (m) => {
      try {
        const result = await (m.loader as Loader)({
          request: new Request(request.url, { method: request.method, headers: request.headers }),
          params,
          context: {},
        });
        if (result instanceof Response && result.status >= 300) throw result;
        return result;
      } catch (error) {
        if (error instanceof Response)
          throw new Error(`${page.name}: ${error.status} ${error.headers.get("Location") ?? ""}`);
        throw error;
      }
    }),
  );
}
