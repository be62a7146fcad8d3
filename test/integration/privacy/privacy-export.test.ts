import { beforeAll, expect, test } from "vitest";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { db } from "~/lib/db.server";
import { createSession, sessionCookieName } from "~/lib/session.server";
import { createWorkspace } from "~/modules/workspaces/workspaces.server";
import { inviteMember, answerInvitation } from "~/modules/workspaces/members.server";
import * as accountData from "~/routes/account/account.data";
import {
  advance,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";
import { call, get, statusOf } from "#test/support/route-harness";

// "Download my data": the applicant's export holds their account, profile, application with its
// timeline, placement with their own checklist items, workspace membership, notifications and
// audit events, and nothing that identifies anyone else.

let w: World;
let applicationId: string;
let otherApplicationId: string;

beforeAll(async () => {
  w = await createPipelineWorld();
  await ensureChecklistTemplate(db, {
    hostInstituteId: w.us.id,
    homeInstituteId: w.uk.id,
    name: "Incoming from the UK",
    items: US_HOST_CHECKLIST,
  });
  await db.profile.upsert({
    where: { userId: w.applicant.id },
    create: { userId: w.applicant.id, bio: "I evaluate autonomy in frontier models." },
    update: { bio: "I evaluate autonomy in frontier models." },
  });
  const postingId = await openPosting(w, { places: 3 });
  applicationId = await submittedApplication(w, postingId);
  otherApplicationId = await submittedApplication(w, postingId, w.ukStaff);
  await advance(w, applicationId, [
    "HOME_RELEASED",
    "UNDER_REVIEW",
    "SHORTLISTED",
    "OFFERED",
    "ACCEPTED",
  ]);
  const ws = await createWorkspace(w.usStaff, {
    name: "Autonomy evaluations",
    purpose: "p",
    label: "JOINT",
    marking: "OFFICIAL_SENSITIVE",
    template: "GENERAL",
  });
  if (!ws.ok) throw new Error("workspace");
  await inviteMember(w.usStaff, ws.workspaceId, { email: w.applicant.email, role: "EDITOR" });
  const invitation = await db.workspaceInvitation.findFirstOrThrow({
    where: { inviteeId: w.applicant.id },
  });
  await answerInvitation(w.applicant, invitation.id, "accept");
});

test("the export holds the person's own data, and nobody else's", async () => {
  const { token } = await createSession(w.applicant.id, { mfaVerified: true });
  const cookie = `${sessionCookieName()}=${token}`;
  const notificationCount = await db.notification.count({ where: { userId: w.applicant.id } });
  const auditCount = await db.auditEvent.count({ where: { actorId: w.applicant.id } });

  const response = (await call(accountData.loader, get("/account/data", cookie))) as Response;
  expect(response.headers.get("Content-Disposition")).toMatch(
    /^attachment; filename="my-data-\d{4}-\d{2}-\d{2}\.json"$/,
  );
  expect(response.headers.get("Cache-Control")).toBe("private, no-store");
  const text = await response.text();
  const data = JSON.parse(text) as {
    account: { email: string; id: string };
    profile: { bio: string };
    sessions: unknown[];
    applications: {
      id: string;
      statement: string;
      cv: { filename: string } | null;
      timeline: { to: string; by: string }[];
    }[];
    placements: { yourChecklistItems: { title: string }[] }[];
    workspaceMemberships: { workspace: string; role: string; marking: string }[];
    notifications: unknown[];
    auditEvents: { action: string }[];
  };

  expect(data.account).toMatchObject({ id: w.applicant.id, email: w.applicant.email });
  expect(data.profile.bio).toBe("I evaluate autonomy in frontier models.");
  expect(data.sessions.length).toBeGreaterThan(0);
  expect(data.applications.map((a) => a.id)).toEqual([applicationId]);
  expect(data.applications[0]!.statement.length).toBeGreaterThan(10);
  expect(data.applications[0]!.cv?.filename).toBe("cv.pdf");
  expect(data.applications[0]!.timeline.map((e) => [e.to, e.by])).toEqual([
    ["SUBMITTED", "you"],
    ["HOME_RELEASED", "someone else"],
    ["UNDER_REVIEW", "someone else"],
    ["SHORTLISTED", "someone else"],
    ["OFFERED", "someone else"],
    ["ACCEPTED", "you"],
  ]);
  const ownItems = await db.checklistItem.findMany({
    where: { placement: { secondeeId: w.applicant.id }, ownerSide: "SECONDEE" },
  });
  expect(ownItems.length).toBeGreaterThan(0);
  expect(data.placements[0]!.yourChecklistItems.map((i) => i.title).sort()).toEqual(
    ownItems.map((i) => i.title).sort(),
  );
  expect(data.workspaceMemberships).toEqual([
    expect.objectContaining({
      workspace: "Autonomy evaluations",
      role: "EDITOR",
      marking: "OFFICIAL-SENSITIVE",
    }),
  ]);
  expect(data.notifications).toHaveLength(notificationCount);
  expect(data.auditEvents).toHaveLength(auditCount);

  // Nobody else: no other person's name, address, or application appears anywhere in the file.
  for (const other of [w.ukStaff, w.hostHr, w.manager, w.usStaff, w.reviewer, w.homeHr]) {
    expect(text).not.toContain(other.email);
    const user = await db.user.findUniqueOrThrow({ where: { id: other.id } });
    expect(text).not.toContain(user.displayName);
    expect(text).not.toContain(other.id);
  }
  expect(text).not.toContain(otherApplicationId);

  // The export is itself recorded.
  const audited = await db.auditEvent.findFirst({
    where: { action: "privacy.export", actorId: w.applicant.id },
  });
  expect(audited).not.toBeNull();
});

test("signed out, there is nothing to download", async () => {
  const r = await statusOf(() => call(accountData.loader, get("/account/data", "")));
  expect(r.status).toBe(302);
  expect(r.location).toMatch(/^\/login/);
});
