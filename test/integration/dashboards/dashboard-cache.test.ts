import { beforeAll, describe, expect, test } from "vitest";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { TEST_NOW } from "#test/support/clock";
import { db } from "~/lib/db.server";
import { DashboardCache } from "~/modules/dashboards/dashboard-cache.server";
import { getDashboard } from "~/modules/dashboards/dashboard.server";
import {
  advance,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";

// The HR dashboard's cache (dashboard-cache.server.ts): shared by the HR of one institute, never
// served to anyone else, and never stale after a committed change, even one made by another app
// process (a second cache on the same database).

let w: World;
let postingId: string;

const total = (rows: { count: number }[]) => rows.reduce((s, r) => s + r.count, 0);
const version = async () =>
  BigInt(
    (await db.$queryRaw<{ version: bigint }[]>`SELECT "version" FROM "DashboardState"`)[0]!.version,
  );

beforeAll(async () => {
  w = await createPipelineWorld();
  await ensureChecklistTemplate(db, {
    hostInstituteId: w.us.id,
    homeInstituteId: w.uk.id,
    name: "Incoming from the UK",
    items: US_HOST_CHECKLIST,
  });
  postingId = await openPosting(w, { title: "Cached posting", places: 3 });
  // Accepted: a placement with its checklist items results.
  const accepted = await submittedApplication(w, postingId);
  await advance(w, accepted, [
    "HOME_RELEASED",
    "UNDER_REVIEW",
    "SHORTLISTED",
    "OFFERED",
    "ACCEPTED",
  ]);
});

describe("who is served a cached dashboard", () => {
  test("the HR of one institute share an entry; other institutes' HR get their own", async () => {
    const cache = new DashboardCache(100);
    // One instant for every read: two reads either side of a quarter hour are rightly not shared.
    const now = TEST_NOW;
    const first = await cache.get(w.hostHr, {}, now);
    expect(await cache.get(w.hostHr2, {}, now)).toBe(first);
    const partner = await cache.get(w.homeHr, {}, now);
    expect(partner).not.toBe(first);
    expect(partner).toEqual(await getDashboard(w.homeHr, {}, now));
    expect(await cache.get(w.hostHr, { postingId }, now)).not.toBe(first);
  });

  test("someone who is not HR of the institute is refused, even when the figures are cached", async () => {
    const cache = new DashboardCache(100);
    await cache.get(w.hostHr, {});
    for (const who of [w.usStaff, w.reviewer, w.admin]) {
      const refused = await cache.get(who, {}).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(Response);
      expect((refused as Response).status).toBe(404);
    }
  });

  test("figures are recomputed each quarter hour, when an institute's day may have turned", async () => {
    const cache = new DashboardCache(100);
    const at = (ms: number) => cache.get(w.hostHr, {}, new Date(ms));
    // The next quarter hour of UTC after the test's now, and the quarter hour before it.
    const QUARTER_HOUR = 15 * 60_000;
    const turn = Math.ceil(TEST_NOW.getTime() / QUARTER_HOUR) * QUARTER_HOUR;
    const first = await at(turn - QUARTER_HOUR);
    expect(await at(turn - 1000)).toBe(first);
    expect(await at(turn)).not.toBe(first);
  });

  test("with no room for entries, every request computes", async () => {
    const cache = new DashboardCache(0);
    expect(await cache.get(w.hostHr, {})).not.toBe(await cache.get(w.hostHr, {}));
    expect(cache.size).toBe(0);
  });
});

describe("a committed change is seen at once, by every process", () => {
  test("a new application and its stage changes show in both processes' next dashboard", async () => {
    const processA = new DashboardCache(100);
    const processB = new DashboardCache(100);
    const before = await processA.get(w.hostHr, {});
    await processB.get(w.hostHr, {});
    const id = await submittedApplication(w, postingId, w.ukStaff);
    const afterSubmit = await processB.get(w.hostHr, {});
    expect(total(afterSubmit.hostedByStage)).toBe(total(before.hostedByStage) + 1);
    expect(await processA.get(w.hostHr, {})).toEqual(afterSubmit);

    await advance(w, id, ["HOME_RELEASED", "UNDER_REVIEW", "REJECTED"]);
    const afterReject = await processA.get(w.hostHr, {});
    expect(afterReject.timeToDecision.decided).toBe(afterSubmit.timeToDecision.decided + 1);
    expect(await processB.get(w.hostHr, {})).toEqual(afterReject);
  });

  // Every table the figures read raises the version; a trigger that went missing fails here.
  const bump = { version: { increment: 1 } };
  const writes: [string, () => Promise<unknown>][] = [
    ["an application", () => db.application.updateMany({ where: { postingId }, data: bump })],
    [
      "an application's event",
      async () => {
        const e = await db.applicationEvent.findFirstOrThrow({
          where: { application: { postingId } },
        });
        await db.applicationEvent.update({ where: { id: e.id }, data: { comment: "Edited." } });
      },
    ],
    [
      "a posting",
      () => db.posting.update({ where: { id: postingId }, data: { title: "Renamed posting" } }),
    ],
    ["a placement", () => db.placement.updateMany({ where: { postingId }, data: bump })],
    [
      "a checklist item",
      () => db.checklistItem.updateMany({ where: { placement: { postingId } }, data: bump }),
    ],
    [
      "a person's institute",
      () => db.user.update({ where: { id: w.jpStaff.id }, data: { instituteId: w.jp.id } }),
    ],
    [
      "an institute's time zone",
      () => db.institute.update({ where: { id: w.jp.id }, data: { timeZone: "Asia/Tokyo" } }),
    ],
  ];
  test.each(writes)("a change to %s raises the version", async (_what, write) => {
    const was = await version();
    await write();
    expect(await version()).toBeGreaterThan(was);
  });

  test("the world has the rows those changes touch", async () => {
    expect(await db.placement.count({ where: { postingId } })).toBe(1);
    expect(await db.checklistItem.count({ where: { placement: { postingId } } })).toBeGreaterThan(
      0,
    );
  });

  test("a sign-in or a profile edit does not throw the figures away", async () => {
    const was = await version();
    await db.user.update({ where: { id: w.hostHr.id }, data: { displayName: "Hana Host" } });
    await db.session.deleteMany({ where: { userId: w.usStaff.id } });
    expect(await version()).toBe(was);
  });

  test("one transaction raises the version once however many rows it writes", async () => {
    const was = await version();
    await db.$transaction([
      db.application.updateMany({ where: { postingId }, data: bump }),
      db.posting.update({ where: { id: postingId }, data: { title: "Cached posting" } }),
      db.checklistItem.updateMany({ where: { placement: { postingId } }, data: bump }),
    ]);
    expect(await version()).toBe(was + 1n);
  });
});
