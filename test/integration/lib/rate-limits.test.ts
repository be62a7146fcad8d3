import { describe, expect, test } from "vitest";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { RATE_LIMITS, type RateLimitName } from "~/lib/rate-limits.server";
import type { Refusal } from "~/lib/service";
import { inviteUser } from "~/modules/accounts/users.server";
import { startApplication } from "~/modules/applications/drafts.server";
import { exportMyData } from "~/modules/privacy/privacy.server";
import { addComment, createThread } from "~/modules/workspaces/discussion.server";
import { uploadFile } from "~/modules/workspaces/files.server";
import { inviteMember } from "~/modules/workspaces/members.server";
import { createPage } from "~/modules/workspaces/pages.server";
import { registerFindings } from "~/modules/workspaces/registrations.server";
import { createTask } from "~/modules/workspaces/tasks.server";
import { action as applyAction } from "~/routes/postings/postings.$postingId.apply";
import { action as pagesAction } from "~/routes/workspaces/workspaces.$workspaceId.pages._index";
import { uniqueEmail } from "#test/factories";
import { pdfBytes } from "#test/factories/postings";
import { BEFORE_DEADLINE, openPosting } from "#test/support/pipeline-world";
import { call, post, sessionCookieFor } from "#test/support/route-harness";
import {
  newWorkspace,
  page,
  person,
  setUpWorkspacesWorld,
  w,
} from "#test/support/workspaces-world";

setUpWorkspacesWorld();

// Each limit of app/lib/rate-limits.server.ts: the last allowed use goes through, the next is
// refused with a message saying when to try again, and the refused request writes nothing. The
// count is brought to just below the limit directly, rather than by hundreds of real requests.

async function usedUpTo(name: RateLimitName, subject: string, used: number) {
  const key = `rate:${name}:${subject}`;
  const values = { failures: used, windowStart: clock.now(), updatedAt: clock.now() };
  await db.throttle.upsert({ where: { key }, create: { key, ...values }, update: values });
}

/** The limit's last use succeeds; the next is refused, and `count` shows nothing was written. */
async function tripsAndRefuses(
  name: RateLimitName,
  subject: string,
  run: () => Promise<{ ok: boolean }>,
  count: () => Promise<number>,
) {
  await usedUpTo(name, subject, RATE_LIMITS[name].limit - 1);
  const last = await run();
  expect(last, `${name}: the last allowed use`).toMatchObject({ ok: true });
  const before = await count();
  const refused = (await run()) as Refusal;
  expect(refused.ok).toBe(false);
  expect(refused.lockedUntil!.getTime()).toBeGreaterThan(clock.ms());
  expect(refused.errors[""]![0]).toMatch(
    new RegExp(`limit of ${RATE_LIMITS[name].limit} .*Nothing was saved\\. Try again in`),
  );
  expect(await count(), `${name}: nothing written by the refused request`).toBe(before);
}

