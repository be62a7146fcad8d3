import { beforeAll, describe, expect, test } from "vitest";
import { ensureUser, uniqueEmail } from "#test/factories";
import { must } from "#test/factories/results";
import { dayAfter } from "#test/support/clock";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { WorkspaceContentCache } from "~/modules/workspaces/content-cache.server";
import { createPage, getPage, getPageHistory, savePage } from "~/modules/workspaces/pages.server";
import { createTask } from "~/modules/workspaces/tasks.server";
import { createThread } from "~/modules/workspaces/discussion.server";
import { registerFindings } from "~/modules/workspaces/registrations.server";
import {
  answerInvitation,
  inviteMember,
  removeMember,
  setMemberRole,
} from "~/modules/workspaces/members.server";
import {
  createWorkspace,
  getWorkspaceFrame,
  getWorkspaceHome,
} from "~/modules/workspaces/workspaces.server";
import { createPipelineWorld, type World } from "#test/support/pipeline-world";
import { logQueries } from "#test/support/query-log";

// The workspace pages' cache (content-cache.server.ts): a workspace's home, its pages and their
// histories, shared by its members, never stale after a committed change to anything they show,
// even one made by another app process (a second cache on the same database) or by raw SQL, and
// never handed to someone the read check refuses.

let w: World;
let owner: Actor;
let editor: Actor;
let viewer: Actor;
let workspaceId: string;
let pageId: string;

let seq = 0;
const unique = (what: string) => `${what} ${++seq}`;

async function person(instituteId: string, name: string): Promise<Actor> {
  const u = await ensureUser(db, {
    email: uniqueEmail(name.toLowerCase().replace(/\W+/g, ".")),
    displayName: name,
    instituteId,
  });
  return { id: u.id, email: u.email, roles: u.roles, instituteId: u.instituteId };
}

async function join(workspace: string, who: Actor, role: "OWNER" | "EDITOR" | "VIEWER") {
  must(await inviteMember(owner, workspace, { email: who.email, role }));
  const invitation = await db.workspaceInvitation.findFirstOrThrow({
    where: { workspaceId: workspace, inviteeId: who.id, status: "PENDING" },
  });
  must(await answerInvitation(who, invitation.id, "accept"));
}

async function newWorkspace(label = "JOINT") {
  const { workspaceId: id } = must(
    await createWorkspace(owner, {
      name: unique("Cached workspace"),
      purpose: "Evaluation of a frontier model",
      label,
      marking: "OFFICIAL",
      template: "GENERAL",
    }),
  );
  return id;
}

const version = async (id = workspaceId) =>
  BigInt(
    (
      await db.$queryRaw<{ version: bigint }[]>`
        SELECT "version" FROM "WorkspaceContentState" WHERE "workspaceId" = ${id}`
    )[0]!.version,
  );

/** The three cached views of the world's workspace, as `who` sees them through `cache`. */
async function views(cache: WorkspaceContentCache, who: Actor = owner, id = workspaceId) {
  return {
    home: await getWorkspaceHome(who, id, { cache }),
    page: await getPage(who, id, pageId, { cache }),
    history: await getPageHistory(who, id, pageId, { from: 0, to: 0 }, { cache }),
  };
}

/** The last number the versions' sequence gave. */
const lastGiven = async () =>
  BigInt(
    (
      await db.$queryRaw<{ n: bigint }[]>`
        SELECT "last_value" AS n FROM "WorkspaceContentState_version_seq"`
    )[0]!.n,
  );

const statements = async (fn: () => Promise<unknown>) => (await logQueries(fn)).queries.length;

