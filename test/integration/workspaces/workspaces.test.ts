import { beforeAll, describe, expect, test } from "vitest";
import { ensureUser, uniqueEmail } from "#test/factories";
import { must } from "#test/factories/results";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { exeBytes, pdfBytes } from "#test/factories/postings";
import { dayAfter, daysAfter, midnightAfter } from "#test/support/clock";
import type { ProtectiveMarking, WorkspaceRole } from "~/generated/prisma/enums";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import { newRequestScope, runInRequestScope } from "~/lib/request-scope.server";
import { DiffSchema } from "~/modules/workspaces/schema";
import type { Actor } from "~/lib/permissions";
import { moveChecklistItem, movePlacement } from "~/modules/placements/placements.server";
import {
  addComment,
  createPage,
  createTask,
  createThread,
  downloadFile,
  getPage,
  getPageForEdit,
  getPageHistory,
  getRegistration,
  getRegistrations,
  getThread,
  listFiles,
  listMyTasks,
  listPages,
  listTasks,
  listThreads,
  moveTask,
  registerFindings,
  registrationHash,
  savePage,
  searchWorkspace,
  uploadFile,
} from "~/modules/workspaces/content.server";
import {
  answerInvitation,
  cancelInvitation,
  createWorkspace,
  getActivity,
  getMembersPage,
  getWorkspaceFrame,
  getWorkspaceHome,
  inviteMember,
  linkPlacementWorkspace,
  listMyWorkspaces,
  placementWorkspaces,
  removeMember,
  setMemberRole,
  updateWorkspaceSettings,
} from "~/modules/workspaces/workspaces.server";
import {
  advance,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";

let w: World;

beforeAll(async () => {
  w = await createPipelineWorld();
  await ensureChecklistTemplate(db, {
    hostInstituteId: w.us.id,
    homeInstituteId: w.uk.id,
    name: "Incoming from the UK",
    items: US_HOST_CHECKLIST,
  });
});

// --- helpers ------------------------------------------------------------------------------------

const isStatus = (status: number) => (r: unknown) => r instanceof Response && r.status === status;
const NOT_FOUND = isStatus(404);
const FORBIDDEN = isStatus(403);

let seq = 0;
const unique = (what: string) => `${what} ${++seq}`;

/** A new person of the institute, for tests that change who they are. */
async function person(instituteId: string, name: string): Promise<Actor> {
  const u = await ensureUser(db, {
    email: uniqueEmail(name.toLowerCase().replace(/\W+/g, ".")),
    displayName: name,
    instituteId,
  });
  return { id: u.id, email: u.email, roles: u.roles, instituteId: u.instituteId };
}

/** The actor as the next request would see them, after their institute changed in the database. */
async function movedTo(actor: Actor, instituteId: string): Promise<Actor> {
  await db.user.update({ where: { id: actor.id }, data: { instituteId } });
  return { ...actor, instituteId };
}

async function newWorkspace(
  owner: Actor,
  label: string,
  marking: ProtectiveMarking = "OFFICIAL",
  name = unique("Workspace"),
) {
  const created = await createWorkspace(owner, {
    name,
    purpose: "Joint evaluation of a frontier model",
    label,
    marking,
    template: "GENERAL",
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return created.workspaceId;
}

/** Invites and accepts, through the services. */
async function join(owner: Actor, workspaceId: string, who: Actor, role: WorkspaceRole) {
  const invited = await inviteMember(owner, workspaceId, { email: who.email, role });
  if (!invited.ok) throw new Error(JSON.stringify(invited.errors));
  const invitation = await db.workspaceInvitation.findFirstOrThrow({
    where: { workspaceId, inviteeId: who.id, status: "PENDING" },
  });
  const answered = await answerInvitation(who, invitation.id, "accept");
  if (!answered.ok) throw new Error(JSON.stringify(answered.errors));
}

async function page(actor: Actor, workspaceId: string, title: string, body: string) {
  const created = await createPage(actor, workspaceId, { title, body });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return created.pageId;
}

/** One of everything in a workspace, made by its owner, with a task assigned to `assignee`. */
async function furnish(owner: Actor, workspaceId: string, assignee: Actor = owner) {
  const pageId = await page(owner, workspaceId, "Findings", "The model refused 12 of 40 prompts.");
  const uploaded = await uploadFile(owner, workspaceId, {
    name: "results.pdf",
    bytes: pdfBytes("results"),
  });
  if (!uploaded.ok) throw new Error(JSON.stringify(uploaded.errors));
  const thread = await createThread(owner, workspaceId, {
    title: "Run 2",
    body: "Shall we rerun with a higher temperature?",
    pageId,
  });
  if (!thread.ok) throw new Error(JSON.stringify(thread.errors));
  const taskTitle = unique("Collate transcripts");
  const task = await createTask(owner, workspaceId, {
    title: taskTitle,
    assigneeId: assignee.id,
    dueOn: dayAfter(120),
  });
  if (!task.ok) throw new Error(JSON.stringify(task.errors));
  const taskId = (
    await db.workspaceTask.findFirstOrThrow({ where: { workspaceId, title: taskTitle } })
  ).id;
  const registered = await registerFindings(owner, workspaceId, {
    title: "Round 1",
    pageIds: [pageId],
  });
  if (!registered.ok) throw new Error(JSON.stringify(registered.errors));
  return {
    pageId,
    fileId: uploaded.fileId,
    threadId: thread.threadId,
    taskId,
    registrationId: registered.registrationId,
  };
}

type Furnished = Awaited<ReturnType<typeof furnish>>;

/** Every way into a workspace's content; each must refuse an outsider with a 404. */
function everyWayIn(actor: Actor, workspaceId: string, c: Furnished) {
  return {
    getWorkspaceFrame: () => getWorkspaceFrame(actor, workspaceId),
    getWorkspaceHome: () => getWorkspaceHome(actor, workspaceId),
    getActivity: () => getActivity(actor, workspaceId),
    getMembersPage: () => getMembersPage(actor, workspaceId),
    listPages: () => listPages(actor, workspaceId),
    getPage: () => getPage(actor, workspaceId, c.pageId),
    getPageForEdit: () => getPageForEdit(actor, workspaceId, c.pageId),
    getPageHistory: () => getPageHistory(actor, workspaceId, c.pageId, { from: 0, to: 0 }),
    savePage: () =>
      savePage(actor, workspaceId, c.pageId, { title: "Findings", body: "Mine", baseVersion: 1 }),
    createPage: () => createPage(actor, workspaceId, { title: "Mine", body: "x" }),
    listFiles: () => listFiles(actor, workspaceId),
    downloadFile: () => downloadFile(actor, workspaceId, c.fileId, 1),
    uploadFile: () => uploadFile(actor, workspaceId, { name: "x.pdf", bytes: pdfBytes() }),
    listThreads: () => listThreads(actor, workspaceId),
    getThread: () => getThread(actor, workspaceId, c.threadId),
    createThread: () => createThread(actor, workspaceId, { title: "Hi", body: "Hi", pageId: "" }),
    addComment: () => addComment(actor, workspaceId, c.threadId, "Hello"),
    listTasks: () => listTasks(actor, workspaceId),
    createTask: () => createTask(actor, workspaceId, { title: "T", assigneeId: "", dueOn: "" }),
    moveTask: () => moveTask(actor, workspaceId, { taskId: c.taskId, status: "DONE", version: 0 }),
    getRegistrations: () => getRegistrations(actor, workspaceId),
    getRegistration: () => getRegistration(actor, workspaceId, c.registrationId),
    registerFindings: () =>
      registerFindings(actor, workspaceId, { title: "Mine", pageIds: [c.pageId] }),
    searchWorkspace: () => searchWorkspace(actor, workspaceId, "refused"),
    inviteMember: () => inviteMember(actor, workspaceId, { email: actor.email, role: "OWNER" }),
    removeMember: () => removeMember(actor, workspaceId, actor.id),
    updateWorkspaceSettings: () =>
      updateWorkspaceSettings(actor, workspaceId, {
        name: "Taken",
        purpose: "Taken",
        label: "JOINT",
        marking: "OFFICIAL",
        version: 0,
      }),
  };
}

async function expectShutOut(actor: Actor, workspaceId: string, c: Furnished) {
  for (const [name, call] of Object.entries(everyWayIn(actor, workspaceId, c)))
    await expect(call(), name).rejects.toSatisfy(NOT_FOUND);
  const mine = await listMyWorkspaces(actor);
  expect(mine.workspaces.map((x) => x.id)).not.toContain(workspaceId);
  expect((await listMyTasks(actor)).map((t) => t.workspace.id)).not.toContain(workspaceId);
}

/** What an outsider's attempts must not have left behind. */
async function contentCounts(workspaceId: string) {
  return {
    pages: await db.workspacePage.count({ where: { workspaceId } }),
    versions: await db.pageVersion.count({ where: { page: { workspaceId } } }),
    files: await db.workspaceFileVersion.count({ where: { file: { workspaceId } } }),
    comments: await db.comment.count({ where: { workspaceId } }),
    tasks: await db.workspaceTask.count({ where: { workspaceId } }),
    doneTasks: await db.workspaceTask.count({ where: { workspaceId, status: "DONE" } }),
    registrations: await db.findingsRegistration.count({ where: { workspaceId } }),
    members: await db.workspaceMember.count({ where: { workspaceId } }),
    invitations: await db.workspaceInvitation.count({ where: { workspaceId } }),
    downloads: await db.auditEvent.count({
      where: {
        action: "workspace.file_downloaded",
        details: { path: ["workspaceId"], equals: workspaceId },
      },
    }),
    name: (await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } })).name,
  };
}

