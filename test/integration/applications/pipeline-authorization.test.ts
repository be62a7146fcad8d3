import { beforeAll, expect, test } from "vitest";
import { pdfBytes, postingInput } from "#test/factories/postings";
import { localDateTimeAfter } from "#test/support/clock";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { createSession, sessionCookieName } from "~/lib/session.server";
import { assignReviewer, declareConflict } from "~/modules/applications/reviews.server";
import { createPosting } from "~/modules/postings/postings.server";
import * as applicationCv from "~/routes/applications/applications.$applicationId.cv";
import * as applicationEdit from "~/routes/applications/applications.$applicationId.edit";
import * as applicationPage from "~/routes/applications/applications.$applicationId._index";
import * as applicationsIndex from "~/routes/applications/applications._index";
import * as postingApply from "~/routes/postings/postings.$postingId.apply";
import * as postingEdit from "~/routes/postings/postings.$postingId.edit";
import * as postingExport from "~/routes/postings/postings.$postingId.export";
import * as postingPage from "~/routes/postings/postings.$postingId._index";
import * as postingPipeline from "~/routes/postings/postings.$postingId.pipeline";
import * as postingsIndex from "~/routes/postings/postings._index";
import * as postingsManage from "~/routes/postings/postings.manage";
import * as postingsNew from "~/routes/postings/postings.new";
import { call, get, PASSKEY_SIGN_IN, post, statusOf } from "#test/support/route-harness";
import {
  advance,
  createPipelineWorld,
  openPosting,
  POSTED_AT,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";

// Every route and action of postings and applications, called as the server calls them (loader or
// action with the request and a real session cookie), by every kind of person. What each may do
// is written out by hand below; everything not listed must be a 404 or 403 and change nothing.

type Role =
  | "applicant"
  | "sameInstituteStaff"
  | "lineManager"
  | "homeHr"
  | "hostHr"
  | "reviewer"
  | "recusedReviewer"
  | "hostStaff"
  | "ineligibleStaff"
  | "admin";
const ROLES: Role[] = [
  "applicant",
  "sameInstituteStaff",
  "lineManager",
  "homeHr",
  "hostHr",
  "reviewer",
  "recusedReviewer",
  "hostStaff",
  "ineligibleStaff",
  "admin",
];

/** ok: the page or change happens. refused: a clear message (400/409, or a redirect back with
 * one), nothing changes. denied (the default): 404 or 403, nothing changes. */
type Outcome = "ok" | "refused" | "denied";

let w: World;
let actors: Record<Role, Actor>;
const cookies = {} as Record<Role, string>;
let postingId: string;
let draftPostingId: string;
let applicationId: string;
let version: number;

beforeAll(async () => {
  w = await createPipelineWorld();
  actors = {
    applicant: w.applicant,
    sameInstituteStaff: w.ukStaff,
    lineManager: w.manager,
    homeHr: w.homeHr,
    hostHr: w.hostHr,
    reviewer: w.reviewer,
    recusedReviewer: w.reviewer2,
    hostStaff: w.usStaff,
    ineligibleStaff: w.jpStaff,
    admin: w.admin,
  };
  for (const role of ROLES) {
    const { token } = await createSession(actors[role].id, PASSKEY_SIGN_IN);
    cookies[role] = `${sessionCookieName()}=${token}`;
  }
  postingId = await openPosting(w, { title: "Matrix posting" });
  const draft = await createPosting(
    w.hostHr,
    postingInput({
      contactHrId: w.hostHr.id,
      eligibleInstitutes: [w.uk.id],
      title: "Matrix draft",
    }),
    POSTED_AT,
  );
  draftPostingId = (draft as { postingId: string }).postingId;
  applicationId = await submittedApplication(w, postingId);
  await advance(w, applicationId, ["HOME_RELEASED", "UNDER_REVIEW"]);
  await assignReviewer(w.hostHr, applicationId, w.reviewer.id);
  await assignReviewer(w.hostHr, applicationId, w.reviewer2.id);
  await declareConflict(w.reviewer, applicationId, "NO_CONFLICT");
  await declareConflict(w.reviewer2, applicationId, "RECUSED");
  version = (await db.application.findUniqueOrThrow({ where: { id: applicationId } })).version;
});

/** A deadline other than the default (eight weeks ahead): ten weeks ahead, in the host's zone. */
const LATER_DEADLINE = localDateTimeAfter(70, "17:00");

type Call = {
  name: string;
  /** Who may, and what they get; every other role is denied. */
  allowed: Partial<Record<Role, Outcome>>;
  run: (cookie: string) => unknown;
  /** For "ok" redirects: where success leads (a refusal redirects elsewhere). */
  okLocation?: RegExp;
};

const everyone = Object.fromEntries(ROLES.map((r) => [r, "ok"])) as Record<Role, Outcome>;
const partiesWhoSee: Partial<Record<Role, Outcome>> = {
  applicant: "ok",
  lineManager: "ok",
  homeHr: "ok",
  hostHr: "ok",
  reviewer: "ok",
};

function calls(): Call[] {
  const P = postingId;
  const A = applicationId;
  return [
    {
      name: "GET /postings",
      allowed: everyone,
      run: (c) => call(postingsIndex.loader, get("/postings", c)),
    },
    {
      name: "GET /postings/manage",
      allowed: { homeHr: "ok", hostHr: "ok" },
      run: (c) => call(postingsManage.loader, get("/postings/manage", c)),
    },
    {
      name: "GET /postings/new",
      allowed: { homeHr: "ok", hostHr: "ok" },
      run: (c) => call(postingsNew.loader, get("/postings/new", c)),
    },
    {
      name: "GET /postings/:open",
      allowed: { ...everyone, ineligibleStaff: "denied" },
      run: (c) => call(postingPage.loader, get(`/postings/${P}`, c), { postingId: P }),
    },
    {
      name: "GET /postings/:draft",
      allowed: { hostHr: "ok" },
      run: (c) =>
        call(postingPage.loader, get(`/postings/${draftPostingId}`, c), {
          postingId: draftPostingId,
        }),
    },
    {
      name: "GET /postings/:id/edit",
      allowed: { hostHr: "ok" },
      run: (c) => call(postingEdit.loader, get(`/postings/${P}/edit`, c), { postingId: P }),
    },
    {
      name: "GET /postings/:id/pipeline",
      allowed: { hostHr: "ok" },
      run: (c) => call(postingPipeline.loader, get(`/postings/${P}/pipeline`, c), { postingId: P }),
    },
    {
      name: "GET /postings/:id/export",
      allowed: { hostHr: "ok" },
      run: (c) => call(postingExport.loader, get(`/postings/${P}/export`, c), { postingId: P }),
    },
    {
      name: "GET /applications",
      allowed: everyone,
      run: (c) => call(applicationsIndex.loader, get("/applications", c)),
    },
    {
      name: "GET /applications/:id",
      allowed: partiesWhoSee,
      run: (c) => call(applicationPage.loader, get(`/applications/${A}`, c), { applicationId: A }),
    },
    {
      name: "GET /applications/:id/edit",
      // Submitted: the applicant is sent to the application's page.
      allowed: { applicant: "ok" },
      okLocation: new RegExp(`/applications/${A}$`),
      run: (c) =>
        call(applicationEdit.loader, get(`/applications/${A}/edit`, c), { applicationId: A }),
    },
    {
      name: "GET /applications/:id/cv",
      allowed: partiesWhoSee,
      run: (c) => call(applicationCv.loader, get(`/applications/${A}/cv`, c), { applicationId: A }),
    },
    {
      name: "POST /applications/:id/edit (save)",
      allowed: { applicant: "refused" }, // already submitted
      run: (c) =>
        call(
          applicationEdit.action,
          post(`/applications/${A}/edit`, c, {
            statement: "Tampered",
            availableFrom: "",
            availableUntil: "",
            declaredClearance: "NONE",
            intent: "save",
            version: String(version),
            cv: new File([pdfBytes()], "cv.pdf", { type: "application/pdf" }),
          }),
          { applicationId: A },
        ),
    },
    {
      name: "POST /applications/:id (move: shortlist)",
      allowed: { hostHr: "ok" },
      run: (c) =>
        call(
          applicationPage.action,
          post(`/applications/${A}`, c, {
            intent: "move",
            to: "SHORTLISTED",
            version: String(version),
            comment: "",
          }),
          { applicationId: A },
        ),
    },
    {
      name: "POST /applications/:id (move: withdraw, at a stale version)",
      // Only the applicant may withdraw; a stale (tampered) version is refused, nothing changes.
      allowed: { applicant: "refused" },
      run: (c) =>
        call(
          applicationPage.action,
          post(`/applications/${A}`, c, {
            intent: "move",
            to: "WITHDRAWN",
            version: String(c === cookies.applicant ? version - 1 : version),
            comment: "",
          }),
          { applicationId: A },
        ),
    },
    {
      name: "POST /applications/:id (note)",
      allowed: { lineManager: "ok", homeHr: "ok", hostHr: "ok", reviewer: "ok" },
      run: (c) =>
        call(
          applicationPage.action,
          post(`/applications/${A}`, c, { intent: "note", body: "A note" }),
          {
            applicationId: A,
          },
        ),
    },
    {
      name: "POST /applications/:id (assign reviewer)",
      allowed: { hostHr: "ok" },
      run: (c) =>
        call(
          applicationPage.action,
          post(`/applications/${A}`, c, { intent: "assign", reviewerId: w.usStaff.id }),
          { applicationId: A },
        ),
    },
    {
      name: "POST /applications/:id (declare no conflict)",
      allowed: { reviewer: "refused" }, // already declared
      run: (c) =>
        call(
          applicationPage.action,
          post(`/applications/${A}`, c, { intent: "declare", declaration: "NO_CONFLICT" }),
          { applicationId: A },
        ),
    },
    {
      name: "POST /applications/:id (review draft)",
      allowed: { reviewer: "ok" },
      run: (c) =>
        call(
          applicationPage.action,
          post(`/applications/${A}`, c, {
            intent: "review",
            score_expertise: "3",
            comment_expertise: "",
            score_fit: "",
            comment_fit: "",
            score_contribution: "",
            comment_contribution: "",
            score_readiness: "",
            comment_readiness: "",
            comment: "",
            stage: "save",
          }),
          { applicationId: A },
        ),
    },
    {
      name: "POST /postings/:id/apply",
      allowed: {
        applicant: "ok", // finds their existing application
        sameInstituteStaff: "ok",
        lineManager: "ok",
        homeHr: "ok",
        hostHr: "refused",
        reviewer: "refused",
        recusedReviewer: "refused",
        hostStaff: "refused",
        admin: "refused",
      },
      okLocation: /^\/applications\/[^/]+\/edit$/,
      run: (c) => call(postingApply.action, post(`/postings/${P}/apply`, c, {}), { postingId: P }),
    },
    {
      name: "POST /postings/:id/edit",
      allowed: { hostHr: "ok" },
      run: (c) => {
        const input = postingInput({ contactHrId: w.hostHr.id, eligibleInstitutes: [w.uk.id] });
        return call(
          postingEdit.action,
          post(`/postings/${P}/edit`, c, {
            ...Object.fromEntries(
              Object.entries(input).map(([k, v]) => [k, Array.isArray(v) ? v : String(v)]),
            ),
            title: "Matrix posting (edited)",
            deadline: LATER_DEADLINE,
            version: "1",
          }),
          { postingId: P },
        );
      },
    },
    {
      name: "POST /postings/new",
      allowed: { homeHr: "ok", hostHr: "ok" },
      okLocation: /^\/postings\/[^/]+$/,
      run: (c) => {
        const hr = c === cookies.homeHr ? w.homeHr : w.hostHr;
        const input = postingInput({
          contactHrId: hr.id,
          eligibleInstitutes: [c === cookies.homeHr ? w.us.id : w.uk.id],
          deadline: LATER_DEADLINE,
        });
        return call(
          postingsNew.action,
          post(
            "/postings/new",
            c,
            Object.fromEntries(
              Object.entries(input).map(([k, v]) => [k, Array.isArray(v) ? v : String(v)]),
            ),
          ),
        );
      },
    },
    {
      name: "POST /postings/:id (close)",
      allowed: { hostHr: "ok" },
      run: (c) =>
        call(postingPage.action, post(`/postings/${P}`, c, { to: "CLOSED", version: "2" }), {
          postingId: P,
        }),
    },
  ];
}

const outcomeOf = statusOf;

function classify(
  o: { status: number; location: string | null },
  okLocation?: RegExp,
): Outcome | string {
  if (o.status === 404 || o.status === 403) return "denied";
  if (o.status === 400 || o.status === 409) return "refused";
  if (o.status >= 300 && o.status < 400) {
    if (o.location?.startsWith("/login") || o.location?.startsWith("/account/mfa"))
      return `redirect ${o.location}`;
    if (okLocation && !okLocation.test(o.location ?? "")) return "refused";
    return "ok";
  }
  if (o.status >= 200 && o.status < 300) return "ok";
  return `status ${o.status}`;
}

/** Everything a wrongful call could change. */
async function snapshot() {
  const [apps, postings, events, notes, assignments, files, placements, outbox] = await Promise.all(
    [
      db.application.findMany({
        orderBy: { id: "asc" },
        select: { id: true, status: true, version: true, statement: true, cvFileId: true },
      }),
      db.posting.findMany({
        orderBy: { id: "asc" },
        select: { id: true, status: true, version: true, title: true },
      }),
      db.applicationEvent.count(),
      db.applicationNote.count(),
      db.reviewAssignment.findMany({
        orderBy: { id: "asc" },
        select: { id: true, declaration: true, scores: true, submittedAt: true },
      }),
      db.storedFile.count(),
      db.placement.count(),
      db.outboxEmail.count(),
    ],
  );
  return JSON.stringify({ apps, postings, events, notes, assignments, files, placements, outbox });
}

test("every route and action, for every role: exactly the allowed ones work; the rest change nothing", async () => {
  const mismatches: string[] = [];
  const list = calls();

  // First every call that must not succeed, against an unchanging fixture.
  const before = await snapshot();
  for (const c of list)
    for (const role of ROLES) {
      const expected = c.allowed[role] ?? "denied";
      if (expected === "ok") continue;
      const got = classify(
        await outcomeOf(() => Promise.resolve(c.run(cookies[role]))),
        c.okLocation,
      );
      if (got !== expected)
        mismatches.push(`${c.name} as ${role}: expected ${expected}, got ${got}`);
    }
  expect(mismatches).toEqual([]);
  expect(await snapshot()).toBe(before);

  // Then every allowed call, in the order listed (later ones may depend on earlier changes).
  for (const c of list)
    for (const role of ROLES) {
      if (c.allowed[role] !== "ok") continue;
      const got = classify(
        await outcomeOf(() => Promise.resolve(c.run(cookies[role]))),
        c.okLocation,
      );
      if (got !== "ok") mismatches.push(`${c.name} as ${role}: expected ok, got ${got}`);
    }
  expect(mismatches).toEqual([]);
  expect(await snapshot()).not.toBe(before);
});

test("two HR users deciding at once through the page: one succeeds, the other is told it changed", async () => {
  const id = await submittedApplication(w, await openPosting(w), w.ukStaff);
  await advance(w, id, ["HOME_RELEASED"]);
  const v = (await db.application.findUniqueOrThrow({ where: { id } })).version;
  const hr2 = await createSession(w.hostHr2.id, PASSKEY_SIGN_IN);
  const move = (cookie: string, to: string) =>
    outcomeOf(() =>
      Promise.resolve(
        call(
          applicationPage.action,
          post(`/applications/${id}`, cookie, {
            intent: "move",
            to,
            version: String(v),
            comment: "Reason",
          }),
          { applicationId: id },
        ),
      ),
    );
  const first = await move(cookies.hostHr, "UNDER_REVIEW");
  expect(first.status).toBe(302);
  const second = await call(
    applicationPage.action,
    post(`/applications/${id}`, `${sessionCookieName()}=${hr2.token}`, {
      intent: "move",
      to: "REJECTED",
      version: String(v),
      comment: "Reason",
    }),
    { applicationId: id },
  );
  const result = second as { init: { status: number }; data: { errors: Record<string, string[]> } };
  expect(result.init.status).toBe(409);
  expect(result.data.errors[""]![0]).toMatch(/^This application changed since you opened it/);
  // The page then shows the current state: under review, with one move on the timeline.
  const page = (await call(applicationPage.loader, get(`/applications/${id}`, cookies.hostHr), {
    applicationId: id,
  })) as { view: { application: { status: string }; timeline: unknown[] } };
  expect(page.view.application.status).toBe("UNDER_REVIEW");
});

test("a CV download is an attachment the browser may not sniff or cache", async () => {
  const id = await submittedApplication(w, await openPosting(w), w.ukStaff);
  const response = (await call(
    applicationCv.loader,
    get(`/applications/${id}/cv`, cookies.lineManager),
    {
      applicationId: id,
    },
  )) as Response;
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="cv\.pdf"/);
  expect(response.headers.get("Content-Type")).toBe("application/pdf");
  expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
  expect(response.headers.get("Cache-Control")).toBe("private, no-store");
  expect(
    Buffer.from(await response.arrayBuffer())
      .subarray(0, 5)
      .toString(),
  ).toBe("%PDF-");
});
