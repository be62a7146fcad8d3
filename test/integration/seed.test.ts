import { expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { verifyPassword } from "~/lib/password.server";
import { DEMO_PASSWORD, seed } from "../../prisma/seed";

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