// --- labels ---------------------------------------------------------------------------------------

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

describe("the handling label is enforced by every service", () => {
  const cases = [
    {
      label: "JOINT",
      owner: () => w.usStaff,
      insider: () => w.ukStaff,
      label_: () => "JOINT",
      // Nobody is excluded by JOINT; non-members of each institute, and an admin, stay out.
      outsiders: () => [w.reviewer, w.manager, w.jpStaff, w.admin, w.hostHr],
    },
    {
      label: "US-ONLY",
      owner: () => w.usStaff,
      insider: () => w.reviewer2,
      label_: () => w.us.id,
      outsiders: () => [w.ukStaff, w.homeHr, w.jpStaff, w.reviewer, w.admin],
    },
    {
      label: "UK-ONLY",
      owner: () => w.ukStaff,
      insider: () => w.manager,
      label_: () => w.uk.id,
      outsiders: () => [w.usStaff, w.hostHr, w.admin, w.jpStaff, w.applicant],
    },
  ];

  for (const c of cases)
    test(`${c.label}: non-members and excluded institutes get 404 everywhere and see nothing listed`, async () => {
      const owner = c.owner();
      const id = await newWorkspace(owner, c.label_());
      await join(owner, id, c.insider(), "EDITOR");
      const content = await furnish(owner, id, c.insider());
      // The members can see it (so the 404s below are about who asks, not a broken workspace).
      expect((await getWorkspaceFrame(c.insider(), id)).role).toBe("EDITOR");
      expect((await listMyTasks(c.insider())).map((t) => t.id)).toContain(content.taskId);
      const before = await contentCounts(id);
      for (const outsider of c.outsiders()) await expectShutOut(outsider, id, content);
      expect(await contentCounts(id)).toEqual(before);
    });

  test("the label is named everywhere, and a membership row across it grants nothing", async () => {
    const id = await newWorkspace(w.usStaff, w.us.id);
    expect((await listMyWorkspaces(w.usStaff)).workspaces.find((x) => x.id === id)?.label).toBe(
      "US-AISI-ONLY",
    );
    expect((await getWorkspaceFrame(w.usStaff, id)).label).toBe("US-AISI-ONLY");
    // Even a membership row that should never exist grants nothing across the label.
    await db.workspaceMember.create({
      data: { workspaceId: id, userId: w.ukStaff.id, role: "OWNER" },
    });
    await expect(getWorkspaceFrame(w.ukStaff, id)).rejects.toSatisfy(NOT_FOUND);
    expect((await listMyWorkspaces(w.ukStaff)).workspaces.map((x) => x.id)).not.toContain(id);
  });

  test("a member whose institute the label no longer admits loses access; JOINT is kept", async () => {
    const mover = await person(w.us.id, "Morgan Mover");
    const usOnly = await newWorkspace(w.usStaff, w.us.id);
    const joint = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, usOnly, mover, "OWNER");
    await join(w.usStaff, joint, mover, "EDITOR");
    const content = await furnish(w.usStaff, usOnly, mover);
    const jointTask = await createTask(w.usStaff, joint, {
      title: "Joint task for the mover",
      assigneeId: mover.id,
      dueOn: "",
    });
    expect(jointTask.ok).toBe(true);
    expect((await getWorkspaceFrame(mover, usOnly)).role).toBe("OWNER");
    expect((await listMyTasks(mover)).map((t) => t.workspace.id).sort()).toEqual(
      [usOnly, joint].sort(),
    );

    const moved = await movedTo(mover, w.uk.id);
    await expectShutOut(moved, usOnly, content);
    expect((await getWorkspaceFrame(moved, joint)).role).toBe("EDITOR");
    expect((await listMyWorkspaces(moved)).workspaces.map((x) => x.id)).toEqual([joint]);
    expect((await listMyTasks(moved)).map((t) => t.workspace.id)).toEqual([joint]);
  });

  test("a UK-ONLY member moved to the US loses access too", async () => {
    const mover = await person(w.uk.id, "Riley Relocated");
    const ukOnly = await newWorkspace(w.ukStaff, w.uk.id);
    await join(w.ukStaff, ukOnly, mover, "VIEWER");
    const content = await furnish(w.ukStaff, ukOnly, mover);
    expect((await getPage(mover, ukOnly, content.pageId)).page.body).toContain("refused");
    await expectShutOut(await movedTo(mover, w.us.id), ukOnly, content);
  });

  test("a pending invitation disappears, and cannot be accepted, once the label excludes the invitee", async () => {
    const invitee = await person(w.us.id, "Ingrid Invitee");
    const id = await newWorkspace(w.usStaff, w.us.id);
    expect((await inviteMember(w.usStaff, id, { email: invitee.email, role: "EDITOR" })).ok).toBe(
      true,
    );
    const invitation = await db.workspaceInvitation.findFirstOrThrow({
      where: { workspaceId: id, inviteeId: invitee.id },
    });
    expect((await listMyWorkspaces(invitee)).invitations.map((i) => i.id)).toEqual([invitation.id]);
    const moved = await movedTo(invitee, w.uk.id);
    expect((await listMyWorkspaces(moved)).invitations).toEqual([]);
    await expect(answerInvitation(moved, invitation.id, "accept")).rejects.toSatisfy(NOT_FOUND);
    expect(await db.workspaceMember.count({ where: { workspaceId: id, userId: invitee.id } })).toBe(
      0,
    );
  });

  test("a workspace can only be labelled JOINT or with the creator's own institute", async () => {
    const before = await db.workspace.count();
    expect(
      await createWorkspace(w.usStaff, {
        name: "UK-only by a US person",
        purpose: "x",
        label: w.uk.id,
        marking: "OFFICIAL",
        template: "GENERAL",
      }),
    ).toEqual({
      ok: false,
      errors: { label: ["Choose JOINT or your own institute: you must be able to see it"] },
    });
    expect(await db.workspace.count()).toBe(before);
  });
});

// --- invitations ------------------------------------------------------------------------------

