// The world of the workspaces service tests (test/integration/workspaces/): the pipeline world
// with a US host checklist, and helpers to make workspaces, members and content through the
// services and to check that an outsider is shut out of all of it.
import { beforeAll, expect } from "vitest";
import { ensureUser, uniqueEmail } from "#test/factories";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { pdfBytes } from "#test/factories/postings";
import { dayAfter } from "#test/support/clock";
import type { ProtectiveMarking, WorkspaceRole } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import {
  addComment,
  createThread,
  getThread,
  listThreads,
} from "~/modules/workspaces/discussion.server";
import { downloadFile, listFiles, uploadFile } from "~/modules/workspaces/files.server";
import {
  createPage,
  getPage,
  getPageForEdit,
  getPageHistory,
  listPages,
  savePage,
} from "~/modules/workspaces/pages.server";
import {
  getRegistration,
  getRegistrations,
  registerFindings,
} from "~/modules/workspaces/registrations.server";
import { searchWorkspace } from "~/modules/workspaces/search.server";
import { createTask, listMyTasks, listTasks, moveTask } from "~/modules/workspaces/tasks.server";
import {
  createWorkspace,
  getWorkspaceFrame,
  getWorkspaceHome,
  listMyWorkspaces,
  updateWorkspaceSettings,
} from "~/modules/workspaces/workspaces.server";
import { getActivity } from "~/modules/workspaces/activity.server";
import {
  answerInvitation,
  getMembersPage,
  inviteMember,
  removeMember,
} from "~/modules/workspaces/members.server";
import { createPipelineWorld, type World } from "#test/support/pipeline-world";

export let w: World;

/** The pipeline world, with a US host checklist so that accepted offers become placements. */
export function setUpWorkspacesWorld() {
  beforeAll(async () => {
    w = await createPipelineWorld();
    await ensureChecklistTemplate(db, {
      hostInstituteId: w.us.id,
      homeInstituteId: w.uk.id,
      name: "Incoming from the UK",
      items: US_HOST_CHECKLIST,
    });
  });
}

// --- helpers ------------------------------------------------------------------------------------

const isStatus = (status: number) => (r: unknown) => r instanceof Response && r.status === status;
export const NOT_FOUND = isStatus(404);
export const FORBIDDEN = isStatus(403);

let seq = 0;
export const unique = (what: string) => `${what} ${++seq}`;

/** A new person of the institute, for tests that change who they are. */
export async function person(instituteId: string, name: string): Promise<Actor> {
  const u = await ensureUser(db, {
    email: uniqueEmail(name.toLowerCase().replace(/\W+/g, ".")),
    displayName: name,
    instituteId,
  });
  return { id: u.id, email: u.email, roles: u.roles, instituteId: u.instituteId };
}

/** The actor as the next request would see them, after their institute changed in the database. */
export async function movedTo(actor: Actor, instituteId: string): Promise<Actor> {
  await db.user.update({ where: { id: actor.id }, data: { instituteId } });
  return { ...actor, instituteId };
}

export async function newWorkspace(
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
export async function join(owner: Actor, workspaceId: string, who: Actor, role: WorkspaceRole) {
  const invited = await inviteMember(owner, workspaceId, { email: who.email, role });
  if (!invited.ok) throw new Error(JSON.stringify(invited.errors));
  const invitation = await db.workspaceInvitation.findFirstOrThrow({
    where: { workspaceId, inviteeId: who.id, status: "PENDING" },
  });
  const answered = await answerInvitation(who, invitation.id, "accept");
  if (!answered.ok) throw new Error(JSON.stringify(answered.errors));
}

export async function page(actor: Actor, workspaceId: string, title: string, body: string) {
  const created = await createPage(actor, workspaceId, { title, body });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return created.pageId;
}

/** One of everything in a workspace, made by its owner, with a task assigned to `assignee`. */
export async function furnish(owner: Actor, workspaceId: string, assignee: Actor = owner) {
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

export async function expectShutOut(actor: Actor, workspaceId: string, c: Furnished) {
  for (const [name, call] of Object.entries(everyWayIn(actor, workspaceId, c)))
    await expect(call(), name).rejects.toSatisfy(NOT_FOUND);
  const mine = await listMyWorkspaces(actor);
  expect(mine.workspaces.map((x) => x.id)).not.toContain(workspaceId);
  expect((await listMyTasks(actor)).map((t) => t.workspace.id)).not.toContain(workspaceId);
}

/** What an outsider's attempts must not have left behind. */
export async function contentCounts(workspaceId: string) {
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
