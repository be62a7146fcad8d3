import { expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { dueDate, effectiveStatuses } from "~/modules/checklists/logic";
import { verifyPassword } from "~/lib/password.server";
import { DEMO_PASSWORD, demoSeedRefusal, seed } from "../../../prisma/demo";

async function counts() {
  return {
    institutes: await db.institute.count(),
    users: await db.user.count(),
    passwords: await db.password.count(),
  };
}

test(
  "the demo seed covers every role in both institutes and is idempotent",
  { timeout: 60_000 },
  async () => {
    await seed();
    const first = await counts();
    await seed();
    expect(await counts()).toEqual(first);

    const institutes = await db.institute.findMany({
      select: { code: true, timeZone: true, locale: true },
    });
    expect(institutes).toEqual(
      expect.arrayContaining([
        { code: "US-AISI", timeZone: "America/New_York", locale: "en-US" },
        { code: "UK-AISI", timeZone: "Europe/London", locale: "en-GB" },
      ]),
    );
    const users = await db.user.findMany({
      select: {
        roles: true,
        lineManagerId: true,
        institute: { select: { code: true } },
        password: { select: { hash: true } },
      },
    });
    for (const code of ["US-AISI", "UK-AISI"]) {
      const mine = users.filter((u) => u.institute.code === code);
      expect(mine.some((u) => u.roles.includes("HR"))).toBe(true);
      expect(mine.some((u) => u.lineManagerId !== null)).toBe(true);
    }
    expect(users.some((u) => u.roles.includes("ADMIN"))).toBe(true);
    // The README's password really signs them in.
    expect(await verifyPassword(users[0]!.password!.hash, DEMO_PASSWORD)).toBe(true);
  },
);

test(
  "the demo seed gives each role a realistic pipeline: postings in each state, applications in every stage",
  { timeout: 60_000 },
  async () => {
    await seed();
    const pipeline = async () => ({
      postings: await db.posting.count(),
      applications: await db.application.count(),
      events: await db.applicationEvent.count(),
      placements: await db.placement.count(),
    });
    const first = await pipeline();
    await seed();
    expect(await pipeline()).toEqual(first);

    const postings = await db.posting.findMany({
      select: { status: true, hostInstitute: { select: { code: true } } },
    });
    const states = (code: string) =>
      new Set(postings.filter((p) => p.hostInstitute.code === code).map((p) => p.status));
    expect([...states("US-AISI")]).toEqual(expect.arrayContaining(["OPEN", "CLOSED", "DRAFT"]));
    expect([...states("UK-AISI")]).toEqual(expect.arrayContaining(["OPEN", "FILLED"]));

    const stages = new Set(
      (await db.application.findMany({ select: { status: true } })).map((a) => a.status),
    );
    expect([...stages].sort()).toEqual(
      [
        "ACCEPTED",
        "DECLINED",
        "DRAFT",
        "HOME_DECLINED",
        "HOME_RELEASED",
        "INTERVIEW",
        "OFFERED",
        "REJECTED",
        "SHORTLISTED",
        "SUBMITTED",
        "UNDER_REVIEW",
        "WITHDRAWN",
      ].sort(),
    );
    // Every submitted application has a line manager and a timeline that ends at its status.
    const apps = await db.application.findMany({
      where: { status: { not: "DRAFT" } },
      select: {
        status: true,
        lineManagerId: true,
        events: { orderBy: { createdAt: "desc" }, take: 1, select: { toStatus: true } },
      },
    });
    for (const a of apps) {
      expect(a.lineManagerId).not.toBeNull();
      expect(a.events[0]?.toStatus).toBe(a.status);
    }
    // Placements in every status, each with its host's checklist; one clearing with items blocked
    // by open dependencies and items past their due date.
    const placements = await db.placement.findMany({
      select: {
        status: true,
        startDate: true,
        checklistItems: {
          select: { status: true, dependsOnIds: true, id: true, dueOffsetDays: true },
        },
      },
    });
    expect(new Set(placements.map((p) => p.status))).toEqual(
      new Set(["PLANNED", "CLEARING", "ACTIVE", "COMPLETED", "CANCELLED"]),
    );
    for (const p of placements) expect(p.checklistItems.length).toBeGreaterThan(0);
    const clearing = placements.find((p) => p.status === "CLEARING")!;
    const shown = effectiveStatuses(
      clearing.checklistItems.map((i) => ({ ...i, dependsOn: i.dependsOnIds })),
    );
    expect([...shown.values()]).toContain("BLOCKED");
    expect([...shown.values()]).toContain("DONE");
    const start = clearing.startDate!.toISOString().slice(0, 10);
    const today = new Date().toISOString().slice(0, 10);
    expect(
      clearing.checklistItems.some(
        (i) => !["DONE", "WAIVED"].includes(i.status) && dueDate(start, i.dueOffsetDays) < today,
      ),
    ).toBe(true);

    // The demo line manager has a release to decide.
    const tom = await db.user.findUniqueOrThrow({
      where: { email: "tom.whitfield@uk-aisi.example" },
    });
    expect(
      await db.application.count({ where: { lineManagerId: tom.id, status: "SUBMITTED" } }),
    ).toBe(1);
  },
);

test("the demo seed refuses to put its published-password accounts into production", () => {
  expect(demoSeedRefusal({ NODE_ENV: "production" }, [])).toMatch(/Refusing to seed demo accounts/);
  expect(demoSeedRefusal({ NODE_ENV: "production" }, ["--allow-production"])).toBeNull();
  expect(demoSeedRefusal({ NODE_ENV: "development" }, [])).toBeNull();
  expect(demoSeedRefusal({}, [])).toBeNull();
});
