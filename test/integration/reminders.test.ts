import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, expect, test } from "vitest";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { db } from "~/lib/db.server";
import { runChecklistReminders } from "~/modules/checklists/reminders.server";
import {
  advance,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "./pipeline-world";

// Runs on PGlite and on PostgreSQL; on the server the parallel runs really overlap.

const run = promisify(execFile);

let w: World;
let placementId: string;

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
  // Start on 2027-03-01; supervised by the reviewer.
  await db.placement.update({
    where: { id: placementId },
    data: { hostSupervisorId: w.reviewer.id },
  });
});

test("run twice in parallel, each owner's digest is queued once; a later run that day sends nothing", async () => {
  // 2027-02-25: the NDA (due -20 days, 2027-02-09) is overdue by 16 days; IT accounts due soon.
  const now = new Date("2027-02-25T09:00:00Z");
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
  expect(await runChecklistReminders(new Date("2027-02-25T18:00:00Z"))).toMatchObject({
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
  const result = await runChecklistReminders(new Date("2027-02-26T09:00:00Z"));
  expect(result.ran).toBe(true);
  const latest = await db.outboxEmail.findFirstOrThrow({
    where: { template: "checklist-digest", to: w.applicant.email },
    orderBy: { createdAt: "desc" },
  });
  expect(latest.text).not.toContain("Non-disclosure agreement signed");
});

test("a run that dies before it commits leaves the day to the next attempt", async () => {
  const now = new Date("2027-02-27T09:00:00Z");
  // A runner that claimed the day and then crashed (its transaction never committed).
  await expect(
    db.$transaction(async (tx) => {
      await tx.jobRun.create({ data: { name: "checklist-reminders", day: "2027-02-27" } });
      throw new Error("process killed");
    }),
  ).rejects.toThrow("process killed");
  expect(await db.jobRun.count({ where: { day: "2027-02-27" } })).toBe(0);
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
