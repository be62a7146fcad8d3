import { beforeAll, describe, expect, test } from "vitest";
import type { ApplicationStatus } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import { ensureUser, uniqueEmail } from "#test/factories";
import { daysAfter } from "#test/support/clock";
import { getApplication } from "~/modules/applications/application-page.server";
import {
  getPipeline,
  PIPELINE_PAGE_SIZE,
  PIPELINE_STAGES,
} from "~/modules/applications/posting-pipeline.server";
import { assignReviewer, declareConflict } from "~/modules/applications/reviews.server";
import * as pipelineRoute from "~/routes/postings/postings.$postingId.pipeline";
import { call, get, sessionCookieFor } from "#test/support/route-harness";
import {
  advance,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";

// The posting pipeline does bounded work whatever the posting's size: a count per stage and one
// page of one stage. Here a posting with more applications at one stage than fit on a page. Also
// the application page's reviewer picker, read in the same statement as the rest of the page.

let w: World;
let postingId: string;
/** Under review, in submission order (oldest first), as the pipeline must list them. */
let underReview: string[];
let reviewedId: string;

const UNDER_REVIEW = PIPELINE_PAGE_SIZE + 7;
const SPREAD: [ApplicationStatus, number][] = [
  ["DRAFT", 3],
  ["SUBMITTED", 2],
  ["UNDER_REVIEW", UNDER_REVIEW],
  ["OFFERED", 1],
  ["REJECTED", 4],
];

beforeAll(async () => {
  w = await createPipelineWorld();
  postingId = await openPosting(w, { title: "A busy posting" });
  // Applicants and applications written directly: the services' own paths are covered elsewhere,
  // and this test is about reading many rows.
  const total = SPREAD.reduce((n, [, k]) => n + k, 0);
  const stamp = Date.now();
  await db.user.createMany({
    data: Array.from({ length: total }, (_, i) => ({
      email: `pipeline.${stamp}.${i}@uk-aisi.example`,
      displayName: `Applicant ${String(i).padStart(3, "0")}`,
      instituteId: w.uk.id,
      roles: ["STAFF" as const],
    })),
  });
  const applicants = await db.user.findMany({
    where: { email: { startsWith: `pipeline.${stamp}.` } },
    orderBy: { email: "asc" },
    select: { id: true },
  });
  // Submitted in the minutes up to ten days ago, while the posting (opened a month ago) was open.
  const base = daysAfter(-10).getTime();
  let i = 0;
  const rows: {
    postingId: string;
    applicantId: string;
    status: ApplicationStatus;
    submittedAt: Date | null;
  }[] = [];
  for (const [status, n] of SPREAD)
    for (let k = 0; k < n; k++, i++)
      rows.push({
        postingId,
        applicantId: applicants[i]!.id,
        status,
        // Submission order deliberately unlike creation order: later rows submitted earlier.
        submittedAt: status === "DRAFT" ? null : new Date(base - i * 60_000),
      });
  await db.application.createMany({ data: rows });
  underReview = (
    await db.application.findMany({
      where: { postingId, status: "UNDER_REVIEW" },
      orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
      select: { id: true },
    })
  ).map((a) => a.id);

  // One application that went through the real flow, with two reviewers of whom one recused.
  reviewedId = await submittedApplication(w, postingId);
  await advance(w, reviewedId, ["HOME_RELEASED", "UNDER_REVIEW", "SHORTLISTED"]);
  await assignReviewer(w.hostHr, reviewedId, w.reviewer.id);
  await assignReviewer(w.hostHr, reviewedId, w.reviewer2.id);
  await declareConflict(w.reviewer2, reviewedId, "RECUSED");
});

const countOf = (p: Awaited<ReturnType<typeof getPipeline>>, status: ApplicationStatus) =>
  p.stages.find((s) => s.status === status)?.count;

describe("counts and the default view", () => {
  test("every stage is counted, drafts are not, and the first stage with applications is shown", async () => {
    const p = await getPipeline(w.hostHr, postingId);
    expect(p.stages.map((s) => s.status)).toEqual(PIPELINE_STAGES);
    expect(countOf(p, "SUBMITTED")).toBe(2);
    expect(countOf(p, "UNDER_REVIEW")).toBe(UNDER_REVIEW);
    expect(countOf(p, "SHORTLISTED")).toBe(1);
    expect(countOf(p, "OFFERED")).toBe(1);
    expect(countOf(p, "REJECTED")).toBe(4);
    expect(countOf(p, "INTERVIEW")).toBe(0);
    expect(p.stages.some((s) => (s.status as string) === "DRAFT")).toBe(false);
    expect(p.total).toBe(2 + UNDER_REVIEW + 1 + 1 + 4);
    expect(p.stage).toBe("SUBMITTED");
    expect(p.items).toHaveLength(2);
    expect(p.notices).toEqual([]);
  });

  test("another HR of the host institute sees the same", async () => {
    const p = await getPipeline(w.hostHr2, postingId, { stage: "REJECTED" });
    expect(p.items).toHaveLength(4);
  });

  test("review status counts submitted reviews of those not recused", async () => {
    const p = await getPipeline(w.hostHr, postingId, { stage: "SHORTLISTED" });
    expect(p.items).toEqual([
      expect.objectContaining({
        id: reviewedId,
        applicantName: "Amir Applicant",
        reviews: "0 of 1",
      }),
    ]);
  });
});

describe("one stage, a page at a time", () => {
  test("pages split the stage in submission order, none twice, none left out", async () => {
    const one = await getPipeline(w.hostHr, postingId, { stage: "UNDER_REVIEW" });
    const two = await getPipeline(w.hostHr, postingId, { stage: "UNDER_REVIEW", page: "2" });
    expect(one.pageCount).toBe(2);
    expect(one.page).toBe(1);
    expect(one.items).toHaveLength(PIPELINE_PAGE_SIZE);
    expect(two.page).toBe(2);
    expect(two.items).toHaveLength(UNDER_REVIEW - PIPELINE_PAGE_SIZE);
    expect([...one.items, ...two.items].map((a) => a.id)).toEqual(underReview);
    expect(one.items[0]).toMatchObject({ homeCode: "UK-AISI", reviews: "0 of 0" });
  });

  test.each([
    ["abc", 1, /"abc" is not a page number/],
    ["0", 1, /"0" is not a page number/],
    ["-3", 1, /not a page number/],
    ["1.5", 1, /not a page number/],
    ["", 1, /not a page number/],
    ["99999", 2, /There are 2 pages at this stage; showing page 2/],
    ["1e400", 1, /not a page number/],
  ])("page %j is replaced by page %i, with a notice", async (raw, page, notice) => {
    const p = await getPipeline(w.hostHr, postingId, { stage: "UNDER_REVIEW", page: raw });
    expect(p.page).toBe(page);
    expect(p.items.length).toBeGreaterThan(0);
    expect(p.notices.join(" ")).toMatch(notice);
  });

  test("a stage that does not exist (or drafts) falls back to the first stage, with a notice", async () => {
    for (const stage of ["NOPE", "DRAFT", "under_review"]) {
      const p = await getPipeline(w.hostHr, postingId, { stage, page: "2" });
      expect(p.stage).toBe("SUBMITTED");
      expect(p.page).toBe(1);
      expect(p.notices.join(" ")).toMatch(/no such stage/);
    }
  });

  test("an empty stage shows no rows and one page", async () => {
    const p = await getPipeline(w.hostHr, postingId, { stage: "INTERVIEW", page: "3" });
    expect(p).toMatchObject({ stage: "INTERVIEW", page: 1, pageCount: 1, items: [] });
  });
});

describe("who may see it", () => {
  test.each(["usStaff", "reviewer", "homeHr", "jpHr", "admin", "applicant"] as const)(
    "%s: not found",
    async (who) => {
      await expect(getPipeline(w[who], postingId)).rejects.toSatisfy(
        (r: unknown) => r instanceof Response && r.status === 404,
      );
    },
  );

  test("an unknown posting: not found", async () => {
    await expect(getPipeline(w.hostHr, "no-such-posting")).rejects.toSatisfy(
      (r: unknown) => r instanceof Response && r.status === 404,
    );
  });
});

describe("the route", () => {
  const load = async (who: keyof World, search: string) =>
    call(
      pipelineRoute.loader,
      get(
        `/postings/${postingId}/pipeline${search}`,
        await sessionCookieFor((w[who] as { id: string }).id),
      ),
      { postingId },
    );

  test("reads stage and page from the query string, and survives bad ones", async () => {
    const data = (await load("hostHr", "?stage=UNDER_REVIEW&page=2")) as Awaited<
      ReturnType<typeof getPipeline>
    >;
    expect(data).toMatchObject({ stage: "UNDER_REVIEW", page: 2 });
    const bad = (await load("hostHr", "?stage=%00&page=%20abc")) as Awaited<
      ReturnType<typeof getPipeline>
    >;
    expect(bad).toMatchObject({ stage: "SUBMITTED", page: 1 });
    expect(bad.notices).toHaveLength(2);
  });

  test("HR of another institute: 404", async () => {
    await expect(load("jpHr", "")).rejects.toSatisfy(
      (r: unknown) => r instanceof Response && r.status === 404,
    );
  });
});

describe("application page: the reviewer picker", () => {
  test("host HR search active colleagues of the host not yet assigned, only while reviewers can be assigned", async () => {
    const gone = await ensureUser(db, {
      email: uniqueEmail("gone.colleague"),
      displayName: "Gone Colleague",
      instituteId: w.us.id,
      deactivated: true,
    });
    const id = await submittedApplication(w, postingId, w.ukStaff);
    await advance(w, id, ["HOME_RELEASED", "UNDER_REVIEW"]);
    await assignReviewer(w.hostHr, id, w.reviewer.id);
    await assignReviewer(w.hostHr, id, w.reviewer2.id);
    await declareConflict(w.reviewer2, id, "RECUSED");

    // Nobody is listed until host HR search: an institute has thousands of people.
    const hr = await getApplication(w.hostHr, id);
    expect(hr.canAssign).toBe(true);
    expect(hr.reviewers).toEqual([]);
    const names = async (q: string) =>
      (await getApplication(w.hostHr, id, { reviewerQuery: q })).reviewers.map(
        (r) => r.displayName,
      );
    expect(await names("   ")).toEqual([]);
    expect(await names("host")).toEqual(["Hana Host", "Hugo Host"]);
    // Assigned (even if recused), deactivated, or of another institute: not offered.
    expect(await names("E")).toEqual(["Ulysses Staff"]);
    expect(await names("Reviewer")).toEqual([]);
    expect(await names("Colleague")).toEqual([]);
    expect(await names("Ursula")).toEqual([]);
    expect(await names("%")).toEqual([]);
    expect(gone.id).toBeTruthy();

    expect(hr.reviews.map((r) => r.reviewerName)).toEqual(["Rita Reviewer", "Raj Reviewer"]);
    expect(hr.aggregate).toEqual({ reviews: 0, assigned: 1, mean: null });
    expect(hr.timeline.map((e) => e.toStatus)).toEqual([
      "SUBMITTED",
      "HOME_RELEASED",
      "UNDER_REVIEW",
    ]);
    expect(hr.cv).toMatchObject({ filename: expect.stringMatching(/\.pdf$/) });

    // Nobody else gets the picker, whatever they search for.
    for (const who of [w.homeHr, w.manager, w.ukStaff, w.reviewer] as const) {
      const view = await getApplication(who, id, { reviewerQuery: "host" });
      expect(view.canAssign).toBe(false);
      expect(view.reviewers).toEqual([]);
    }

    // Past the interview stage nobody can be assigned, so the picker is not read.
    await advance(w, id, ["SHORTLISTED", "INTERVIEW", "OFFERED"]);
    const offered = await getApplication(w.hostHr, id, { reviewerQuery: "host" });
    expect(offered.canAssign).toBe(false);
    expect(offered.reviewers).toEqual([]);
  });

  test("those without standing still get 404", async () => {
    for (const who of [w.usStaff, w.jpHr, w.admin, w.reviewer2])
      await expect(getApplication(who, reviewedId)).rejects.toSatisfy(
        (r: unknown) => r instanceof Response && r.status === 404,
      );
  });
});
