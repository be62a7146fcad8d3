import { beforeAll, describe, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { createSession, sessionCookieName } from "~/lib/session.server";
import { requestPasswordReset } from "~/modules/accounts/one-time-links.server";
import { assignReviewer } from "~/modules/applications/reviews.server";
import { NOTIFICATION_KINDS, OPTIONAL_KINDS } from "~/modules/notifications/kinds";
import {
  getPreferences,
  listNotifications,
  markAllRead,
  markRead,
  savePreferences,
} from "~/modules/notifications/notifications.server";
import { createWorkspace } from "~/modules/workspaces/workspaces.server";
import { inviteMember } from "~/modules/workspaces/members.server";
import * as notificationsRoute from "~/routes/notifications";
import * as preferencesRoute from "~/routes/account/account.notifications";
import {
  advance,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";
import { call, get, post, statusOf } from "#test/support/route-harness";

let w: World;
const REQ = { ipAddress: "192.0.2.1", userAgent: "test" };

beforeAll(async () => {
  w = await createPipelineWorld();
});

async function outboxSince(since: Date) {
  return db.outboxEmail.findMany({
    where: { createdAt: { gte: since } },
    select: { to: true, subject: true, template: true, html: true },
  });
}

async function notificationsSince(since: Date) {
  return db.notification.findMany({
    where: { createdAt: { gte: since } },
    select: {
      userId: true,
      kind: true,
      title: true,
      link: true,
      user: { select: { email: true } },
    },
  });
}

describe("every email is also a notification", () => {
  test("application, review, workspace and security emails each have their in-app copy", async () => {
    const since = new Date(Date.now() - 1000);
    const postingId = await openPosting(w, { title: "Notified posting" });
    const applicationId = await submittedApplication(w, postingId);
    await advance(w, applicationId, ["HOME_RELEASED", "UNDER_REVIEW"]);
    expect((await assignReviewer(w.hostHr, applicationId, w.reviewer.id)).ok).toBe(true);
    const ws = await createWorkspace(w.usStaff, {
      name: "Notified workspace",
      purpose: "p",
      label: "JOINT",
      marking: "OFFICIAL",
      template: "GENERAL",
    });
    if (!ws.ok) throw new Error("workspace");
    expect(
      (await inviteMember(w.usStaff, ws.workspaceId, { email: w.ukStaff.email, role: "EDITOR" }))
        .ok,
    ).toBe(true);
    await requestPasswordReset(w.jpStaff.email, REQ);

    const emails = await outboxSince(since);
    const notes = await notificationsSince(since);
    const templates = new Set(emails.map((e) => e.template));
    for (const t of [
      "application-submitted",
      "application-update",
      "reviewer-assigned",
      "workspace-invitation",
      "password-reset",
    ])
      expect(templates).toContain(t);
    // One notification per email, to the same person, saying the same thing.
    expect(notes).toHaveLength(emails.length);
    for (const e of emails)
      expect(
        notes.filter(
          (n) => n.user.email === e.to && n.title === e.subject && n.kind === e.template,
        ),
        `${e.template} to ${e.to}`,
      ).toHaveLength(1);

    // Links go to the thing, inside the portal; a reset link (a secret) is never kept in-app.
    const review = notes.find((n) => n.kind === "reviewer-assigned")!;
    expect(review.link).toBe(`/applications/${applicationId}`);
    const reset = notes.find((n) => n.kind === "password-reset")!;
    expect(reset.link).toBe("");
    const resetEmail = emails.find((e) => e.template === "password-reset")!;
    expect(resetEmail.html).toContain("/reset-password/");
  });
});

describe("preferences", () => {
  test("in-app only for a kind: the notification is made and no email is sent to that person", async () => {
    await savePreferences(
      w.applicant,
      OPTIONAL_KINDS.filter((k) => k !== "application-update"),
    );
    const since = new Date(Date.now() - 1000);
    const postingId = await openPosting(w, { title: "Quiet posting" });
    const applicationId = await submittedApplication(w, postingId);
    await advance(w, applicationId, ["HOME_RELEASED"]);
    const emails = await outboxSince(since);
    const notes = await notificationsSince(since);
    const updateNotes = notes.filter(
      (n) =>
        n.userId === w.applicant.id &&
        n.kind === "application-update" &&
        n.link === `/applications/${applicationId}`,
    );
    expect(updateNotes).toHaveLength(1);
    const mine = (e: { to: string; html: string }) =>
      e.to === w.applicant.email && e.html.includes(applicationId);
    expect(emails.filter((e) => mine(e) && e.template === "application-update")).toHaveLength(0);
    // Other kinds for the same person, and the same kind for others, are still emailed.
    expect(emails.filter((e) => mine(e) && e.template === "application-submitted")).toHaveLength(1);
    expect(
      emails.filter((e) => e.to === w.hostHr.email && e.template === "application-update").length,
    ).toBeGreaterThan(0);
    await savePreferences(w.applicant, OPTIONAL_KINDS);
  });

  test("security emails cannot be turned off, by the service or by a forged form", async () => {
    const { token } = await createSession(w.manager.id, { mfaVerified: true });
    const cookie = `${sessionCookieName()}=${token}`;
    const saved = await statusOf(() =>
      call(
        preferencesRoute.action,
        post("/account/notifications", cookie, { email: ["not-a-kind"] }),
      ),
    );
    expect(saved.status).toBe(302);
    const prefs = await getPreferences(w.manager);
    for (const p of prefs) expect(p.email).toBe(NOTIFICATION_KINDS[p.kind].security);
    const since = new Date(Date.now() - 1000);
    await requestPasswordReset(w.manager.email, REQ);
    const emails = await outboxSince(since);
    expect(
      emails.filter((e) => e.to === w.manager.email && e.template === "password-reset"),
    ).toHaveLength(1);
    await savePreferences(w.manager, OPTIONAL_KINDS);
  });
});

describe("the notifications page", () => {
  test("lists only the person's own, newest first; mark read and mark all read", async () => {
    const { token } = await createSession(w.reviewer2.id, { mfaVerified: true });
    const cookie = `${sessionCookieName()}=${token}`;
    const postingId = await openPosting(w, { title: "Second review" });
    const applicationId = await submittedApplication(w, postingId);
    await advance(w, applicationId, ["HOME_RELEASED", "UNDER_REVIEW"]);
    expect((await assignReviewer(w.hostHr, applicationId, w.reviewer2.id)).ok).toBe(true);
    await requestPasswordReset(w.reviewer2.email, REQ);

    const page = (await call(notificationsRoute.loader, get("/notifications", cookie))) as Awaited<
      ReturnType<typeof listNotifications>
    >;
    expect(page.unread).toBe(2);
    expect(page.items.map((n) => n.kind)).toEqual(["password-reset", "reviewer-assigned"]);
    const others = await db.notification.count({
      where: { id: { in: page.items.map((n) => n.id) }, userId: { not: w.reviewer2.id } },
    });
    expect(others).toBe(0);

    // Someone else's notification cannot be marked: 404, and it stays unread.
    const theirs = await db.notification.findFirstOrThrow({
      where: { userId: w.applicant.id, readAt: null },
    });
    const forged = await statusOf(() =>
      call(
        notificationsRoute.action,
        post("/notifications", cookie, { intent: "read", notificationId: theirs.id }),
      ),
    );
    expect(forged.status).toBe(404);
    expect((await db.notification.findUniqueOrThrow({ where: { id: theirs.id } })).readAt).toBe(
      null,
    );
    await expect(markRead(w.reviewer2, theirs.id)).rejects.toMatchObject({ status: 404 });

    const one = await statusOf(() =>
      call(
        notificationsRoute.action,
        post("/notifications", cookie, { intent: "read", notificationId: page.items[0]!.id }),
      ),
    );
    expect(one.status).toBe(302);
    expect((await listNotifications(w.reviewer2)).unread).toBe(1);
    const applicantUnread = (await listNotifications(w.applicant)).unread;
    expect(await markAllRead(w.reviewer2)).toBe(1);
    expect((await listNotifications(w.reviewer2)).unread).toBe(0);
    expect((await listNotifications(w.applicant)).unread).toBe(applicantUnread);

    const garbage = await statusOf(() =>
      call(notificationsRoute.action, post("/notifications", cookie, { intent: "delete-all" })),
    );
    expect(garbage.status).toBe(400);
  });
});