describe("inviting members", () => {
  async function sideEffects(workspaceId: string) {
    return {
      invitations: await db.workspaceInvitation.count({ where: { workspaceId } }),
      outbox: await db.outboxEmail.count(),
      members: await db.workspaceMember.count({ where: { workspaceId } }),
      audit: await db.auditEvent.count({ where: { targetId: workspaceId } }),
    };
  }

  test("staff of an institute the label excludes are refused on the email field; nothing is written", async () => {
    const id = await newWorkspace(w.usStaff, w.us.id);
    const before = await sideEffects(id);
    expect(await inviteMember(w.usStaff, id, { email: w.ukStaff.email, role: "EDITOR" })).toEqual({
      ok: false,
      errors: {
        email: ["This workspace is US-AISI-ONLY: staff of other institutes cannot be invited"],
      },
    });
    expect(await inviteMember(w.usStaff, id, { email: w.jpStaff.email, role: "VIEWER" })).toEqual({
      ok: false,
      errors: {
        email: ["This workspace is US-AISI-ONLY: staff of other institutes cannot be invited"],
      },
    });
    expect(await sideEffects(id)).toEqual(before);
  });

  test("an unknown or deactivated address is refused without saying more", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    const gone = await ensureUser(db, {
      email: uniqueEmail("gone"),
      displayName: "Gone Person",
      instituteId: w.us.id,
      deactivated: true,
    });
    const before = await sideEffects(id);
    for (const email of ["nobody@nowhere.example", gone.email])
      expect(await inviteMember(w.usStaff, id, { email, role: "EDITOR" })).toEqual({
        ok: false,
        errors: { email: ["Nobody with an active portal account has that address"] },
      });
    expect(await sideEffects(id)).toEqual(before);
  });

  test("an invitation is emailed; accepting makes a member with the invited role", async () => {
    const name = unique("Invited to");
    const id = await newWorkspace(w.usStaff, "JOINT", "OFFICIAL", name);
    const emails = await db.outboxEmail.count({
      where: { to: w.jpStaff.email, template: "workspace-invitation" },
    });
    expect((await inviteMember(w.usStaff, id, { email: w.jpStaff.email, role: "VIEWER" })).ok).toBe(
      true,
    );
    expect(
      await db.outboxEmail.count({
        where: { to: w.jpStaff.email, template: "workspace-invitation" },
      }),
    ).toBe(emails + 1);
    // Not a member yet: the workspace stays hidden until the invitation is accepted.
    await expect(getWorkspaceFrame(w.jpStaff, id)).rejects.toSatisfy(NOT_FOUND);
    const mine = await listMyWorkspaces(w.jpStaff);
    const invitation = mine.invitations.find((i) => i.workspaceName === name)!;
    expect(invitation).toMatchObject({ role: "VIEWER", label: "JOINT", marking: "OFFICIAL" });
    expect(mine.workspaces.map((x) => x.id)).not.toContain(id);

    // Someone else cannot answer it.
    await expect(answerInvitation(w.ukStaff, invitation.id, "accept")).rejects.toSatisfy(NOT_FOUND);
    expect(await answerInvitation(w.jpStaff, invitation.id, "accept")).toEqual({
      ok: true,
      workspaceId: id,
    });
    expect((await getWorkspaceFrame(w.jpStaff, id)).role).toBe("VIEWER");
    expect((await listMyWorkspaces(w.jpStaff)).workspaces.map((x) => x.id)).toContain(id);
    expect(await answerInvitation(w.jpStaff, invitation.id, "decline")).toEqual({
      ok: false,
      errors: { "": ["This invitation has already been answered or withdrawn."] },
    });
    expect(await inviteMember(w.usStaff, id, { email: w.jpStaff.email, role: "OWNER" })).toEqual({
      ok: false,
      errors: { email: ["Jun Staff is already a member"] },
    });
    expect(
      await db.auditEvent.count({ where: { action: "workspace.member_joined", targetId: id } }),
    ).toBe(1);
  });

  test("a withdrawn invitation cannot be accepted; only owners invite", async () => {
    const id = await newWorkspace(w.ukStaff, "JOINT");
    await join(w.ukStaff, id, w.manager, "EDITOR");
    await expect(
      inviteMember(w.manager, id, { email: w.applicant.email, role: "OWNER" }),
    ).rejects.toSatisfy(FORBIDDEN);
    expect(
      (await inviteMember(w.ukStaff, id, { email: w.applicant.email, role: "EDITOR" })).ok,
    ).toBe(true);
    expect(await inviteMember(w.ukStaff, id, { email: w.applicant.email, role: "EDITOR" })).toEqual(
      {
        ok: false,
        errors: { email: ["Amir Applicant has already been invited"] },
      },
    );
    const invitation = await db.workspaceInvitation.findFirstOrThrow({
      where: { workspaceId: id, inviteeId: w.applicant.id },
    });
    expect((await cancelInvitation(w.ukStaff, id, invitation.id)).ok).toBe(true);
    expect(await answerInvitation(w.applicant, invitation.id, "accept")).toEqual({
      ok: false,
      errors: { "": ["This invitation has already been answered or withdrawn."] },
    });
    await expect(getWorkspaceFrame(w.applicant, id)).rejects.toSatisfy(NOT_FOUND);
  });
});

// --- settings and the label ------------------------------------------------------------------------

describe("narrowing the label", () => {
  test("JOINT → US-only is refused while a UK member remains, naming them; after removal it succeeds and is audited", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT", "OFFICIAL", unique("Narrowing"));
    await join(w.usStaff, id, w.ukStaff, "EDITOR");
    await join(w.usStaff, id, w.reviewer, "VIEWER");
    expect((await inviteMember(w.usStaff, id, { email: w.jpStaff.email, role: "VIEWER" })).ok).toBe(
      true,
    );
    const settings = (await getMembersPage(w.usStaff, id)).settings;
    const input = { ...settings, name: "Narrowed", label: w.us.id };
    const before = await db.workspace.findUniqueOrThrow({ where: { id } });

    const refused = await updateWorkspaceSettings(w.usStaff, id, input);
    expect(refused.ok).toBe(false);
    const message = (refused as { errors: Record<string, string[]> }).errors.label?.[0] ?? "";
    expect(message).toContain("Ursula Staff (UK-AISI, member)");
    expect(message).toContain("Jun Staff (JP-AISI, invited)");
    expect(message).not.toContain("Rita Reviewer");
    expect(await db.workspace.findUniqueOrThrow({ where: { id } })).toEqual(before);
    expect((await getWorkspaceFrame(w.ukStaff, id)).label).toBe("JOINT");
    expect(
      await db.auditEvent.count({ where: { action: "workspace.label_changed", targetId: id } }),
    ).toBe(0);

    expect((await removeMember(w.usStaff, id, w.ukStaff.id)).ok).toBe(true);
    const invitation = await db.workspaceInvitation.findFirstOrThrow({
      where: { workspaceId: id, status: "PENDING" },
    });
    expect((await cancelInvitation(w.usStaff, id, invitation.id)).ok).toBe(true);

    expect(await updateWorkspaceSettings(w.usStaff, id, input)).toEqual({ ok: true });
    const after = await db.workspace.findUniqueOrThrow({ where: { id } });
    expect(after).toMatchObject({
      restrictedToInstituteId: w.us.id,
      name: "Narrowed",
      version: before.version + 1,
    });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "workspace.label_changed", targetId: id },
    });
    expect(audit.actorId).toBe(w.usStaff.id);
    expect(audit.details).toEqual({ from: "JOINT", to: "US-AISI-ONLY" });
    expect((await getWorkspaceFrame(w.reviewer, id)).label).toBe("US-AISI-ONLY");

    // Saving again from the old version is a conflict, not a silent overwrite.
    expect(await updateWorkspaceSettings(w.usStaff, id, { ...input, name: "Stale" })).toMatchObject(
      {
        ok: false,
        conflict: true,
      },
    );
    expect((await db.workspace.findUniqueOrThrow({ where: { id } })).name).toBe("Narrowed");
  });

  test("an owner cannot label a workspace for another institute", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    const settings = (await getMembersPage(w.usStaff, id)).settings;
    expect(await updateWorkspaceSettings(w.usStaff, id, { ...settings, label: w.uk.id })).toEqual({
      ok: false,
      errors: { label: ["Choose JOINT or your own institute: you must be able to see it"] },
    });
    expect(
      (await db.workspace.findUniqueOrThrow({ where: { id } })).restrictedToInstituteId,
    ).toBeNull();
  });

  test("editors cannot change settings", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.reviewer, "EDITOR");
    const settings = (await getMembersPage(w.reviewer, id)).settings;
    await expect(
      updateWorkspaceSettings(w.reviewer, id, { ...settings, label: w.us.id }),
    ).rejects.toSatisfy(FORBIDDEN);
  });
});

// --- roles ------------------------------------------------------------------------------------------