beforeAll(async () => {
  w = await createPipelineWorld();
  owner = await person(w.us.id, "Olive Owner");
  editor = await person(w.uk.id, "Edgar Editor");
  viewer = await person(w.jp.id, "Vera Viewer");
  workspaceId = await newWorkspace();
  await join(workspaceId, editor, "EDITOR");
  await join(workspaceId, viewer, "VIEWER");
  ({ pageId } = must(await createPage(owner, workspaceId, { title: "Findings", body: "First." })));
  must(
    await savePage(editor, workspaceId, pageId, {
      title: "Findings",
      body: "Second.",
      baseVersion: 1,
    }),
  );
  must(
    await createThread(owner, workspaceId, { title: "Run 2", body: "Rerun it?", pageId: pageId }),
  );
  must(
    await createTask(owner, workspaceId, {
      title: "Collate transcripts",
      assigneeId: editor.id,
      dueOn: dayAfter(120),
    }),
  );
  must(await registerFindings(owner, workspaceId, { title: "Round 1", pageIds: [pageId] }));
});

describe("a repeated view is served from the cache", () => {
  test("the home, a page and its history send only the read check the second time", async () => {
    const cache = new WorkspaceContentCache(100);
    const home = () => getWorkspaceHome(owner, workspaceId, { cache });
    const page = () => getPage(owner, workspaceId, pageId, { cache });
    const history = () => getPageHistory(owner, workspaceId, pageId, { from: 0, to: 0 }, { cache });
    // The read check, then the page's own reads; then the read check alone.
    expect(await statements(home)).toBe(3);
    expect(await statements(home)).toBe(1);
    expect(await statements(page)).toBe(3);
    expect(await statements(page)).toBe(1);
    expect(await statements(history)).toBe(2);
    expect(await statements(history)).toBe(1);
    expect(cache.size).toBe(3);
  });

  test("every member shares the content, each with their own role", async () => {
    const cache = new WorkspaceContentCache(100);
    const mine = await views(cache, owner);
    const theirs = await views(cache, viewer);
    expect(theirs.home.members).toBe(mine.home.members);
    expect(theirs.page.page).toBe(mine.page.page);
    expect(theirs.history).toBe(mine.history);
    expect([mine.home.role, mine.page.role]).toEqual(["OWNER", "OWNER"]);
    expect([theirs.home.role, theirs.page.role]).toEqual(["VIEWER", "VIEWER"]);
    // What the cache serves is what the database holds.
    const fresh = await views(new WorkspaceContentCache(0), viewer);
    expect(theirs).toEqual(fresh);
  });

  test("each comparison of a history is an entry of its own", async () => {
    const cache = new WorkspaceContentCache(100);
    const latest = await getPageHistory(owner, workspaceId, pageId, { from: 0, to: 0 }, { cache });
    const first = await getPageHistory(owner, workspaceId, pageId, { from: 1, to: 1 }, { cache });
    expect([latest.from, latest.to]).toEqual([1, 2]);
    expect([first.from, first.to]).toEqual([1, 1]);
    expect(first.diff).not.toEqual(latest.diff);
  });

  test("a page that does not exist is a 404, and is not kept", async () => {
    const cache = new WorkspaceContentCache(100);
    for (let i = 0; i < 2; i++) {
      const refused = await getPage(owner, workspaceId, "no-such-page", { cache }).catch(
        (e: unknown) => e,
      );
      expect((refused as Response).status).toBe(404);
    }
    expect(cache.size).toBe(0);
  });

  test("with no room for entries, every view reads the database", async () => {
    const cache = new WorkspaceContentCache(0);
    const home = () => getWorkspaceHome(owner, workspaceId, { cache });
    expect(await statements(home)).toBe(3);
    expect(await statements(home)).toBe(3);
    expect(cache.size).toBe(0);
  });

  test("a change to one workspace keeps another's entries", async () => {
    const other = await newWorkspace();
    const cache = new WorkspaceContentCache(100);
    const home = (id: string) => getWorkspaceHome(owner, id, { cache });
    await home(workspaceId);
    await home(other);
    await db.workspace.update({ where: { id: other }, data: { purpose: "Changed." } });
    expect((await home(other)).purpose).toBe("Changed.");
    expect(await statements(() => home(workspaceId))).toBe(1);
  });
});

