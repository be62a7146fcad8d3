import { beforeAll, describe, expect, test } from "vitest";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { ensureInstitute, ensureUser, uniqueEmail, type InstituteSpec } from "#test/factories";
import { dayAfter, midnightAfter, TEST_NOW } from "#test/support/clock";
import type { ApplicationStatus, OwnerSide, PlacementStatus } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
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
} from "#test/support/pipeline-world";
import { call, get, PASSKEY_SIGN_IN, statusOf } from "#test/support/route-harness";

// A small world counted by hand: one US posting with three UK applicants (one accepted, one
// rejected, one still submitted), an empty second US posting, and the one placement that results.

let w: World;
let postingA: string;
let postingB: string;
const NOW = TEST_NOW;
// submittedApplication submits at pipeline-world's BEFORE_DEADLINE: this UTC day and month.
const SUBMITTED = dayAfter(0, BEFORE_DEADLINE);
const MONTH = SUBMITTED.slice(0, 7);

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
  // The placement started a year ago: every item is past due, except the one marked done.
  const placement = await db.placement.findFirstOrThrow({ where: { postingId: postingA } });
  await db.placement.update({
    where: { id: placement.id },
    data: { startDate: midnightAfter(-365) },
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
    const later = await getDashboard(w.hostHr, { from: dayAfter(1, BEFORE_DEADLINE) }, NOW);
    expect(total(later.hostedByStage)).toBe(0);
    expect(later.perMonth).toEqual([]);
    const onTheDay = await getDashboard(w.hostHr, { from: SUBMITTED, to: SUBMITTED }, NOW);
    expect(total(onTheDay.hostedByStage)).toBe(3);
    const before = await getDashboard(w.hostHr, { to: dayAfter(-1, BEFORE_DEADLINE) }, NOW);
    expect(total(before.hostedByStage)).toBe(0);
    const empty = await getDashboard(w.hostHr, { postingId: postingB }, NOW);
    expect(total(empty.hostedByStage)).toBe(0);
    expect(empty.filter.postingId).toBe(postingB);
    const foreign = await getDashboard(w.jpHr, { postingId: postingA }, NOW);
    expect(foreign.filter.postingId).toBeUndefined();
    expect(total(foreign.hostedByStage)).toBe(0);
  });
});