describe("members and roles", () => {
  const LAST_OWNER = "A workspace needs at least one owner. Make someone else an owner first.";

  test("the last owner can neither leave nor be demoted", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.reviewer, "EDITOR");
    expect(await removeMember(w.usStaff, id, w.usStaff.id)).toEqual({
      ok: false,
      errors: { "": [LAST_OWNER] },
    });
    expect(await setMemberRole(w.usStaff, id, w.usStaff.id, "EDITOR")).toEqual({
      ok: false,
      errors: { "": [LAST_OWNER] },
    });
    expect((await getWorkspaceFrame(w.usStaff, id)).role).toBe("OWNER");
  });

  test("an owner the label no longer admits does not count as the other owner", async () => {
    const other = await person(w.us.id, "Olive Owner");
    const id = await newWorkspace(w.usStaff, w.us.id);
    await join(w.usStaff, id, other, "OWNER");
    await join(w.usStaff, id, w.reviewer, "EDITOR");
    await movedTo(other, w.uk.id);
    // The other owner can no longer open the workspace, so leaving would leave nobody to run it.
    expect(await removeMember(w.usStaff, id, w.usStaff.id)).toEqual({
      ok: false,
      errors: { "": [LAST_OWNER] },
    });
    expect((await getWorkspaceFrame(w.usStaff, id)).role).toBe("OWNER");
  });

  test("of two owners stepping down at once, exactly one may", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.reviewer, "OWNER");
    const results = await Promise.all([
      setMemberRole(w.usStaff, id, w.usStaff.id, "EDITOR"),
      removeMember(w.reviewer, id, w.reviewer.id),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db.workspaceMember.count({ where: { workspaceId: id, role: "OWNER" } })).toBe(1);
  });

  test("an owner removes an editor, who then cannot find the workspace", async () => {
    const id = await newWorkspace(w.ukStaff, "JOINT");
    await join(w.ukStaff, id, w.usStaff, "EDITOR");
    expect((await removeMember(w.ukStaff, id, w.usStaff.id)).ok).toBe(true);
    await expect(getWorkspaceFrame(w.usStaff, id)).rejects.toSatisfy(NOT_FOUND);
    expect(
      await db.auditEvent.count({ where: { action: "workspace.member_removed", targetId: id } }),
    ).toBe(1);
  });

  test("a viewer reads and comments but cannot edit (403); an editor cannot manage (403)", async () => {
    const id = await newWorkspace(w.ukStaff, "JOINT");
    await join(w.ukStaff, id, w.usStaff, "VIEWER");
    await join(w.ukStaff, id, w.manager, "EDITOR");
    const pageId = await page(w.ukStaff, id, "Plan", "Step one");
    const before = await contentCounts(id);
    for (const call of [
      () => createPage(w.usStaff, id, { title: "Mine", body: "x" }),
      () => savePage(w.usStaff, id, pageId, { title: "Plan", body: "Changed", baseVersion: 1 }),
      () => getPageForEdit(w.usStaff, id, pageId),
      () => uploadFile(w.usStaff, id, { name: "x.pdf", bytes: pdfBytes() }),
      () => createTask(w.usStaff, id, { title: "T", assigneeId: "", dueOn: "" }),
      () => registerFindings(w.usStaff, id, { title: "Mine", pageIds: [pageId] }),
      () => setMemberRole(w.usStaff, id, w.usStaff.id, "OWNER"),
      () => removeMember(w.usStaff, id, w.manager.id),
      () => setMemberRole(w.manager, id, w.manager.id, "OWNER"),
      () => inviteMember(w.manager, id, { email: w.jpStaff.email, role: "VIEWER" }),
    ])
      await expect(call()).rejects.toSatisfy(FORBIDDEN);
    expect(await contentCounts(id)).toEqual(before);
    expect((await getWorkspaceFrame(w.usStaff, id)).role).toBe("VIEWER");
    expect((await getPage(w.usStaff, id, pageId)).page.body).toBe("Step one");
    expect(
      (await createThread(w.usStaff, id, { title: "Question", body: "Why step one?", pageId })).ok,
    ).toBe(true);
    // Anyone may leave.
    expect((await removeMember(w.usStaff, id, w.usStaff.id)).ok).toBe(true);
  });
});

// --- pages ------------------------------------------------------------------------------------------

describe("pages", () => {
  test("a save from a stale version is a conflict carrying the current text; nothing is written", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.ukStaff, "EDITOR");
    const pageId = await page(w.usStaff, id, "Method", "We ran three prompts.");
    expect(
      await savePage(w.ukStaff, id, pageId, {
        title: "Method",
        body: "We ran three prompts.\nEach twice.",
        baseVersion: 1,
      }),
    ).toEqual({ ok: true });
    const versions = await db.pageVersion.count({ where: { pageId } });
    const result = await savePage(w.usStaff, id, pageId, {
      title: "Method",
      body: "We ran four prompts.",
      baseVersion: 1,
    });
    expect(result).toMatchObject({
      ok: false,
      conflict: true,
      current: {
        title: "Method",
        body: "We ran three prompts.\nEach twice.",
        version: 2,
        updatedByName: "Ursula Staff",
      },
    });
    expect(JSON.stringify(result)).toContain("Ursula Staff saved this page (version 2)");
    expect(await db.pageVersion.count({ where: { pageId } })).toBe(versions);
    expect((await getPage(w.usStaff, id, pageId)).page.body).toBe(
      "We ran three prompts.\nEach twice.",
    );
  });

  test("a joint testing workspace starts with the standard pages, each at version 1", async () => {
    const created = await createWorkspace(w.ukStaff, {
      name: unique("Joint test"),
      purpose: "Pre-deployment test",
      label: "JOINT",
      marking: "OFFICIAL_SENSITIVE",
      template: "JOINT_TESTING",
    });
    const id = (created as { workspaceId: string }).workspaceId;
    const pages = (await listPages(w.ukStaff, id)).pages;
    expect(pages.map((p) => p.title).sort()).toEqual(
      ["Findings", "Model access", "Report", "Test plan"].sort(),
    );
    expect(pages.every((p) => p.version === 1)).toBe(true);
    expect(await db.pageVersion.count({ where: { page: { workspaceId: id } } })).toBe(4);
    expect((await getWorkspaceFrame(w.ukStaff, id)).marking).toBe("OFFICIAL-SENSITIVE");
  });

  test("two saves from the same version at once: exactly one is kept", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.ukStaff, "EDITOR");
    const pageId = await page(w.usStaff, id, "Results", "Pending");
    const results = await Promise.all([
      savePage(w.usStaff, id, pageId, { title: "Results", body: "US text", baseVersion: 1 }),
      savePage(w.ukStaff, id, pageId, { title: "Results", body: "UK text", baseVersion: 1 }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && "conflict" in r && r.conflict)).toHaveLength(1);
    const saved = await db.workspacePage.findUniqueOrThrow({ where: { id: pageId } });
    expect(saved.version).toBe(2);
    expect(await db.pageVersion.count({ where: { pageId } })).toBe(2);
    const v2 = await db.pageVersion.findUniqueOrThrow({
      where: { pageId_version: { pageId, version: 2 } },
    });
    expect(v2.body).toBe(saved.body);
  });

  test("history lists every version and shows the difference between two", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.jpStaff, "VIEWER");
    const pageId = await page(w.usStaff, id, "Plan", "alpha\nbeta\ngamma");
    await savePage(w.usStaff, id, pageId, {
      title: "Plan",
      body: "alpha\nBETA\ngamma",
      baseVersion: 1,
    });
    await savePage(w.usStaff, id, pageId, {
      title: "Plan v3",
      body: "alpha\nBETA\ngamma\ndelta",
      baseVersion: 2,
    });
    const history = await getPageHistory(w.jpStaff, id, pageId, { from: 1, to: 2 });
    expect(history.versions.map((v) => [v.version, v.authorName])).toEqual([
      [3, "Ulysses Staff"],
      [2, "Ulysses Staff"],
      [1, "Ulysses Staff"],
    ]);
    expect(history.diff).toEqual([
      { kind: "same", text: "alpha" },
      { kind: "removed", text: "beta" },
      { kind: "added", text: "BETA" },
      { kind: "same", text: "gamma" },
    ]);
    expect(history.titleChange).toBeNull();
    // Default: the last two versions.
    const latest = await getPageHistory(w.jpStaff, id, pageId, { from: 0, to: 0 });
    expect([latest.from, latest.to]).toEqual([2, 3]);
    expect(latest.titleChange).toEqual({ from: "Plan", to: "Plan v3" });
    expect(latest.diff.filter((l) => l.kind !== "same")).toEqual([
      { kind: "added", text: "delta" },
    ]);
  });

  test("a page, file, thread, task or registration of another workspace cannot be reached through one's own", async () => {
    const mine = await newWorkspace(w.jpStaff, "JOINT");
    const theirs = await newWorkspace(w.usStaff, w.us.id);
    const c = await furnish(w.usStaff, theirs);
    const before = await contentCounts(theirs);
    const attempts = {
      getPage: () => getPage(w.jpStaff, mine, c.pageId),
      getPageHistory: () => getPageHistory(w.jpStaff, mine, c.pageId, { from: 1, to: 1 }),
      savePage: () =>
        savePage(w.jpStaff, mine, c.pageId, { title: "Mine", body: "Mine", baseVersion: 1 }),
      downloadFile: () => downloadFile(w.jpStaff, mine, c.fileId, 1),
      getThread: () => getThread(w.jpStaff, mine, c.threadId),
      addComment: () => addComment(w.jpStaff, mine, c.threadId, "Hello"),
      moveTask: () => moveTask(w.jpStaff, mine, { taskId: c.taskId, status: "DONE", version: 0 }),
      getRegistration: () => getRegistration(w.jpStaff, mine, c.registrationId),
    };
    for (const [name, call] of Object.entries(attempts))
      await expect(call(), name).rejects.toSatisfy(NOT_FOUND);
    expect(
      await createThread(w.jpStaff, mine, { title: "Hi", body: "Hi", pageId: c.pageId }),
    ).toEqual({ ok: false, errors: { pageId: ["That page is not in this workspace."] } });
    expect(
      await registerFindings(w.jpStaff, mine, { title: "Stolen", pageIds: [c.pageId] }),
    ).toEqual({ ok: false, errors: { pageIds: ["Choose pages of this workspace only"] } });
    expect(await contentCounts(theirs)).toEqual(before);
    expect(await db.findingsRegistration.count({ where: { workspaceId: mine } })).toBe(0);
  });
});