describe("a committed change is seen on the next view", () => {
  // Each write touches one table only (the services also log activity, which would hide a missing
  // trigger), so a trigger that went missing fails its own test.
  type Views = Awaited<ReturnType<typeof views>>;
  const changes: [string, () => Promise<(v: Views) => void>][] = [
    [
      "a member added",
      async () => {
        const newcomer = await person(w.uk.id, unique("Nina Newcomer"));
        await db.workspaceMember.create({
          data: { workspaceId, userId: newcomer.id, role: "VIEWER" },
        });
        return (v) => expect(v.home.members.map((m) => m.user.id)).toContain(newcomer.id);
      },
    ],
    [
      "a member's role",
      async () => {
        const { role } = await db.workspaceMember.findUniqueOrThrow({
          where: { workspaceId_userId: { workspaceId, userId: viewer.id } },
        });
        const to = role === "VIEWER" ? "EDITOR" : "VIEWER";
        await db.workspaceMember.update({
          where: { workspaceId_userId: { workspaceId, userId: viewer.id } },
          data: { role: to },
        });
        return (v) => expect(v.home.members.find((m) => m.user.id === viewer.id)?.role).toBe(to);
      },
    ],
    [
      "a member removed",
      async () => {
        const leaver = await person(w.uk.id, unique("Lee Leaver"));
        await db.workspaceMember.create({
          data: { workspaceId, userId: leaver.id, role: "VIEWER" },
        });
        await db.workspaceMember.delete({
          where: { workspaceId_userId: { workspaceId, userId: leaver.id } },
        });
        return (v) => expect(v.home.members.map((m) => m.user.id)).not.toContain(leaver.id);
      },
    ],
    [
      "a new task",
      async () => {
        const title = unique("Book the model access window");
        await db.workspaceTask.create({ data: { workspaceId, title, createdById: owner.id } });
        return (v) => expect(v.home.tasks.map((t) => t.title)).toContain(title);
      },
    ],
    [
      "a task edited",
      async () => {
        const title = unique("Collate all transcripts");
        await db.workspaceTask.updateMany({
          where: { workspaceId, assigneeId: editor.id },
          data: { title },
        });
        return (v) => expect(v.home.tasks.map((t) => t.title)).toContain(title);
      },
    ],
    [
      "an activity entry",
      async () => {
        const summary = unique("reran the baseline");
        await db.workspaceActivity.create({
          data: { workspaceId, actorId: owner.id, kind: "test", summary },
        });
        return (v) => expect(v.home.activity[0]?.summary).toBe(summary);
      },
    ],
    [
      "a registration",
      async () => {
        const title = unique("Round");
        await db.findingsRegistration.create({
          data: {
            workspaceId,
            title,
            registeredById: owner.id,
            registeredAt: clock.now(),
            snapshot: [],
            contentHash: "0".repeat(64),
          },
        });
        return (v) => expect(v.home.registrations[0]?.title).toBe(title);
      },
    ],
    [
      "a page's text",
      async () => {
        const body = unique("Edited text");
        await db.workspacePage.update({ where: { id: pageId }, data: { body } });
        return (v) => expect(v.page.page.html).toContain(body);
      },
    ],
    [
      "a page's new version",
      async () => {
        const { _max } = await db.pageVersion.aggregate({
          where: { pageId },
          _max: { version: true },
        });
        const next = _max.version! + 1;
        await db.pageVersion.create({
          data: { pageId, version: next, title: "Findings", body: "More.", authorId: editor.id },
        });
        return (v) => expect(v.history.versions[0]?.version).toBe(next);
      },
    ],
    [
      "a new discussion on the page",
      async () => {
        const title = unique("Thread");
        await db.discussionThread.create({
          data: { workspaceId, pageId, title, createdById: editor.id },
        });
        return (v) => expect(v.page.threads.map((t) => t.title)).toContain(title);
      },
    ],
    [
      "a comment",
      async () => {
        const thread = await db.discussionThread.findFirstOrThrow({
          where: { pageId, title: "Run 2" },
        });
        const body = unique("Agreed");
        await db.comment.create({
          data: { threadId: thread.id, workspaceId, authorId: viewer.id, body },
        });
        return (v) =>
          expect(
            v.page.threads.find((t) => t.id === thread.id)?.comments.map((c) => c.html),
          ).toContainEqual(expect.stringContaining(body));
      },
    ],
    [
      "a person's name",
      async () => {
        const name = unique("Edgar Editor-Smith");
        await db.user.update({ where: { id: editor.id }, data: { displayName: name } });
        return (v) => {
          expect(v.home.members.find((m) => m.user.id === editor.id)?.user.displayName).toBe(name);
          expect(v.home.tasks.map((t) => t.assignee?.displayName)).toContain(name);
          expect(v.history.versions.map((x) => x.authorName)).toContain(name);
        };
      },
    ],
    [
      "a person's address",
      async () => {
        const email = uniqueEmail("edgar.moved");
        await db.user.update({ where: { id: editor.id }, data: { email } });
        return (v) =>
          expect(v.home.members.find((m) => m.user.id === editor.id)?.user.email).toBe(email);
      },
    ],
    [
      "a person's institute",
      async () => {
        const { instituteId } = await db.user.findUniqueOrThrow({ where: { id: viewer.id } });
        const to = instituteId === w.jp.id ? w.uk.id : w.jp.id;
        await db.user.update({ where: { id: viewer.id }, data: { instituteId: to } });
        return (v) =>
          expect(v.home.members.find((m) => m.user.id === viewer.id)?.user.institute.id).toBe(to);
      },
    ],
    [
      "an institute's code",
      async () => {
        const { instituteId } = await db.user.findUniqueOrThrow({ where: { id: editor.id } });
        const { code } = await db.institute.findUniqueOrThrow({ where: { id: instituteId } });
        const to = code.endsWith("-X") ? code.slice(0, -2) : `${code}-X`;
        await db.institute.update({ where: { id: instituteId }, data: { code: to } });
        return (v) =>
          expect(v.home.members.find((m) => m.user.id === editor.id)?.user.institute.code).toBe(to);
      },
    ],
    [
      "the workspace's purpose",
      async () => {
        const purpose = unique("A narrower purpose");
        await db.workspace.update({ where: { id: workspaceId }, data: { purpose } });
        return (v) => expect(v.home.purpose).toBe(purpose);
      },
    ],
  ];

  test.each(changes)("%s", async (_what, change) => {
    const cache = new WorkspaceContentCache(100);
    await views(cache);
    await views(cache, viewer);
    const was = await version();
    const check = await change();
    expect(await version()).toBeGreaterThan(was);
    check(await views(cache));
    check(await views(cache, viewer));
  });

  test("a change through the services, made by another process, is seen by this one", async () => {
    const processA = new WorkspaceContentCache(100);
    const processB = new WorkspaceContentCache(100);
    const before = await views(processA);
    await views(processB);
    const title = unique("Check grader agreement");
    // Process B's request: a new task (its activity entry and the workspace's touch go with it).
    must(await createTask(owner, workspaceId, { title, assigneeId: "", dueOn: "" }));
    await views(processB);
    const after = await views(processA);
    expect(after.home.tasks.map((t) => t.title)).toContain(title);
    expect(after.home.activity[0]?.summary).toContain(title);
    expect(after.home.activity).not.toEqual(before.home.activity);
    expect(after).toEqual(await views(processB));
  });

  test("a write made with SQL, outside the app (a script, another program), is seen", async () => {
    const cache = new WorkspaceContentCache(100);
    await views(cache);
    const body = unique("Written by a script");
    await db.$executeRaw`UPDATE "WorkspacePage" SET "body" = ${body} WHERE "id" = ${pageId}`;
    expect((await views(cache)).page.page.html).toContain(body);
    const renamed = unique("Olive Owner-Script");
    await db.$executeRaw`UPDATE "User" SET "displayName" = ${renamed} WHERE "id" = ${owner.id}`;
    const seen = await views(cache);
    expect(seen.home.members.find((m) => m.user.id === owner.id)?.user.displayName).toBe(renamed);
    expect(seen.page.threads.find((t) => t.title === "Run 2")?.createdByName).toBe(renamed);
  });

  test("a renamed workspace shows its new name and purpose", async () => {
    const cache = new WorkspaceContentCache(100);
    await views(cache);
    const name = unique("Renamed workspace");
    await db.workspace.update({ where: { id: workspaceId }, data: { name, purpose: name } });
    expect((await getWorkspaceFrame(owner, workspaceId)).name).toBe(name);
    expect((await views(cache)).home.purpose).toBe(name);
  });

  test("a page deleted is a 404 on its next view", async () => {
    const { pageId: doomed } = must(
      await createPage(owner, workspaceId, { title: "Doomed", body: "Soon gone." }),
    );
    const cache = new WorkspaceContentCache(100);
    await getPage(owner, workspaceId, doomed, { cache });
    await db.workspacePage.delete({ where: { id: doomed } });
    const refused = await getPage(owner, workspaceId, doomed, { cache }).catch((e: unknown) => e);
    expect((refused as Response).status).toBe(404);
  });
});

