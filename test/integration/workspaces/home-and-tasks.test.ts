import { describe, expect, test } from "vitest";
import { dayAfter } from "#test/support/clock";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { registerFindings } from "~/modules/workspaces/registrations.server";
import { createTask, listMyTasks, moveTask } from "~/modules/workspaces/tasks.server";
import { getWorkspaceHome } from "~/modules/workspaces/workspaces.server";
import { getActivity } from "~/modules/workspaces/activity.server";
import { removeMember } from "~/modules/workspaces/members.server";
import {
  FORBIDDEN,
  join,
  movedTo,
  newWorkspace,
  page,
  person,
  setUpWorkspacesWorld,
  unique,
  w,
} from "#test/support/workspaces-world";

setUpWorkspacesWorld();

describe("the workspace home and its activity feed", () => {
  test("the home shows the purpose, members, newest activity first, open tasks and registrations", async () => {
    const ws = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, ws, w.ukStaff, "EDITOR");
    const pageId = await page(w.ukStaff, ws, "Plan", "First plan.");
    expect(
      (
        await createTask(w.usStaff, ws, {
          title: "Book the range",
          assigneeId: w.ukStaff.id,
          dueOn: dayAfter(56),
        })
      ).ok,
    ).toBe(true);
    expect(
      (await createTask(w.usStaff, ws, { title: "Already done", assigneeId: "", dueOn: "" })).ok,
    ).toBe(true);
    const done = await db.workspaceTask.findFirstOrThrow({
      where: { workspaceId: ws, title: "Already done" },
    });
    expect(
      (await moveTask(w.usStaff, ws, { taskId: done.id, status: "DONE", version: 0 })).ok,
    ).toBe(true);
    const registered = await registerFindings(w.usStaff, ws, {
      title: "Interim",
      pageIds: [pageId],
    });
    if (!registered.ok) throw new Error("registration");

    const home = await getWorkspaceHome(w.ukStaff, ws);
    expect(home.purpose).toBe("Joint evaluation of a frontier model");
    expect(home.role).toBe("EDITOR");
    expect(home.members.map((m) => [m.user.id, m.role])).toEqual([
      [w.usStaff.id, "OWNER"],
      [w.ukStaff.id, "EDITOR"],
    ]);
    // Open tasks only, with the assignee.
    expect(home.tasks.map((t) => [t.title, t.assignee?.displayName])).toEqual([
      ["Book the range", "Ursula Staff"],
    ]);
    expect(home.registrations).toEqual([
      expect.objectContaining({
        id: registered.registrationId,
        contentHash: registered.contentHash,
      }),
    ]);
    // Activity, newest first, naming who did what.
    const summaries = home.activity.map((a) => `${a.actorName} ${a.summary}`);
    expect(summaries.slice(0, 5)).toEqual([
      "Ulysses Staff registered “Interim” (1 page)",
      "Ulysses Staff marked “Already done” done",
      "Ulysses Staff added the task “Already done”",
      "Ulysses Staff added the task “Book the range”",
      "Ursula Staff created the page “Plan”",
    ]);
    const feed = await getActivity(w.ukStaff, ws);
    expect(feed.activity.map((a) => a.summary)).toEqual(home.activity.map((a) => a.summary));
    expect(feed.activity.at(-1)?.summary).toBe("created the workspace");
  });
});

// --- tasks ------------------------------------------------------------------------------------------

describe("tasks", () => {
  test("the assignee must be a member; nothing is written otherwise", async () => {
    const id = await newWorkspace(w.ukStaff, "JOINT");
    const before = await db.workspaceTask.count({ where: { workspaceId: id } });
    for (const assignee of [w.jpStaff, w.usStaff])
      expect(
        await createTask(w.ukStaff, id, { title: "Triage", assigneeId: assignee.id, dueOn: "" }),
      ).toEqual({
        ok: false,
        errors: { assigneeId: ["Assign the task to a member of this workspace"] },
      });
    expect(await db.workspaceTask.count({ where: { workspaceId: id } })).toBe(before);
  });

  test("a viewer moves their own task but no one else's; a stale move is a conflict", async () => {
    const id = await newWorkspace(w.ukStaff, "JOINT");
    await join(w.ukStaff, id, w.jpStaff, "VIEWER");
    await createTask(w.ukStaff, id, { title: "Mine", assigneeId: w.jpStaff.id, dueOn: "" });
    await createTask(w.ukStaff, id, { title: "Theirs", assigneeId: w.ukStaff.id, dueOn: "" });
    const mine = await db.workspaceTask.findFirstOrThrow({
      where: { workspaceId: id, title: "Mine" },
    });
    const theirs = await db.workspaceTask.findFirstOrThrow({
      where: { workspaceId: id, title: "Theirs" },
    });
    expect(
      await moveTask(w.jpStaff, id, { taskId: mine.id, status: "IN_PROGRESS", version: 0 }),
    ).toEqual({ ok: true });
    await expect(
      moveTask(w.jpStaff, id, { taskId: theirs.id, status: "DONE", version: 0 }),
    ).rejects.toSatisfy(FORBIDDEN);
    expect(
      await moveTask(w.ukStaff, id, { taskId: mine.id, status: "DONE", version: 0 }),
    ).toMatchObject({ ok: false, conflict: true });
    expect((await db.workspaceTask.findUniqueOrThrow({ where: { id: mine.id } })).status).toBe(
      "IN_PROGRESS",
    );
    expect((await db.workspaceTask.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe(
      "OPEN",
    );
  });

  test("my tasks spans workspaces, but only those I can still see", async () => {
    const me = await person(w.us.id, "Tess Tasks");
    const joint = await newWorkspace(w.usStaff, "JOINT");
    const usOnly = await newWorkspace(w.usStaff, w.us.id);
    const left = await newWorkspace(w.usStaff, "JOINT");
    const notMine = await newWorkspace(w.usStaff, "JOINT");
    for (const ws of [joint, usOnly, left]) await join(w.usStaff, ws, me, "EDITOR");
    for (const ws of [joint, usOnly, left])
      await createTask(w.usStaff, ws, {
        title: unique("Task for Tess"),
        assigneeId: me.id,
        dueOn: "",
      });
    await createTask(w.usStaff, notMine, {
      title: "Someone else's",
      assigneeId: w.usStaff.id,
      dueOn: "",
    });
    const wsOf = async (actor: Actor) =>
      (await listMyTasks(actor)).map((t) => t.workspace.id).sort();
    expect(await wsOf(me)).toEqual([joint, usOnly, left].sort());

    expect((await removeMember(me, left, me.id)).ok).toBe(true);
    expect(await wsOf(me)).toEqual([joint, usOnly].sort());
    // The task is still assigned in the database, yet hidden once the label excludes me.
    const moved = await movedTo(me, w.uk.id);
    expect(await wsOf(moved)).toEqual([joint]);
    expect(await db.workspaceTask.count({ where: { assigneeId: me.id } })).toBe(3);
  });
});
