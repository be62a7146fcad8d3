import { beforeAll, describe, expect, test } from "vitest";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { ensureUser, uniqueEmail } from "#test/factories";
import { db } from "~/lib/db.server";
import { createSession, sessionCookieName } from "~/lib/session.server";
import { getDashboard } from "~/modules/dashboards/dashboard.server";
import * as dashboardRoute from "~/routes/dashboard";
import {
  advance,
  BEFORE_DEADLINE,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "./pipeline-world";
import { call, get, statusOf } from "./route-harness";

// A small world counted by hand: one US posting with three UK applicants (one accepted, one
// rejected, one still submitted), an empty second US posting, and the one placement that results.

let w: World;
let postingA: string;
let postingB: string;
const NOW = new Date();
// submittedApplication submits on a fixed day (pipeline-world's BEFORE_DEADLINE).
const SUBMITTED = BEFORE_DEADLINE.toISOString().slice(0, 10);
const MONTH = SUBMITTED.slice(0, 7);
const dayAfter = (day: string) =>
  new Date(new Date(`${day}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);

const count = (rows: { key: string; count: number }[], key: string) =>
  rows.find((r) => r.key === key)?.count;
const total = (rows: { count: number }[]) => rows.reduce((s, r) => s + r.count, 0);

beforeAll(async () => {
  w = await createPipelineWorld();
  await ensureChecklistTemplate(db, {
    hostInstituteId: w.us.id,
    homeInstituteId: w.uk.id,
    name: "Incoming from the UK",
    items: US_HOST_CHECKLIST,
  });
  postingA = await openPosting(w, { title: "Counted posting", places: 3 });
  postingB = await openPosting(w, { title: "Empty posting" });
  const third = await ensureUser(db, {
    email: uniqueEmail("third"),
    displayName: "Theo Third",
    instituteId: w.uk.id,
    lineManagerId: w.manager.id,
  });
  const accepted = await submittedApplication(w, postingA);
  await submittedApplication(w, postingA, w.ukStaff);
  const rejected = await submittedApplication(w, postingA, {
    id: third.id,
    email: third.email,
    roles: ["STAFF"],
    instituteId: w.uk.id,
  });
  await advance(w, accepted, [
    "HOME_RELEASED",
    "UNDER_REVIEW",
    "SHORTLISTED",
    "OFFERED",
    "ACCEPTED",
  ]);
  await advance(w, rejected, ["HOME_RELEASED", "UNDER_REVIEW", "REJECTED"]);
  // The placement started long ago: every item is past due, except the one marked done.
  const placement = await db.placement.findFirstOrThrow({ where: { postingId: postingA } });
  await db.placement.update({
    where: { id: placement.id },
    data: { startDate: new Date("2020-06-01T00:00:00Z") },
  });
  const release = await db.checklistItem.findFirstOrThrow({
    where: { placementId: placement.id, title: "Home release letter" },
  });
  await db.checklistItem.update({ where: { id: release.id }, data: { status: "DONE" } });
});

describe("figures against the hand count", () => {
  test("host HR: their postings' applications by stage, placements, decisions, months", async () => {
    const d = await getDashboard(w.hostHr, {}, NOW);
    expect(count(d.hostedByStage, "ACCEPTED")).toBe(1);
    expect(count(d.hostedByStage, "REJECTED")).toBe(1);
    expect(count(d.hostedByStage, "SUBMITTED")).toBe(1);
    expect(total(d.hostedByStage)).toBe(3);
    expect(total(d.outgoingByStage)).toBe(0);
    expect(count(d.placementsByStatus, "PLANNED")).toBe(1);
    expect(total(d.placementsByStatus)).toBe(1);
    // Offered (then accepted) and rejected are the two decisions, both within the first week.
    expect(d.timeToDecision.decided).toBe(2);
    expect(d.timeToDecision.medianDays).toBeLessThan(1);
    expect(d.timeToDecision.buckets[0]).toEqual({ key: "Up to 7 days", count: 2 });
    expect(d.perMonth).toEqual([{ key: MONTH, count: 3 }]);
    // Overdue by side: the template's items, by their owner, less the one done (a HOME item).
    const expected = { SECONDEE: 0, HOME: 0, HOST: 0 };
    for (const item of US_HOST_CHECKLIST) expected[item.ownerSide] += 1;
    expected.HOME -= 1;
    expect(Object.fromEntries(d.overdueBySide.map((s) => [s.key, s.count]))).toEqual(expected);
  });

  test("home HR see their staff's applications as outgoing, and the same placement", async () => {
    const d = await getDashboard(w.homeHr, {}, NOW);
    expect(total(d.hostedByStage)).toBe(0);
    expect(count(d.outgoingByStage, "ACCEPTED")).toBe(1);
    expect(count(d.outgoingByStage, "REJECTED")).toBe(1);
    expect(count(d.outgoingByStage, "SUBMITTED")).toBe(1);
    expect(total(d.placementsByStatus)).toBe(1);
    expect(d.perMonth).toEqual([]);
  });

  test("an institute with none of this sees zeros everywhere", async () => {
    const d = await getDashboard(w.jpHr, {}, NOW);
    for (const rows of [d.hostedByStage, d.outgoingByStage, d.placementsByStatus, d.overdueBySide])
      expect(total(rows)).toBe(0);
    expect(d.timeToDecision.decided).toBe(0);
  });

  test("filters: a date range, a posting; another institute's posting is ignored", async () => {
    const later = await getDashboard(w.hostHr, { from: dayAfter(SUBMITTED) }, NOW);
    expect(total(later.hostedByStage)).toBe(0);
    expect(later.perMonth).toEqual([]);
    const onTheDay = await getDashboard(w.hostHr, { from: SUBMITTED, to: SUBMITTED }, NOW);
    expect(total(onTheDay.hostedByStage)).toBe(3);
    const before = await getDashboard(w.hostHr, { to: "2026-11-30" }, NOW);
    expect(total(before.hostedByStage)).toBe(0);
    const empty = await getDashboard(w.hostHr, { postingId: postingB }, NOW);
    expect(total(empty.hostedByStage)).toBe(0);
    expect(empty.filter.postingId).toBe(postingB);
    const foreign = await getDashboard(w.jpHr, { postingId: postingA }, NOW);
    expect(foreign.filter.postingId).toBeUndefined();
    expect(total(foreign.hostedByStage)).toBe(0);
  });
});

test("the page is for HR only; staff and admins get a 404", async () => {
  for (const who of [w.usStaff, w.admin]) {
    const { token } = await createSession(who.id, { mfaVerified: true });
    const r = await statusOf(() =>
      call(dashboardRoute.loader, get("/dashboard", `${sessionCookieName()}=${token}`)),
    );
    expect(r.status).toBe(404);
  }
  const { token } = await createSession(w.hostHr.id, { mfaVerified: true });
  const page = (await call(
    dashboardRoute.loader,
    get(`/dashboard?from=not-a-date&postingId=${postingA}`, `${sessionCookieName()}=${token}`),
  )) as { dashboard: { filter: { from?: string; postingId?: string } } };
  expect(page.dashboard.filter).toEqual({ postingId: postingA });
});
