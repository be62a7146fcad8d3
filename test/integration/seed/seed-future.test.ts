import { expect, test } from "vitest";
import { clock } from "~/lib/clock";
import { connectDatabase, db, useDatabase } from "~/lib/db.server";
import { dueDate, effectiveStatuses } from "~/modules/checklists/logic";
import { moveProcessClock } from "#test/support/process-clock";
import { daysAfter } from "#test/support/clock";
import { openTestDatabase } from "#test/support/database";
import { seed } from "../../../prisma/demo";

// `npm run demo` a year from now must show the picture it shows today: postings open before their
// deadlines, a placement clearing now with overdue, due-soon and blocked items, tasks due ahead.

const countBy = <T>(rows: T[], key: (row: T) => string) => {
  const out: Record<string, number> = {};
  for (const row of rows) out[key(row)] = (out[key(row)] ?? 0) + 1;
  return out;
};

/** What a demo visitor sees, by state, judged against the clock at the time of the call. */
async function picture() {
  const now = clock.now();
  const today = now.toISOString().slice(0, 10);
  const postings = await db.posting.findMany({
    select: { status: true, deadline: true, hostInstitute: { select: { code: true } } },
  });
  const placements = await db.placement.findMany({
    select: {
      status: true,
      startDate: true,
      endDate: true,
      checklistItems: {
        select: { id: true, status: true, dependsOnIds: true, dueOffsetDays: true },
      },
    },
  });
  const clearing = placements.filter((p) => p.status === "CLEARING");
  const items = clearing.flatMap((p) => {
    const shown = effectiveStatuses(
      p.checklistItems.map((i) => ({ ...i, dependsOn: i.dependsOnIds })),
    );
    const start = p.startDate!.toISOString().slice(0, 10);
    return p.checklistItems.map((i) => {
      const status = shown.get(i.id)!;
      if (status === "DONE" || status === "WAIVED") return status;
      const due = dueDate(start, i.dueOffsetDays);
      const when =
        due < today
          ? "overdue"
          : due <= daysAfter(14, now).toISOString().slice(0, 10)
            ? "due soon"
            : "later";
      return `${status} ${when}`;
    });
  });
  const tasks = await db.workspaceTask.findMany({ select: { status: true, dueOn: true } });
  return {
    postings: countBy(postings, (p) => `${p.hostInstitute.code} ${p.status}`),
    openPastDeadline: postings.filter((p) => p.status === "OPEN" && p.deadline <= now).length,
    closedBeforeDeadline: postings.filter((p) => p.status === "CLOSED" && p.deadline > now).length,
    applications: countBy(
      await db.application.findMany({ select: { status: true } }),
      (a) => a.status,
    ),
    placements: countBy(placements, (p) => p.status),
    startedBeforeToday: countBy(
      placements.filter((p) => p.startDate && p.startDate.toISOString().slice(0, 10) <= today),
      (p) => p.status,
    ),
    clearingItems: countBy(items, (i) => i),
    tasks: countBy(tasks, (t) =>
      t.status === "DONE" || !t.dueOn
        ? t.status
        : `${t.status} ${t.dueOn.toISOString().slice(0, 10) < today ? "overdue" : "ahead"}`,
    ),
  };
}

test(
  "the demo seeded a year from now shows the same picture by state as one seeded today",
  { timeout: 180_000 },
  async () => {
    await seed();
    const today = await picture();
    // The picture is the one the README promises: open postings, an overdue and a blocked item.
    expect(today.postings["US-AISI OPEN"]).toBeGreaterThan(0);
    expect(today.openPastDeadline).toBe(0);
    expect(today.placements.CLEARING).toBe(1);
    expect(Object.keys(today.clearingItems).some((k) => k.endsWith("overdue"))).toBe(true);
    expect(Object.keys(today.clearingItems).some((k) => k.startsWith("BLOCKED"))).toBe(true);

    // A second, empty database, seeded with the clock a year ahead.
    const first = await connectDatabase(); // the file's own database, already open
    const { database, drop } = await openTestDatabase();
    const undo = moveProcessClock(daysAfter(365, clock.now()));
    try {
      useDatabase(database);
      await seed();
      expect(await picture()).toEqual(today);
    } finally {
      undo();
      await database.close();
      await drop();
      useDatabase(first);
    }
  },
);