// A second pair of institutes with data in every state, written directly so that every date is
// chosen: the host keeps the world's earliest clock (Kiritimati, UTC+14), so its "today" is not UTC's.
// The dates are fixed on purpose, as calendar facts: month buckets, a submission in January's last
// hour, 30 days exactly from 2 February to 4 March (a leap year would make it 31) and Kiritimati's
// midnight. No figure here reads the wall clock: every dashboard is asked at its own now, AT.
describe("every state, counted", () => {
  const HOST: InstituteSpec = {
    code: "KI-AISI",
    name: "Kiribati AI Safety Institute",
    country: "KI",
    timeZone: "Pacific/Kiritimati",
    locale: "en-KI",
  };
  const HOME: InstituteSpec = {
    code: "CA-AISI",
    name: "Canadian AI Safety Institute",
    country: "CA",
    timeZone: "America/Toronto",
    locale: "en-CA",
  };
  // 11:00 UTC on 10 March is already 01:00 on 11 March in Kiritimati.
  const AT = new Date("2027-03-10T11:00:00Z");
  let hostHr: Actor;
  let homeHr: Actor;
  let postingQ: string;

  beforeAll(async () => {
    const host = await ensureInstitute(db, HOST);
    const home = await ensureInstitute(db, HOME);
    const hr = async (instituteId: string, name: string): Promise<Actor> => {
      const u = await ensureUser(db, {
        email: uniqueEmail(name),
        displayName: name,
        instituteId,
        roles: ["HR"],
        mfaKey: true,
      });
      return { id: u.id, email: u.email, roles: ["STAFF", "HR"], instituteId };
    };
    hostHr = await hr(host.id, "kiri.hr");
    homeHr = await hr(home.id, "cana.hr");
    const world = { ...w, us: host, uk: home, hostHr };
    const postingP = await openPosting(world, { title: "Posting P" });
    postingQ = await openPosting(world, { title: "Posting Q" });
    const staff: { id: string }[] = [];
    for (let i = 1; i <= 7; i++)
      staff.push(
        await ensureUser(db, {
          email: uniqueEmail(`cana${i}`),
          displayName: `Staff ${i}`,
          instituteId: home.id,
        }),
      );
    const at = (iso: string) => new Date(iso);
    // [posting, applicant, status, submitted, events (status, at)]
    const applications: [
      string,
      number,
      ApplicationStatus,
      string | null,
      [ApplicationStatus, string][],
    ][] = [
      // 7 days exactly: the first bucket's edge.
      [
        postingP,
        0,
        "ACCEPTED",
        "2027-01-05T09:00:00Z",
        [
          ["OFFERED", "2027-01-12T09:00:00Z"],
          ["ACCEPTED", "2027-01-13T09:00:00Z"],
        ],
      ],
      [postingP, 1, "REJECTED", "2027-01-10T00:00:00Z", [["REJECTED", "2027-03-26T12:00:00Z"]]], // 75.5
      [
        postingP,
        2,
        "DECLINED",
        "2027-01-31T23:00:00Z",
        [
          ["OFFERED", "2027-02-03T11:00:00Z"],
          ["DECLINED", "2027-02-04T00:00:00Z"],
        ],
      ], // 2.5
      // The offer was recorded by a clock that was behind: zero days, not minus one.
      [
        postingP,
        3,
        "ACCEPTED",
        "2027-02-01T00:00:00Z",
        [
          ["OFFERED", "2027-01-31T00:00:00Z"],
          ["ACCEPTED", "2027-02-02T00:00:00Z"],
        ],
      ],
      [postingP, 4, "SUBMITTED", "2027-02-15T00:00:00Z", []],
      [postingP, 5, "WITHDRAWN", "2026-12-20T00:00:00Z", [["WITHDRAWN", "2026-12-21T00:00:00Z"]]],
      [postingP, 6, "DRAFT", null, []],
      // 30 days exactly: the third bucket's edge.
      [
        postingQ,
        0,
        "ACCEPTED",
        "2027-02-02T00:00:00Z",
        [
          ["OFFERED", "2027-03-04T00:00:00Z"],
          ["ACCEPTED", "2027-03-05T00:00:00Z"],
        ],
      ],
      // The first decision counts (10.25 days), not a later one.
      [
        postingQ,
        1,
        "REJECTED",
        "2027-02-10T00:00:00Z",
        [
          ["UNDER_REVIEW", "2027-02-11T00:00:00Z"],
          ["REJECTED", "2027-02-20T06:00:00Z"],
          ["REJECTED", "2027-04-01T00:00:00Z"],
        ],
      ],
      [postingQ, 2, "REJECTED", "2027-02-11T00:00:00Z", [["REJECTED", "2027-03-25T00:00:00Z"]]], // 42
    ];
    const ids: string[] = [];
    for (const [postingId, who, status, submitted, events] of applications) {
      const a = await db.application.create({
        data: {
          postingId,
          applicantId: staff[who]!.id,
          status,
          submittedAt: submitted ? at(submitted) : null,
          events: {
            create: events.map(([toStatus, createdAt]) => ({ toStatus, createdAt: at(createdAt) })),
          },
        },
      });
      ids.push(a.id);
    }
    const placement = async (
      index: number,
      status: PlacementStatus,
      startDate: string | null,
      items: {
        side: OwnerSide;
        offset: number;
        status?: "TODO" | "IN_PROGRESS" | "DONE" | "WAIVED";
        after?: number;
      }[],
    ) => {
      const p = await db.placement.create({
        data: {
          applicationId: ids[index]!,
          postingId: applications[index]![0],
          secondeeId: staff[applications[index]![1]]!.id,
          hostInstituteId: host.id,
          homeInstituteId: home.id,
          status,
          startDate: startDate ? at(`${startDate}T00:00:00Z`) : null,
        },
      });
      const made: string[] = [];
      for (const [position, item] of items.entries()) {
        const created = await db.checklistItem.create({
          data: {
            placementId: p.id,
            position,
            title: `Item ${position}`,
            ownerSide: item.side,
            dueOffsetDays: item.offset,
            evidenceKind: "DOCUMENT",
            status: item.status ?? "TODO",
            dependsOnIds: item.after === undefined ? [] : [made[item.after]!],
            waivedReason: item.status === "WAIVED" ? "Not needed for this secondee." : "",
          },
        });
        made.push(created.id);
      }
    };
    // Starts on 10 March: overdue are the open items due before the host's 11 March.
    await placement(0, "PLANNED", "2027-03-10", [
      { side: "HOME", offset: -60, status: "DONE" },
      { side: "HOST", offset: -60, status: "WAIVED" },
      { side: "HOST", offset: -30 }, // overdue
      { side: "SECONDEE", offset: -20, after: 2 }, // blocked, and overdue
      { side: "SECONDEE", offset: 0, status: "IN_PROGRESS" }, // due on the 10th: overdue in Kiritimati
      { side: "HOME", offset: 1 }, // due on the host's today: not yet
      { side: "HOME", offset: -1, after: 0 }, // overdue
    ]);
    // Cancelled, and not started: nothing of theirs is overdue.
    await placement(3, "CANCELLED", "2020-01-01", [{ side: "HOST", offset: 0 }]);
    await placement(7, "CLEARING", null, [{ side: "HOME", offset: -10 }]);
  });

  const byKey = (rows: { key: string; count: number }[]) =>
    Object.fromEntries(rows.filter((r) => r.count).map((r) => [r.key, r.count]));

  test("host HR: stages, placements, overdue items in the host's today, decisions, months", async () => {
    const d = await getDashboard(hostHr, {}, AT);
    expect(byKey(d.hostedByStage)).toEqual({
      ACCEPTED: 3,
      REJECTED: 3,
      DECLINED: 1,
      SUBMITTED: 1,
      WITHDRAWN: 1,
    });
    expect(total(d.outgoingByStage)).toBe(0);
    expect(byKey(d.placementsByStatus)).toEqual({ PLANNED: 1, CLEARING: 1, CANCELLED: 1 });
    expect(byKey(d.overdueBySide)).toEqual({ SECONDEE: 2, HOME: 1, HOST: 1 });
    // Days: 0, 2.5, 7, 10.25, 30, 42, 75.5.
    expect(d.timeToDecision).toEqual({
      decided: 7,
      medianDays: 10.25,
      buckets: [
        { key: "Up to 7 days", count: 3 },
        { key: "8 to 14 days", count: 1 },
        { key: "15 to 30 days", count: 1 },
        { key: "31 to 60 days", count: 1 },
        { key: "Over 60 days", count: 1 },
      ],
    });
    expect(d.perMonth).toEqual([
      { key: "2026-12", count: 1 },
      { key: "2027-01", count: 3 },
      { key: "2027-02", count: 5 },
    ]);
    // A minute before the host's midnight, the item due on the 10th is not overdue yet.
    const earlier = await getDashboard(hostHr, {}, new Date("2027-03-10T09:59:00Z"));
    expect(byKey(earlier.overdueBySide)).toEqual({ SECONDEE: 1, HOME: 1, HOST: 1 });
  });

  test("home HR: the same applications as outgoing, the same placements", async () => {
    const d = await getDashboard(homeHr, {}, AT);
    expect(total(d.hostedByStage)).toBe(0);
    expect(byKey(d.outgoingByStage)).toEqual({
      ACCEPTED: 3,
      REJECTED: 3,
      DECLINED: 1,
      SUBMITTED: 1,
      WITHDRAWN: 1,
    });
    expect(byKey(d.placementsByStatus)).toEqual({ PLANNED: 1, CLEARING: 1, CANCELLED: 1 });
    expect(byKey(d.overdueBySide)).toEqual({ SECONDEE: 2, HOME: 1, HOST: 1 });
    expect(d.timeToDecision.decided).toBe(0);
    expect(d.timeToDecision.medianDays).toBeNull();
    expect(d.perMonth).toEqual([]);
  });

  test("filtered by posting, and by dates (an even count: the median is the middle pair's mean)", async () => {
    const q = await getDashboard(hostHr, { postingId: postingQ }, AT);
    expect(byKey(q.hostedByStage)).toEqual({ ACCEPTED: 1, REJECTED: 2 });
    expect(q.timeToDecision.decided).toBe(3);
    expect(q.timeToDecision.medianDays).toBe(30);
    expect(q.perMonth).toEqual([{ key: "2027-02", count: 3 }]);
    // Placements and overdue items are not filtered.
    expect(byKey(q.overdueBySide)).toEqual({ SECONDEE: 2, HOME: 1, HOST: 1 });
    // The 10th from midnight, the 31st to midnight: 2.5 and 75.5 days.
    const jan = await getDashboard(hostHr, { from: "2027-01-10", to: "2027-01-31" }, AT);
    expect(byKey(jan.hostedByStage)).toEqual({ REJECTED: 1, DECLINED: 1 });
    expect(jan.timeToDecision.medianDays).toBe(39);
    expect(jan.timeToDecision.buckets.map((b) => b.count)).toEqual([1, 0, 0, 0, 1]);
    expect(jan.perMonth).toEqual([{ key: "2027-01", count: 2 }]);
    const out = await getDashboard(homeHr, { from: "2027-02-01" }, AT);
    expect(byKey(out.outgoingByStage)).toEqual({ ACCEPTED: 2, REJECTED: 2, SUBMITTED: 1 });
  });
});

test("the page is for HR only; staff and admins get a 404", async () => {
  for (const who of [w.usStaff, w.admin]) {
    const { token } = await createSession(who.id, PASSKEY_SIGN_IN);
    const r = await statusOf(() =>
      call(dashboardRoute.loader, get("/dashboard", `${sessionCookieName()}=${token}`)),
    );
    expect(r.status).toBe(404);
  }
  const { token } = await createSession(w.hostHr.id, PASSKEY_SIGN_IN);
  const page = (await call(
    dashboardRoute.loader,
    get(`/dashboard?from=not-a-date&postingId=${postingA}`, `${sessionCookieName()}=${token}`),
  )) as { dashboard: { filter: { from?: string; postingId?: string } } };
  expect(page.dashboard.filter).toEqual({ postingId: postingA });
});