describe("rate limits per person", () => {
  let owner: Actor;
  let workspaceId: string;
  let pageId: string;

  test("workspace pages, discussion posts, tasks, registrations, uploads and invitations", async () => {
    owner = await person(w.us.id, "Rae Limited");
    workspaceId = await newWorkspace(owner, "JOINT");
    pageId = await page(owner, workspaceId, "Findings", "Body");
    const inWorkspace = { where: { workspaceId } };

    await tripsAndRefuses(
      "pagesPerPerson",
      owner.id,
      () => createPage(owner, workspaceId, { title: "One more page", body: "text" }),
      () => db.workspacePage.count(inWorkspace),
    );
    await tripsAndRefuses(
      "discussionPostsPerPerson",
      owner.id,
      () => createThread(owner, workspaceId, { title: "Run 3", body: "Again?", pageId: "" }),
      () => db.discussionThread.count(inWorkspace),
    );
    const thread = await db.discussionThread.findFirstOrThrow(inWorkspace);
    await usedUpTo("discussionPostsPerPerson", owner.id, 0);
    await tripsAndRefuses(
      "discussionPostsPerPerson",
      owner.id,
      () => addComment(owner, workspaceId, thread.id, "Agreed."),
      () => db.comment.count(inWorkspace),
    );
    await tripsAndRefuses(
      "tasksPerPerson",
      owner.id,
      () => createTask(owner, workspaceId, { title: "Collate", assigneeId: "", dueOn: "" }),
      () => db.workspaceTask.count(inWorkspace),
    );
    await tripsAndRefuses(
      "registrationsPerPerson",
      owner.id,
      () => registerFindings(owner, workspaceId, { title: "Round", pageIds: [pageId] }),
      () => db.findingsRegistration.count(inWorkspace),
    );
    let file = 0;
    await tripsAndRefuses(
      "uploadsPerPerson",
      owner.id,
      () => uploadFile(owner, workspaceId, { name: `run-${++file}.pdf`, bytes: pdfBytes() }),
      () => db.storedFile.count({ where: { ownerId: owner.id } }),
    );
    const invitees = [await person(w.us.id, "Ivy One"), await person(w.us.id, "Ivo Two")];
    await tripsAndRefuses(
      "workspaceInvitationsPerPerson",
      owner.id,
      () => inviteMember(owner, workspaceId, { email: invitees.shift()!.email, role: "EDITOR" }),
      () => db.workspaceInvitation.count(inWorkspace),
    );

    // Someone else in the same workspace is not held back by the owner's use.
    const colleague = await person(w.us.id, "Col League");
    await db.workspaceMember.create({
      data: { workspaceId, userId: colleague.id, role: "EDITOR" },
    });
    expect(await createPage(colleague, workspaceId, { title: "Mine", body: "x" })).toMatchObject({
      ok: true,
    });
  });

  test("a refused page answers 429 with Retry-After at the route", async () => {
    await usedUpTo("pagesPerPerson", owner.id, RATE_LIMITS.pagesPerPerson.limit);
    const path = `/workspaces/${workspaceId}/pages`;
    const result = (await call(
      pagesAction,
      post(path, await sessionCookieFor(owner.id), { title: "Too many", body: "x" }),
      { workspaceId },
    )) as { init: { status: number; headers: Record<string, string> } };
    expect(result.init.status).toBe(429);
    const seconds = Number(result.init.headers["Retry-After"]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(RATE_LIMITS.pagesPerPerson.windowMs / 1000);
    expect(await db.workspacePage.count({ where: { workspaceId, title: "Too many" } })).toBe(0);
  });

  test("account invitations by an administrator", async () => {
    let n = 0;
    await tripsAndRefuses(
      "accountInvitationsPerPerson",
      w.admin.id,
      () =>
        inviteUser(
          { ...w.admin, displayName: "Ada Admin" },
          {
            email: uniqueEmail(`invitee${++n}`),
            displayName: "New Person",
            jobTitle: "",
            team: "",
            instituteId: w.us.id,
            lineManagerId: "",
            roles: ["STAFF"],
          },
          { ipAddress: "192.0.2.1" },
        ),
      () => db.user.count(),
    );
  });

  test("new applications", async () => {
    const [first, second] = [await openPosting(w), await openPosting(w)];
    const applicant = await person(w.uk.id, "Ana Apply");
    const name = "applicationDraftsPerPerson";
    await usedUpTo(name, applicant.id, RATE_LIMITS[name].limit - 1);
    expect(await startApplication(applicant, first, BEFORE_DEADLINE)).toMatchObject({ ok: true });
    const refused = await startApplication(applicant, second, BEFORE_DEADLINE);
    expect(refused).toMatchObject({ ok: false, lockedUntil: expect.any(Date) });
    // The apply button's route answers 429 with Retry-After, and the page says which limit.
    const thrown = await call(
      applyAction,
      post(`/postings/${second}/apply`, await sessionCookieFor(applicant.id), {}),
      { postingId: second },
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(Response);
    const response = thrown as Response;
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await response.text()).toMatch(/limit of 20 new applications in a day/);
    expect(await db.application.count({ where: { applicantId: applicant.id } })).toBe(1);
  });

  test("exports: over the limit a download is a 429 with Retry-After, and nothing is audited", async () => {
    const me = await person(w.us.id, "Exa Porter");
    await usedUpTo("exportsPerPerson", me.id, RATE_LIMITS.exportsPerPerson.limit - 1);
    await exportMyData(me);
    const audited = () => db.auditEvent.count({ where: { actorId: me.id } });
    const before = await audited();
    const thrown = await exportMyData(me).then(
      () => null,
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(Response);
    const response = thrown as Response;
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await response.text()).toMatch(/limit of 30 exports in an hour/);
    expect(await audited()).toBe(before);
  });
});
