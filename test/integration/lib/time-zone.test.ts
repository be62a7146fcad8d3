import { afterEach, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { ensureInstitute, US_AISI } from "#test/factories";

// A server may run in any process time zone (TZ=Europe/London on a UK host). Times read back from
// the database, through Prisma's typed reads and through hand-written SQL, must be the same instant.

const zoneBefore = process.env.TZ;
afterEach(() => {
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});

test.each(["America/New_York", "Europe/London", "Asia/Tokyo", "UTC"])(
  "under TZ=%s a stored instant reads back unchanged, typed and raw",
  async (zone) => {
    process.env.TZ = zone;
    const at = new Date("2027-07-01T09:30:15.250Z");
    const institute = await ensureInstitute(db, US_AISI);
    await db.institute.update({ where: { id: institute.id }, data: { createdAt: at } });

    const typed = await db.institute.findUniqueOrThrow({
      where: { id: institute.id },
      select: { createdAt: true },
    });
    expect(typed.createdAt.toISOString()).toBe(at.toISOString());
    const [raw] = await db.$queryRaw<{ createdAt: Date; asZoned: Date }[]>`
      SELECT "createdAt", "createdAt" AT TIME ZONE 'UTC' AS "asZoned"
      FROM "Institute" WHERE "id" = ${institute.id}`;
    expect(raw!.createdAt.toISOString()).toBe(at.toISOString());
    expect(raw!.asZoned.toISOString()).toBe(at.toISOString());
    // Grouping by day in SQL happens in UTC, not the server's or the process's zone.
    const [day] = await db.$queryRaw<{ day: string }[]>`
      SELECT to_char(date_trunc('day', ${new Date("2027-07-01T23:30:00Z")}::timestamptz), 'YYYY-MM-DD') AS "day"`;
    expect(day!.day).toBe("2027-07-01");
  },
);