describe("the version", () => {
  test("one transaction raises it once however many rows it writes", async () => {
    const given = await lastGiven();
    await db.$transaction([
      db.workspaceActivity.createMany({
        data: [1, 2, 3].map((n) => ({ workspaceId, kind: "test", summary: `bulk ${n}` })),
      }),
      db.workspaceTask.updateMany({ where: { workspaceId }, data: { version: { increment: 1 } } }),
      db.workspace.update({ where: { id: workspaceId }, data: { purpose: "Bulk purpose" } }),
    ]);
    // One number taken from the sequence, and it is the workspace's version.
    expect(await version()).toBe(given + 1n);
    expect(await lastGiven()).toBe(given + 1n);
  });

  test("one transaction that changes two workspaces raises both", async () => {
    const other = await newWorkspace();
    const given = await lastGiven();
    await db.$transaction([
      db.workspaceActivity.create({ data: { workspaceId: other, kind: "test", summary: "b" } }),
      db.workspaceActivity.create({ data: { workspaceId, kind: "test", summary: "a" } }),
      db.workspaceActivity.create({ data: { workspaceId: other, kind: "test", summary: "b" } }),
    ]);
    expect(await lastGiven()).toBe(given + 2n);
    const raised = [await version(), await version(other)];
    expect(raised.sort()).toEqual([given + 1n, given + 2n]);
  });

  test("workspaces whose ids end alike are each raised", async () => {
    const id = await newWorkspace();
    const longer = `x${id}`;
    await db.workspace.create({ data: { id: longer, name: "Longer id", createdById: owner.id } });
    const given = await lastGiven();
    await db.$transaction([
      db.workspaceActivity.create({ data: { workspaceId: longer, kind: "test", summary: "a" } }),
      db.workspaceActivity.create({ data: { workspaceId: id, kind: "test", summary: "b" } }),
    ]);
    expect(await version(longer)).toBeGreaterThan(given);
    expect(await version(id)).toBeGreaterThan(given);
  });

  test("a rolled-back change raises nothing; a later change in a new transaction does", async () => {
    const was = await version();
    await expect(
      db.$transaction(async (tx) => {
        await tx.workspaceActivity.create({ data: { workspaceId, kind: "test", summary: "no" } });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await version()).toBe(was);
    await db.workspaceActivity.create({ data: { workspaceId, kind: "test", summary: "yes" } });
    expect(await version()).toBeGreaterThan(was);
  });

  test("sign-ins, a job title, an unchanged name, the workspace's touch and invitations leave it alone", async () => {
    const invitee = await person(w.uk.id, unique("Ivy Invitee"));
    const { displayName } = await db.user.findUniqueOrThrow({ where: { id: editor.id } });
    const given = await lastGiven();
    await db.user.update({ where: { id: editor.id }, data: { jobTitle: "Research scientist" } });
    await db.user.update({ where: { id: editor.id }, data: { displayName } });
    await db.session.deleteMany({ where: { userId: editor.id } });
    await db.workspace.update({ where: { id: workspaceId }, data: { updatedAt: clock.now() } });
    await db.workspaceInvitation.create({
      data: { workspaceId, inviteeId: invitee.id, role: "VIEWER", invitedById: owner.id },
    });
    expect(await lastGiven()).toBe(given);
  });

  test("a new workspace starts above every version given before", async () => {
    const before = await version();
    const id = await newWorkspace();
    // createWorkspace logs activity in its transaction, so it has been raised once already.
    expect(await version(id)).toBeGreaterThan(before);
  });
});

describe("who is served a cached view", () => {
  const refusedAll = async (cache: WorkspaceContentCache, who: Actor, id = workspaceId) => {
    for (const view of [
      () => getWorkspaceHome(who, id, { cache }),
      () => getPage(who, id, pageId, { cache }),
      () => getPageHistory(who, id, pageId, { from: 0, to: 0 }, { cache }),
    ]) {
      const refused = await view().catch((e: unknown) => e);
      expect(refused, "a cached view was served").toBeInstanceOf(Response);
      expect((refused as Response).status).toBe(404);
    }
  };

  test("someone who is not a member gets 404, with everything cached", async () => {
    const cache = new WorkspaceContentCache(100);
    await views(cache);
    for (const who of [w.usStaff, w.jpStaff, w.admin, w.hostHr]) await refusedAll(cache, who);
  });

  test("a member removed gets 404 at once, though their own views are cached", async () => {
    const leaver = await person(w.uk.id, unique("Rory Removed"));
    await join(workspaceId, leaver, "EDITOR");
    const cache = new WorkspaceContentCache(100);
    await views(cache, leaver);
    must(await removeMember(owner, workspaceId, leaver.id));
    await refusedAll(cache, leaver);
  });

  test("a member whose institute the label no longer admits gets 404, cached or not", async () => {
    const restricted = await newWorkspace(w.us.id);
    const mover = await person(w.us.id, unique("Mo Mover"));
    await join(restricted, mover, "EDITOR");
    const { pageId: restrictedPage } = must(
      await createPage(owner, restricted, { title: "US only", body: "Internal." }),
    );
    const cache = new WorkspaceContentCache(100);
    await getWorkspaceHome(mover, restricted, { cache });
    await getPage(mover, restricted, restrictedPage, { cache });
    await db.user.update({ where: { id: mover.id }, data: { instituteId: w.uk.id } });
    const moved = { ...mover, instituteId: w.uk.id };
    for (const view of [
      () => getWorkspaceHome(moved, restricted, { cache }),
      () => getPage(moved, restricted, restrictedPage, { cache }),
    ]) {
      const refused = await view().catch((e: unknown) => e);
      expect((refused as Response).status).toBe(404);
    }
  });

  test("a role lowered shows at once, with the content still cached", async () => {
    const member = await person(w.uk.id, unique("Rhea Role"));
    await join(workspaceId, member, "EDITOR");
    const cache = new WorkspaceContentCache(100);
    expect((await views(cache, member)).page.role).toBe("EDITOR");
    must(await setMemberRole(owner, workspaceId, member.id, "VIEWER"));
    const after = await views(cache, member);
    expect([after.home.role, after.page.role]).toEqual(["VIEWER", "VIEWER"]);
  });
});