// --- files ------------------------------------------------------------------------------------------

describe("files", () => {
  test("a second upload under the same name is version 2; downloads carry the marking and are audited", async () => {
    const id = await newWorkspace(w.ukStaff, "JOINT", "OFFICIAL_SENSITIVE");
    await join(w.ukStaff, id, w.usStaff, "VIEWER");
    const first = await uploadFile(w.ukStaff, id, { name: "results.pdf", bytes: pdfBytes("one") });
    const second = await uploadFile(w.ukStaff, id, { name: "results.pdf", bytes: pdfBytes("two") });
    expect(first).toMatchObject({ ok: true, version: 1 });
    expect(second).toMatchObject({ ok: true, version: 2 });
    const fileId = (first as { fileId: string }).fileId;
    expect((second as { fileId: string }).fileId).toBe(fileId);
    const listed = await listFiles(w.usStaff, id);
    expect(listed.files.map((f) => [f.name, f.versions.map((v) => v.version)])).toEqual([
      ["results.pdf", [2, 1]],
    ]);

    const downloads = await db.auditEvent.count({
      where: { action: "workspace.file_downloaded", targetId: fileId },
    });
    const v1 = await downloadFile(w.usStaff, id, fileId, 1, "198.51.100.7");
    expect(v1.filename).toBe("OFFICIAL-SENSITIVE results.pdf");
    expect(v1.marking).toBe("OFFICIAL-SENSITIVE");
    expect(v1.contentType).toBe("application/pdf");
    expect(Buffer.from(v1.data).toString("latin1")).toContain("% one");
    const v2 = await downloadFile(w.usStaff, id, fileId, 2);
    expect(Buffer.from(v2.data).toString("latin1")).toContain("% two");
    const audit = await db.auditEvent.findMany({
      where: { action: "workspace.file_downloaded", targetId: fileId },
      orderBy: { seq: "asc" },
    });
    expect(audit).toHaveLength(downloads + 2);
    expect(audit[0]).toMatchObject({ actorId: w.usStaff.id, ipAddress: "198.51.100.7" });
    expect(audit[0]!.details).toEqual({ workspaceId: id, version: 1 });

    // A version that does not exist, and anyone outside, get a 404 and leave no download record.
    await expect(downloadFile(w.usStaff, id, fileId, 3)).rejects.toSatisfy(NOT_FOUND);
    for (const outsider of [w.jpStaff, w.hostHr, w.manager])
      await expect(downloadFile(outsider, id, fileId, 1)).rejects.toSatisfy(NOT_FOUND);
    expect(
      await db.auditEvent.count({
        where: { action: "workspace.file_downloaded", targetId: fileId },
      }),
    ).toBe(downloads + 2);
  });

  test("two uploads of a new file name at once become versions 1 and 2", async () => {
    const id = await newWorkspace(w.ukStaff, "JOINT");
    await join(w.ukStaff, id, w.usStaff, "EDITOR");
    const results = await Promise.all([
      uploadFile(w.ukStaff, id, { name: "plan.pdf", bytes: pdfBytes("uk") }),
      uploadFile(w.usStaff, id, { name: "plan.pdf", bytes: pdfBytes("us") }),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    const files = await db.workspaceFile.findMany({
      where: { workspaceId: id },
      select: { versions: { select: { version: true } } },
    });
    expect(files).toHaveLength(1);
    expect(files[0]!.versions.map((v) => v.version).sort()).toEqual([1, 2]);
  });

  test("a refused upload stores nothing", async () => {
    const id = await newWorkspace(w.ukStaff, "JOINT");
    const stored = await db.storedFile.count();
    expect(await uploadFile(w.ukStaff, id, { name: "report.pdf", bytes: exeBytes() })).toEqual({
      ok: false,
      errors: { file: ["The file's content is not a .pdf file; check you chose the right one"] },
    });
    expect(
      await uploadFile(w.ukStaff, id, { name: "../../etc/passwd", bytes: pdfBytes() }),
    ).toEqual({
      ok: false,
      errors: { file: ["The file name cannot contain a path (/ or \\) or start with a dot"] },
    });
    expect(await db.storedFile.count()).toBe(stored);
    expect(await db.workspaceFile.count({ where: { workspaceId: id } })).toBe(0);
  });
});

// --- registrations ---------------------------------------------------------------------------------

describe("findings registrations", () => {
  test("only owners register; the snapshot is frozen and stays intact while pages change", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.ukStaff, "EDITOR");
    const findings = await page(w.usStaff, id, "Findings", "Refused 12 of 40.");
    const method = await page(w.usStaff, id, "Method", "Three runs at temperature 0.");
    await expect(
      registerFindings(w.ukStaff, id, { title: "Round 1", pageIds: [findings] }),
    ).rejects.toSatisfy(FORBIDDEN);
    expect(await db.findingsRegistration.count({ where: { workspaceId: id } })).toBe(0);

    // Now, with milliseconds: the registration keeps the whole second.
    const second = Math.floor(clock.ms() / 1000) * 1000;
    const now = new Date(second + 789);
    const registered = await registerFindings(
      w.usStaff,
      id,
      { title: "Round 1", pageIds: [findings, method, findings] },
      now,
    );
    expect(registered.ok).toBe(true);
    const { registrationId, contentHash } = registered as {
      registrationId: string;
      contentHash: string;
    };
    const frozen = await getRegistration(w.ukStaff, id, registrationId);
    expect(frozen.intact).toBe(true);
    expect(frozen.contentHash).toBe(contentHash);
    expect(frozen.registeredAt.toISOString()).toBe(new Date(second).toISOString());
    expect(frozen.registeredByName).toBe("Ulysses Staff");
    expect(frozen.pages.map((p) => [p.title, p.version, p.body])).toEqual([
      ["Findings", 1, "Refused 12 of 40."],
      ["Method", 1, "Three runs at temperature 0."],
    ]);
    expect(
      registrationHash({
        title: "Round 1",
        registeredAt: frozen.registeredAt,
        pages: frozen.pages.map(({ pageId, title, version, body }) => ({
          pageId,
          title,
          version,
          body,
        })),
      }),
    ).toBe(contentHash);

    expect(
      await savePage(w.ukStaff, id, findings, {
        title: "Findings (revised)",
        body: "Refused 14 of 40.",
        baseVersion: 1,
      }),
    ).toEqual({ ok: true });
    expect(await getRegistration(w.ukStaff, id, registrationId)).toEqual(frozen);
    expect(
      await db.auditEvent.count({
        where: { action: "workspace.findings_registered", targetId: registrationId },
      }),
    ).toBe(1);
  });

  test("the database refuses to change or delete a registration", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    const pageId = await page(w.usStaff, id, "Findings", "Refused 12 of 40.");
    const registered = await registerFindings(w.usStaff, id, {
      title: "Round 1",
      pageIds: [pageId],
    });
    const registrationId = (registered as { registrationId: string }).registrationId;
    const row = await db.findingsRegistration.findUniqueOrThrow({ where: { id: registrationId } });
    // The same statements are valid SQL: touching no row, they run; it is the row that is refused.
    expect(
      await db.$executeRawUnsafe(
        `UPDATE "FindingsRegistration" SET "title" = 'Round 1 (amended)' WHERE "id" = $1`,
        "no-such-registration",
      ),
    ).toBe(0);
    expect(
      await db.$executeRawUnsafe(
        `DELETE FROM "FindingsRegistration" WHERE "id" = $1`,
        "no-such-registration",
      ),
    ).toBe(0);

    await expect(
      db.$executeRawUnsafe(
        `UPDATE "FindingsRegistration" SET "title" = 'Round 1 (amended)' WHERE "id" = $1`,
        registrationId,
      ),
    ).rejects.toThrow();
    await expect(
      db.$executeRawUnsafe(
        `UPDATE "FindingsRegistration" SET "snapshot" = '[]'::jsonb, "contentHash" = 'x' WHERE "id" = $1`,
        registrationId,
      ),
    ).rejects.toThrow();
    await expect(
      db.$executeRawUnsafe(`DELETE FROM "FindingsRegistration" WHERE "id" = $1`, registrationId),
    ).rejects.toThrow();
    await expect(db.$executeRawUnsafe(`TRUNCATE "FindingsRegistration"`)).rejects.toThrow();
    await expect(
      db.findingsRegistration.update({ where: { id: registrationId }, data: { title: "x" } }),
    ).rejects.toThrow();
    expect(
      await db.findingsRegistration.findUniqueOrThrow({ where: { id: registrationId } }),
    ).toEqual(row);
    expect((await getRegistration(w.usStaff, id, registrationId)).intact).toBe(true);
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

// --- search -----------------------------------------------------------------------------------------

describe("search", () => {
  test("finds page text, comments and tasks of this workspace only", async () => {
    const a = await newWorkspace(w.usStaff, "JOINT");
    const b = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, a, w.jpStaff, "VIEWER");
    const pageA = await page(
      w.usStaff,
      a,
      "Observations",
      "The model showed sandbagging on chemistry.",
    );
    const threadA = await createThread(w.usStaff, a, {
      title: "Run seven",
      body: "Clear reward hacking in the transcript.",
      pageId: "",
    });
    await createTask(w.usStaff, a, {
      title: "Collate jailbreak transcripts",
      assigneeId: "",
      dueOn: "",
    });
    // The same words in another workspace of the same owner.
    const pageB = await page(
      w.usStaff,
      b,
      "Elsewhere",
      "More sandbagging, reward hacking, jailbreak.",
    );
    await createThread(w.usStaff, b, { title: "Other", body: "Reward hacking again.", pageId: "" });
    await createTask(w.usStaff, b, { title: "Jailbreak follow-up", assigneeId: "", dueOn: "" });
    const idsInB = [
      pageB,
      ...(await db.comment.findMany({ where: { workspaceId: b } })).map((c) => c.id),
      ...(await db.workspaceTask.findMany({ where: { workspaceId: b } })).map((t) => t.id),
    ];

    const sandbagging = await searchWorkspace(w.jpStaff, a, "sandbagging");
    expect(sandbagging.hits.map((h) => [h.kind, h.id, h.link])).toEqual([
      ["page", pageA, `/pages/${pageA}`],
    ]);
    expect(sandbagging.hits[0]!.headline).toContainEqual({ text: "sandbagging", mark: true });

    const hacking = await searchWorkspace(w.jpStaff, a, "reward hacking");
    expect(hacking.hits.map((h) => [h.kind, h.title, h.link])).toEqual([
      ["comment", "Run seven", `/discussion/${(threadA as { threadId: string }).threadId}`],
    ]);

    const jailbreak = await searchWorkspace(w.jpStaff, a, "jailbreak");
    expect(jailbreak.hits.map((h) => [h.kind, h.title])).toEqual([
      ["task", "Collate jailbreak transcripts"],
    ]);

    for (const q of ["sandbagging", "reward hacking", "jailbreak", "hacking OR jailbreak"]) {
      const hits = (await searchWorkspace(w.usStaff, a, q)).hits;
      for (const hit of hits) expect(idsInB, q).not.toContain(hit.id);
    }
    // Query syntax is data, not SQL.
    expect((await searchWorkspace(w.jpStaff, a, `'); DROP TABLE "Comment"; --`)).hits).toEqual([]);
    expect(await db.comment.count({ where: { workspaceId: b } })).toBe(1);
    await expect(searchWorkspace(w.jpStaff, b, "sandbagging")).rejects.toSatisfy(NOT_FOUND);
  });
});

// --- placements -------------------------------------------------------------------------------------

describe("placement-driven access", () => {
  /** An accepted offer, hence a placement with the US checklist (as placements.test.ts). */
  async function newPlacement(secondee: Actor = w.applicant) {
    const postingId = await openPosting(w, { places: 5 });
    const appId = await submittedApplication(w, postingId, secondee);
    await advance({ ...w, applicant: secondee }, appId, [
      "HOME_RELEASED",
      "UNDER_REVIEW",
      "SHORTLISTED",
      "OFFERED",
      "ACCEPTED",
    ]);
    return (await db.placement.findUniqueOrThrow({ where: { applicationId: appId } })).id;
  }

  async function moveTo(
    placementId: string,
    to: "CLEARING" | "ACTIVE" | "COMPLETED" | "CANCELLED",
  ) {
    const { version } = await db.placement.findUniqueOrThrow({ where: { id: placementId } });
    const moved = await movePlacement(w.hostHr, placementId, to, version);
    if (!moved.ok) throw new Error(`${to}: ${JSON.stringify(moved)}`);
  }

  /** Through the gate: CLEARING, every required item waived by host HR, then ACTIVE. */
  async function activate(placementId: string) {
    await moveTo(placementId, "CLEARING");
    const rest = await db.checklistItem.findMany({
      where: { placementId, required: true, status: { notIn: ["DONE", "WAIVED"] } },
    });
    for (const item of rest) {
      const moved = await moveChecklistItem(w.hostHr, item.id, {
        to: "WAIVED",
        version: item.version,
        verifiedBy: "",
        verifiedOn: "",
        reference: "",
        level: "",
        expiresOn: "",
        reason: "Covered by the home institute's checks",
      });
      if (!moved.ok) throw new Error(JSON.stringify(moved));
    }
    await moveTo(placementId, "ACTIVE");
  }

  const accessEmails = (to: string) =>
    db.outboxEmail.count({ where: { to, template: "workspace-access" } });
  const audits = (action: string, workspaceId: string) =>
    db.auditEvent.count({ where: { action, targetId: workspaceId } });
  const membership = (workspaceId: string, userId: string) =>
    db.workspaceMember.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } });

  test("activation makes the secondee an editor, emailed and audited; completion removes them", async () => {
    const placementId = await newPlacement();
    const ws = await newWorkspace(w.hostHr, "JOINT", "OFFICIAL", unique("Host team space"));
    expect(await linkPlacementWorkspace(w.hostHr, placementId, ws)).toEqual({ ok: true });
    // Planned: no access yet.
    expect(await membership(ws, w.applicant.id)).toBeNull();
    await expect(getWorkspaceFrame(w.applicant, ws)).rejects.toSatisfy(NOT_FOUND);

    const emails = await accessEmails(w.applicant.email);
    await activate(placementId);
    expect(await membership(ws, w.applicant.id)).toMatchObject({
      role: "EDITOR",
      viaPlacementId: placementId,
    });
    expect((await getWorkspaceFrame(w.applicant, ws)).role).toBe("EDITOR");
    expect(await accessEmails(w.applicant.email)).toBe(emails + 1);
    expect(await audits("workspace.placement_access_granted", ws)).toBe(1);

    await moveTo(placementId, "COMPLETED");
    expect(await membership(ws, w.applicant.id)).toBeNull();
    await expect(getWorkspaceFrame(w.applicant, ws)).rejects.toSatisfy(NOT_FOUND);
    expect(await accessEmails(w.applicant.email)).toBe(emails + 2);
    expect(await audits("workspace.placement_access_removed", ws)).toBe(1);
    const last = await db.outboxEmail.findFirstOrThrow({
      where: { to: w.applicant.email, template: "workspace-access" },
      orderBy: { createdAt: "desc" },
    });
    expect(last.text).toContain("Host team space");
  });

  test("cancelling an active placement removes the access it gave, not anyone else's", async () => {
    const placementId = await newPlacement(w.ukStaff);
    const ws = await newWorkspace(w.hostHr, "JOINT");
    await join(w.hostHr, ws, w.manager, "EDITOR");
    expect((await linkPlacementWorkspace(w.hostHr, placementId, ws)).ok).toBe(true);
    await activate(placementId);
    expect((await getWorkspaceFrame(w.ukStaff, ws)).role).toBe("EDITOR");
    const emails = await accessEmails(w.ukStaff.email);
    await moveTo(placementId, "CANCELLED");
    await expect(getWorkspaceFrame(w.ukStaff, ws)).rejects.toSatisfy(NOT_FOUND);
    expect(await accessEmails(w.ukStaff.email)).toBe(emails + 1);
    expect(await audits("workspace.placement_access_removed", ws)).toBe(1);
    expect((await getWorkspaceFrame(w.manager, ws)).role).toBe("EDITOR");
    expect((await getWorkspaceFrame(w.hostHr, ws)).role).toBe("OWNER");
  });

  test("linking to an active placement grants access at once; the host supervisor may link their own workspace", async () => {
    const placementId = await newPlacement();
    await activate(placementId);
    const { version } = await db.placement.findUniqueOrThrow({ where: { id: placementId } });
    await db.placement.update({
      where: { id: placementId },
      data: { hostSupervisorId: w.reviewer.id, version },
    });
    const ws = await newWorkspace(w.reviewer, "JOINT");
    expect(await linkPlacementWorkspace(w.reviewer, placementId, ws)).toEqual({ ok: true });
    expect(await membership(ws, w.applicant.id)).toMatchObject({
      role: "EDITOR",
      viaPlacementId: placementId,
    });
    expect(await linkPlacementWorkspace(w.reviewer, placementId, ws)).toEqual({
      ok: false,
      errors: { workspaceId: ["This workspace is already named."] },
    });
  });

  test("a US-only workspace cannot be linked to a UK secondee's placement; outsiders cannot link", async () => {
    const placementId = await newPlacement();
    const usOnly = await newWorkspace(w.hostHr, w.us.id);
    expect(await linkPlacementWorkspace(w.hostHr, placementId, usOnly)).toEqual({
      ok: false,
      errors: {
        workspaceId: [
          "This workspace is US-AISI-ONLY: the secondee's institute is outside its label",
        ],
      },
    });
    expect(await db.placementWorkspace.count({ where: { placementId } })).toBe(0);

    // The home side, and host staff who are neither HR nor the supervisor, cannot name workspaces.
    const joint = await newWorkspace(w.homeHr, "JOINT");
    await expect(linkPlacementWorkspace(w.homeHr, placementId, joint)).rejects.toSatisfy(NOT_FOUND);
    const usJoint = await newWorkspace(w.usStaff, "JOINT");
    await expect(linkPlacementWorkspace(w.usStaff, placementId, usJoint)).rejects.toSatisfy(
      NOT_FOUND,
    );
    // Host HR cannot name a workspace they do not own.
    await expect(linkPlacementWorkspace(w.hostHr, placementId, usJoint)).rejects.toSatisfy(
      NOT_FOUND,
    );
    expect(await db.placementWorkspace.count({ where: { placementId } })).toBe(0);
    await activate(placementId);
    expect(
      await db.workspaceMember.count({ where: { userId: w.applicant.id, workspaceId: usOnly } }),
    ).toBe(0);
  });

  test("the label cannot be narrowed past the secondee of a linked placement that is clearing", async () => {
    const placementId = await newPlacement();
    const ws = await newWorkspace(w.hostHr, "JOINT");
    expect((await linkPlacementWorkspace(w.hostHr, placementId, ws)).ok).toBe(true);
    await moveTo(placementId, "CLEARING");
    const settings = (await getMembersPage(w.hostHr, ws)).settings;
    const result = await updateWorkspaceSettings(w.hostHr, ws, { ...settings, label: w.us.id });
    expect(result).toEqual({
      ok: false,
      errors: {
        label: [
          "The label cannot be narrowed while these people are outside it: Amir Applicant (UK-AISI, placement). Remove them first.",
        ],
      },
    });
    expect(
      (await db.workspace.findUniqueOrThrow({ where: { id: ws } })).restrictedToInstituteId,
    ).toBeNull();
  });

  test("a secondee who was already a viewer keeps that membership when the placement ends", async () => {
    const placementId = await newPlacement();
    const ws = await newWorkspace(w.hostHr, "JOINT");
    await join(w.hostHr, ws, w.applicant, "VIEWER");
    expect((await linkPlacementWorkspace(w.hostHr, placementId, ws)).ok).toBe(true);
    await activate(placementId);
    expect((await getWorkspaceFrame(w.applicant, ws)).role).toBe("EDITOR");
    await moveTo(placementId, "COMPLETED");
    // The placement gave the editing; the earlier invitation gave the viewing, which remains.
    expect((await getWorkspaceFrame(w.applicant, ws)).role).toBe("VIEWER");
  });

  test("the end of a placement never leaves a workspace without an owner", async () => {
    const placementId = await newPlacement();
    const ws = await newWorkspace(w.hostHr, "JOINT");
    expect((await linkPlacementWorkspace(w.hostHr, placementId, ws)).ok).toBe(true);
    await activate(placementId);
    // Host HR hand the workspace over to the secondee and step back.
    expect(await setMemberRole(w.hostHr, ws, w.applicant.id, "OWNER")).toEqual({ ok: true });
    expect(await removeMember(w.hostHr, ws, w.hostHr.id)).toEqual({ ok: true });
    await moveTo(placementId, "COMPLETED");
    expect(await db.workspaceMember.count({ where: { workspaceId: ws, role: "OWNER" } })).toBe(1);
  });

  test("which workspaces a placement names is told only to those who may see the placement", async () => {
    const placementId = await newPlacement();
    const ws = await newWorkspace(w.hostHr, "JOINT", "OFFICIAL", unique("Named space"));
    expect((await linkPlacementWorkspace(w.hostHr, placementId, ws)).ok).toBe(true);
    const forHr = await placementWorkspaces(w.hostHr, placementId);
    expect(forHr.canLink).toBe(true);
    expect(forHr.linked.map((l) => l.id)).toEqual([ws]);
    // The secondee, their line manager and home HR may see the placement, but not link.
    for (const party of [w.applicant, w.manager, w.homeHr]) {
      const seen = await placementWorkspaces(party, placementId);
      expect(seen.canLink).toBe(false);
      expect(seen.linkable).toEqual([]);
    }
    expect((await placementWorkspaces(w.manager, placementId)).hiddenCount).toBe(1);
    for (const outsider of [w.jpStaff, w.usStaff, w.ukStaff, w.jpHr])
      await expect(placementWorkspaces(outsider, placementId)).rejects.toSatisfy(NOT_FOUND);
  });

  test("a secondee who was already an editor is untouched by the placement", async () => {
    const placementId = await newPlacement();
    const ws = await newWorkspace(w.hostHr, "JOINT");
    await join(w.hostHr, ws, w.applicant, "EDITOR");
    expect((await linkPlacementWorkspace(w.hostHr, placementId, ws)).ok).toBe(true);
    const emails = await accessEmails(w.applicant.email);
    await activate(placementId);
    await moveTo(placementId, "COMPLETED");
    expect(await membership(ws, w.applicant.id)).toMatchObject({
      role: "EDITOR",
      viaPlacementId: null,
    });
    expect(await accessEmails(w.applicant.email)).toBe(emails);
  });
});

