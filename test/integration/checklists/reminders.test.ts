import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, expect, test } from "vitest";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { dayAfter } from "#test/support/clock";
import { db } from "~/lib/db.server";
import { runChecklistReminders } from "~/modules/checklists/reminders.server";
import {
  advance,
  APPLICATION_FORM,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";

// Runs on PGlite and on PostgreSQL; on the server the parallel runs really overlap.

const run = promisify(execFile);

let w: World;
let placementId: string;

/** The placement starts on the applicant's availability: twelve weeks after the test's now. */
const START = APPLICATION_FORM.availableFrom;
/** The calendar day `days` after the start. */
const dayOf = (days: number) => dayAfter(days, new Date(`${START}T00:00:00Z`));
/** `time` (UTC) on the day `days` after the start; 09:00 and 18:00 UTC are that day in the US too. */
const at = (days: number, time: string) => new Date(`${dayOf(days)}T${time}:00Z`);

beforeAll(async () => {
  w = await createPipelineWorld();
  await ensureChecklistTemplate(db, {
    hostInstituteId: w.us.id,
    homeInstituteId: w.uk.id,
    name: "Incoming from the UK",
    items: US_HOST_CHECKLIST,
  });
  const postingId = await openPosting(w);
  const appId = await submittedApplication(w, postingId);
  await advance(w, appId, ["HOME_RELEASED", "UNDER_REVIEW", "SHORTLISTED", "OFFERED", "ACCEPTED"]);
  const placement = await db.placement.findUniqueOrThrow({ where: { applicationId: appId } });
  placementId = placement.id;
  // It starts on the applicant's availability (START); supervised by the reviewer.
  await db.placement.update({
    where: { id: placementId },
    data: { hostSupervisorId: w.reviewer.id },
  });
});

test("run twice in parallel, each owner's digest is queued once; a later run that day sends nothing", async () => {
  // Four days before the start: the NDA (due 20 days before it) is overdue by 16 days; IT accounts
  // (due 3 days before) are due soon.
  const now = at(-4, "09:00");
  const before = await db.outboxEmail.count();
  const [a, b] = await Promise.all([runChecklistReminders(now), runChecklistReminders(now)]);
  expect([a.ran, b.ran].sort()).toEqual([false, true]);
  const sent = await db.outboxEmail.findMany({
    where: { template: "checklist-digest" },
    select: { to: true, subject: true, text: true },
  });
  expect(sent.length).toBe((await db.outboxEmail.count()) - before);
  const recipients = sent.map((m) => m.to);
  expect(new Set(recipients).size).toBe(recipients.length); // one digest per person per kind
  expect(await runChecklistReminders(at(-4, "18:00"))).toMatchObject({
    ran: false,
  });
  expect(await db.outboxEmail.count({ where: { template: "checklist-digest" } })).toBe(sent.length);

  // Who hears about what: the secondee their own items, the supervisor the host's, the line
  // manager the home side's; HR of the owning side the long-overdue ones.
  const to = (email: string) => sent.filter((m) => m.to === email);
  expect(to(w.applicant.email)[0]!.text).toContain("OVERDUE: Non-disclosure agreement signed");
  expect(to(w.reviewer.email)[0]!.text).toContain("IT accounts created");
  expect(to(w.manager.email)[0]!.text).toContain("Home release letter");
  const escalation = to(w.hostHr.email).find((m) => m.subject.startsWith("Escalation"));
  expect(escalation?.text).toContain("Non-disclosure agreement signed");
  expect(to(w.usStaff.email)).toEqual([]);
});

test("the next day runs again; settled items are no longer mentioned", async () => {
  await db.checklistItem.updateMany({
    where: { placementId, title: "Non-disclosure agreement signed" },
    data: { status: "WAIVED", waivedReason: "Signed on paper" },
  });
  const result = await runChecklistReminders(at(-3, "09:00"));
  expect(result.ran).toBe(true);
  const latest = await db.outboxEmail.findFirstOrThrow({
    where: { template: "checklist-digest", to: w.applicant.email },
    orderBy: { createdAt: "desc" },
  });
  expect(latest.text).not.toContain("Non-disclosure agreement signed");
});

test("a run that dies before it commits leaves the day to the next attempt", async () => {
  const now = at(-2, "09:00");
  // A runner that claimed the day and then crashed (its transaction never committed).
  await expect(
    db.$transaction(async (tx) => {
      await tx.jobRun.create({ data: { name: "checklist-reminders", day: dayOf(-2) } });
      throw new Error("process killed");
    }),
  ).rejects.toThrow("process killed");
  expect(await db.jobRun.count({ where: { day: dayOf(-2) } })).toBe(0);
  expect((await runChecklistReminders(now)).ran).toBe(true);
  expect((await runChecklistReminders(now)).ran).toBe(false);
});

test(
  "`npm run jobs:reminders` runs the day's digest once, however often it is started",
  { timeout: 120_000 },
  async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "exchange-reminders-"));
    try {
      const env = { ...process.env, DATABASE_URL: "", DATA_DIR: dataDir };
      const first = await run("npx", ["tsx", "scripts/jobs-reminders.ts"], { env });
      expect(first.stdout).toMatch(
        /Checklist reminders for \d{4}-\d{2}-\d{2}: \d+ digest emails queued\./,
      );
      const second = await run("npx", ["tsx", "scripts/jobs-reminders.ts"], { env });
      expect(second.stdout).toMatch(/had already run; nothing sent\./);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
