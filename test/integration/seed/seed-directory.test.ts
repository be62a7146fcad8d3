import { expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { hashPassword, verifyPassword } from "~/lib/password.server";
import { DEMO_PASSWORD, seed } from "../../../prisma/demo";
import { countScalePeople, seedScale } from "../../../scripts/seed-scale";
import { EXPERTISE_AREAS } from "#test/factories/taxonomy";

async function counts() {
  return {
    institutes: await db.institute.count(),
    users: await db.user.count(),
    passwords: await db.password.count(),
    profiles: await db.profile.count(),
    areas: await db.expertiseArea.count(),
  };
}

async function unsearchable() {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Profile"
    WHERE "searchPartners" IS NULL OR "searchInstitute" IS NULL OR "searchPrivate" IS NULL`;
  return row!.n;
}

test(
  "the demo seed fills a varied directory in both institutes, and is idempotent",
  { timeout: 120_000 },
  async () => {
    await seed();
    const first = await counts();
    await seed();
    expect(await counts()).toEqual(first);
    expect(first.areas).toBe(EXPERTISE_AREAS.length);

    const profiles = await db.profile.findMany({
      select: {
        bio: true,
        bioVisibility: true,
        expertiseIds: true,
        expertiseLabels: true,
        skills: true,
        location: true,
        openToSecondment: true,
        user: {
          select: {
            email: true,
            instituteId: true,
            lineManager: { select: { instituteId: true } },
            institute: { select: { code: true } },
          },
        },
      },
    });
    // Everyone the seed makes has a profile.
    expect(profiles).toHaveLength(first.users);

    for (const code of ["US-AISI", "UK-AISI"]) {
      const mine = profiles.filter((p) => p.user.institute.code === code);
      expect(mine.length).toBeGreaterThanOrEqual(40);
      // Line managers, always from the person's own institute.
      expect(mine.filter((p) => p.user.lineManager).length).toBeGreaterThan(mine.length / 2);
      expect(new Set(mine.map((p) => p.location)).size).toBeGreaterThan(2);
    }
    for (const p of profiles) {
      if (p.user.lineManager) expect(p.user.lineManager.instituteId).toBe(p.user.instituteId);
    }

    // No two people read the same.
    const bios = profiles.map((p) => p.bio);
    expect(bios.every((b) => b.length > 40)).toBe(true);
    expect(new Set(bios).size).toBe(bios.length);

    // Labels are taxonomy names, index for index with the ids.
    const areas = new Map(
      (await db.expertiseArea.findMany({ select: { id: true, name: true } })).map((a) => [
        a.id,
        a.name,
      ]),
    );
    for (const p of profiles) {
      expect(p.expertiseLabels.length).toBeGreaterThan(0);
      expect(p.expertiseLabels).toEqual(p.expertiseIds.map((id) => areas.get(id)));
    }

    // Mixed visibility and availability, so that the directory has something to hide and to filter.
    expect(profiles.some((p) => p.bioVisibility === "PRIVATE")).toBe(true);
    expect(profiles.some((p) => p.bioVisibility === "PARTNERS")).toBe(true);
    expect(profiles.some((p) => p.openToSecondment)).toBe(true);
    expect(profiles.some((p) => !p.openToSecondment)).toBe(true);
    expect(await unsearchable()).toBe(0);

    // Generated people sign in with the demo password too.
    const generated = await db.user.findFirstOrThrow({
      where: { email: { endsWith: ".1@us-aisi.example" } },
      select: { password: { select: { hash: true } } },
    });
    expect(await verifyPassword(generated.password!.hash, DEMO_PASSWORD)).toBe(true);
  },
);

test(
  "the scale seed adds exactly the people asked for, searchable, and tops up rather than repeats",
  { timeout: 120_000 },
  async () => {
    await seed();
    const before = await counts();
    const passwordHash = await hashPassword(DEMO_PASSWORD);

    const result = await seedScale(db, { profiles: 500, batchSize: 200, passwordHash });
    expect(result).toMatchObject({ existing: 0, created: 500 });
    const after = await counts();
    expect(after.profiles - before.profiles).toBe(500);
    expect(after.users - before.users).toBe(500);
    expect(after.passwords - before.passwords).toBe(500);
    expect(await countScalePeople(db)).toBe(500);
    expect(await unsearchable()).toBe(0);

    // Spread over five institutes, managers in the same institute.
    const perInstitute = await db.institute.findMany({
      select: { code: true, _count: { select: { users: true } } },
    });
    expect(perInstitute.map((i) => i.code).sort()).toEqual([
      "CA-AISI",
      "JP-AISI",
      "SG-AISI",
      "UK-AISI",
      "US-AISI",
    ]);
    const [crossInstitute] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "User" u JOIN "User" m ON m."id" = u."lineManagerId"
      WHERE m."instituteId" <> u."instituteId"`;
    expect(crossInstitute!.n).toBe(0);

    // Again: nothing to do. More: only the difference, resuming where the last run stopped.
    expect(await seedScale(db, { profiles: 500, passwordHash })).toMatchObject({ created: 0 });
    expect(await counts()).toEqual(after);
    expect(await seedScale(db, { profiles: 600, passwordHash })).toMatchObject({
      existing: 500,
      created: 100,
    });
    expect((await counts()).profiles).toBe(after.profiles + 100);
    expect(await unsearchable()).toBe(0);
  },
);