describe("reading a workspace's pages at scale", () => {
  test("the home shows at most ten of each list but the members, and how many registrations", async () => {
    const ws = await newWorkspace(w.usStaff, "JOINT");
    const stamp = unique("many");
    await db.user.createMany({
      data: Array.from({ length: 55 }, (_, i) => ({
        email: uniqueEmail(`member.${i}`),
        displayName: `${stamp} member ${String(i).padStart(2, "0")}`,
        instituteId: w.us.id,
        roles: ["STAFF" as const],
      })),
    });
    const people = await db.user.findMany({
      where: { displayName: { startsWith: `${stamp} member` } },
      select: { id: true },
    });
    await db.workspaceMember.createMany({
      data: people.map((p) => ({ workspaceId: ws, userId: p.id, role: "VIEWER" as const })),
    });
    await db.workspaceTask.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        workspaceId: ws,
        title: `Task ${i}`,
        createdById: w.usStaff.id,
        dueOn: midnightAfter(30 + i),
      })),
    });
    // A minute apart, after the workspace's own "created" entry: the newest ten are steps 14-5.
    const since = clock.ms();
    await db.workspaceActivity.createMany({
      data: Array.from({ length: 15 }, (_, i) => ({
        workspaceId: ws,
        actorId: w.usStaff.id,
        kind: "test",
        summary: `Step ${i}`,
        at: new Date(since + (i + 1) * 60_000),
      })),
    });
    await db.findingsRegistration.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        workspaceId: ws,
        title: `Registration ${i}`,
        registeredById: w.usStaff.id,
        registeredAt: daysAfter(i - 12),
        snapshot: [],
        contentHash: `hash ${i}`,
      })),
    });

    const home = await getWorkspaceHome(w.usStaff, ws);
    expect(home.members).toHaveLength(56);
    // The owner first, then by joining.
    expect(home.members[0]!.user.id).toBe(w.usStaff.id);
    expect(home.tasks.map((t) => t.title)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Task ${i}`),
    );
    expect(home.activity.map((a) => a.summary)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Step ${14 - i}`),
    );
    expect(home.activity[0]!.actorName).toBe("Ulysses Staff");
    expect(home.registrations.map((r) => r.title)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Registration ${11 - i}`),
    );
    expect(home.registrationCount).toBe(12);
  });

  test("history compares any two versions; a missing one falls back to the latest, or the one before", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    const pageId = await page(w.usStaff, id, "Log", "v1");
    for (let v = 2; v <= 6; v++)
      expect(
        (await savePage(w.usStaff, id, pageId, { title: "Log", body: `v${v}`, baseVersion: v - 1 }))
          .ok,
      ).toBe(true);
    const compare = async (from: number, to: number) => {
      const h = await getPageHistory(w.usStaff, id, pageId, { from, to });
      expect(h.versions.map((v) => v.version)).toEqual([6, 5, 4, 3, 2, 1]);
      return [h.from, h.to, h.diff.map((l) => `${l.kind} ${l.text}`).join(", ")];
    };
    expect(await compare(2, 5)).toEqual([2, 5, "removed v2, added v5"]);
    expect(await compare(5, 2)).toEqual([5, 2, "removed v5, added v2"]);
    expect(await compare(99, 3)).toEqual([2, 3, "removed v2, added v3"]);
    expect(await compare(1, 99)).toEqual([1, 6, "removed v1, added v6"]);
    expect(await compare(0, 0)).toEqual([5, 6, "removed v5, added v6"]);
    expect(await compare(0, 1)).toEqual([1, 1, "same v1"]);
  });

  test("a long history lists 50 versions a page, newest first, and still compares any two", async () => {
    const id = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, id, w.ukStaff, "VIEWER");
    const pageId = await page(w.usStaff, id, "Long", "v1");
    // 120 versions, written directly: saving them one by one would only slow the test.
    await db.pageVersion.createMany({
      data: Array.from({ length: 119 }, (_, i) => ({
        pageId,
        version: i + 2,
        title: i + 2 === 120 ? "Long, renamed" : "Long",
        body: `v${i + 2}`,
        authorId: w.usStaff.id,
      })),
    });
    await db.workspacePage.update({
      where: { id: pageId },
      data: { version: 120, title: "Long, renamed", body: "v120" },
    });
    const listed = async (query: { from: number; to: number; list?: number }) => {
      const h = await getPageHistory(w.ukStaff, id, pageId, query);
      const numbers = h.versions.map((v) => v.version);
      return {
        list: h.list,
        of: h.listPages,
        first: numbers[0],
        last: numbers.at(-1),
        count: numbers.length,
        compared: [h.from, h.to, h.diff.map((l) => `${l.kind} ${l.text}`).join(", ")],
      };
    };
    const latest = [119, 120, "removed v119, added v120"];
    expect(await listed({ from: 0, to: 0 })).toEqual({
      list: 1,
      of: 3,
      first: 120,
      last: 71,
      count: 50,
      compared: latest,
    });
    expect(await listed({ from: 0, to: 0, list: 2 })).toMatchObject({
      first: 70,
      last: 21,
      count: 50,
    });
    expect(await listed({ from: 0, to: 0, list: 3 })).toMatchObject({
      first: 20,
      last: 1,
      count: 20,
    });
    // Beyond the end: the last page of the list.
    expect(await listed({ from: 0, to: 0, list: 40 })).toMatchObject({
      list: 3,
      first: 20,
      count: 20,
    });
    // The compared versions need not be on the listed page.
    expect((await listed({ from: 1, to: 120, list: 2 })).compared).toEqual([
      1,
      120,
      "removed v1, added v120",
    ]);
    expect((await listed({ from: 3, to: 100 })).compared).toEqual([
      3,
      100,
      "removed v3, added v100",
    ]);
    // A version that does not exist falls back, as with a short history.
    expect((await listed({ from: 500, to: 0 })).compared).toEqual(latest);
    expect((await getPageHistory(w.ukStaff, id, pageId, { from: 500, to: 3 })).missing).toEqual([
      500,
    ]);
    expect((await getPageHistory(w.ukStaff, id, pageId, { from: 2, to: 3 })).missing).toEqual([]);
    expect((await getPageHistory(w.ukStaff, id, pageId, { from: 0, to: 0 })).titleChange).toEqual({
      from: "Long",
      to: "Long, renamed",
    });
  });

  test("history query strings too large for a version number are the defaults, not an error", () => {
    expect(DiffSchema.parse({ from: "99999999999", to: "3", list: "1e400" })).toEqual({
      from: 0,
      to: 3,
      list: 1,
    });
    expect(DiffSchema.parse({ from: "-1", to: "x", list: "0" })).toEqual({
      from: 0,
      to: 0,
      list: 1,
    });
    expect(DiffSchema.parse({})).toEqual({ from: 0, to: 0, list: 1 });
  });

  test("one request's loaders share a read check, never across people or requests", async () => {
    const ws = await newWorkspace(w.usStaff, "JOINT");
    await join(w.usStaff, ws, w.ukStaff, "EDITOR");
    const pageId = await page(w.usStaff, ws, "Shared", "Body");
    const request = newRequestScope("GET");
    const inRequest = <T>(fn: () => Promise<T>) => runInRequestScope(request, fn);
    expect((await inRequest(() => getWorkspaceFrame(w.ukStaff, ws))).role).toBe("EDITOR");
    // The member leaves while the request is being answered: its other loader keeps its answer...
    must(await removeMember(w.ukStaff, ws, w.ukStaff.id));
    expect((await inRequest(() => getPage(w.ukStaff, ws, pageId))).role).toBe("EDITOR");
    // ...but the next request, or no request at all, reads again.
    await expect(
      runInRequestScope(newRequestScope("GET"), () => getPage(w.ukStaff, ws, pageId)),
    ).rejects.toSatisfy(NOT_FOUND);
    await expect(getWorkspaceFrame(w.ukStaff, ws)).rejects.toSatisfy(NOT_FOUND);
    // Someone else's check on the same request is their own.
    await expect(inRequest(() => getPage(w.jpStaff, ws, pageId))).rejects.toSatisfy(NOT_FOUND);
    expect((await inRequest(() => getPage(w.usStaff, ws, pageId))).role).toBe("OWNER");
  });
});
