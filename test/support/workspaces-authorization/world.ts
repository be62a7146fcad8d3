import { readdirSync } from "node:fs";
import path from "node:path";
// The workspaces label matrix (test/integration/workspaces/workspaces-authorization.test.ts): the
// route modules of the area, one workspace with one of everything per label and the people who
// call its routes, how a call is made and read, and the vocabulary of the matrix's entries.
import { beforeAll } from "vitest";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { ensureUser, uniqueEmail } from "#test/factories";
import type { WorkspaceRole } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { createThread, addComment } from "~/modules/workspaces/discussion.server";
import { uploadFile } from "~/modules/workspaces/files.server";
import { createPage, savePage } from "~/modules/workspaces/pages.server";
import { registerFindings } from "~/modules/workspaces/registrations.server";
import { createTask } from "~/modules/workspaces/tasks.server";
import { roleMay, type WorkspaceAction } from "~/modules/workspaces/rules";
import { createWorkspace } from "~/modules/workspaces/workspaces.server";
import { answerInvitation, inviteMember } from "~/modules/workspaces/members.server";
import { linkPlacementWorkspace } from "~/modules/workspaces/placement-access.server";
import * as placementPage from "~/routes/placements/placements.$placementId";
import * as myTasks from "~/routes/tasks._index";
import * as wsLayout from "~/routes/workspaces/workspaces.$workspaceId";
import * as wsHome from "~/routes/workspaces/workspaces.$workspaceId._index";
import * as wsActivity from "~/routes/workspaces/workspaces.$workspaceId.activity";
import * as wsThread from "~/routes/workspaces/workspaces.$workspaceId.discussion.$threadId";
import * as wsDiscussion from "~/routes/workspaces/workspaces.$workspaceId.discussion._index";
import * as wsDownload from "~/routes/workspaces/workspaces.$workspaceId.files.$fileId.$version";
import * as wsFiles from "~/routes/workspaces/workspaces.$workspaceId.files._index";
import * as wsMembers from "~/routes/workspaces/workspaces.$workspaceId.members";
import * as wsPage from "~/routes/workspaces/workspaces.$workspaceId.pages.$pageId._index";
import * as wsPageEdit from "~/routes/workspaces/workspaces.$workspaceId.pages.$pageId.edit";
import * as wsPageHistory from "~/routes/workspaces/workspaces.$workspaceId.pages.$pageId.history";
import * as wsPageVersion from "~/routes/workspaces/workspaces.$workspaceId.pages.$pageId.versions.$version";
import * as wsPages from "~/routes/workspaces/workspaces.$workspaceId.pages._index";
import * as wsRegistration from "~/routes/workspaces/workspaces.$workspaceId.registrations.$registrationId";
import * as wsRegistrations from "~/routes/workspaces/workspaces.$workspaceId.registrations._index";
import * as wsSearch from "~/routes/workspaces/workspaces.$workspaceId.search";
import * as wsTasks from "~/routes/workspaces/workspaces.$workspaceId.tasks";
import * as wsIndex from "~/routes/workspaces/workspaces._index";
import * as wsNew from "~/routes/workspaces/workspaces.new";
import { call, get, post, sessionCookieFor } from "#test/support/route-harness";
import { must } from "#test/factories/results";
import {
  advance,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";

// --- the routes of the area ---------------------------------------------------------------------

type RouteModule = { loader?: unknown; action?: unknown };

/** Every route file of the area, by file name. The first test fails if app/routes holds another. */
export const ROUTE_FILES: Record<string, RouteModule> = {
  "workspaces._index.tsx": wsIndex,
  "workspaces.new.tsx": wsNew,
  "workspaces.$workspaceId.tsx": wsLayout,
  "workspaces.$workspaceId._index.tsx": wsHome,
  "workspaces.$workspaceId.activity.tsx": wsActivity,
  "workspaces.$workspaceId.search.tsx": wsSearch,
  "workspaces.$workspaceId.members.tsx": wsMembers,
  "workspaces.$workspaceId.pages._index.tsx": wsPages,
  "workspaces.$workspaceId.pages.$pageId._index.tsx": wsPage,
  "workspaces.$workspaceId.pages.$pageId.edit.tsx": wsPageEdit,
  "workspaces.$workspaceId.pages.$pageId.history.tsx": wsPageHistory,
  "workspaces.$workspaceId.pages.$pageId.versions.$version.tsx": wsPageVersion,
  "workspaces.$workspaceId.files._index.tsx": wsFiles,
  "workspaces.$workspaceId.files.$fileId.$version.tsx": wsDownload,
  "workspaces.$workspaceId.discussion._index.tsx": wsDiscussion,
  "workspaces.$workspaceId.discussion.$threadId.tsx": wsThread,
  "workspaces.$workspaceId.tasks.tsx": wsTasks,
  "workspaces.$workspaceId.registrations._index.tsx": wsRegistrations,
  "workspaces.$workspaceId.registrations.$registrationId.tsx": wsRegistration,
};
/** Routes outside workspaces.* that belong to the area: My tasks, and the placement's host workspaces. */
export const OTHER_FILES: Record<string, RouteModule> = {
  "tasks._index.tsx": myTasks,
  "placements.$placementId.tsx": placementPage,
};
export const ROUTES_DIR = new URL("../../../app/routes/", import.meta.url);
/** The area's folder of route files. */
export const AREA_DIR = new URL("workspaces/", ROUTES_DIR);

/** Where a route file lives under app/routes (at the top, or in its area's folder). */
export function routeFileUrl(file: string) {
  const found = (readdirSync(ROUTES_DIR, { recursive: true }) as string[]).find(
    (p) => path.basename(p) === file,
  );
  if (!found) throw new Error(`No route file ${file} under app/routes`);
  return new URL(found, ROUTES_DIR);
}

// --- people and worlds --------------------------------------------------------------------------

export const LABELS = ["JOINT", "US-ONLY", "UK-ONLY"] as const;
type Label = (typeof LABELS)[number];

type PersonaKey =
  | "owner"
  | "editor"
  | "viewer"
  | "usStaff"
  | "ukStaff"
  | "jpStaff"
  | "usHr"
  | "ukHr"
  | "jpHr"
  | "admin"
  | "movedOut"
  | "invitedThenMoved";

export type Persona = {
  key: PersonaKey;
  actor: Actor;
  cookie: string;
  /** The role that counts: a membership the label admits. Null for everyone else. */
  role: WorkspaceRole | null;
};

export type LabelWorld = {
  label: Label;
  /** A word in every name and title of this workspace's content: found in a response = a leak. */
  codeword: string;
  restrictedTo: string | null;
  workspaceId: string;
  name: string;
  purpose: string;
  pageId: string;
  pageTitle: string;
  pageBody: string;
  fileId: string;
  fileName: string;
  fileBytes: Uint8Array;
  threadId: string;
  taskId: string;
  taskTitle: string;
  viewerTaskId: string;
  viewerTaskTitle: string;
  registrationId: string;
  invitationId: string;
  /** One-institute labels: the pending invitation of someone who has since moved institute. */
  movedInvitationId: string;
  candidate: Actor;
  members: { owner: Actor; editor: Actor; viewer: Actor };
  personas: Persona[];
};

export let w: World;
export let placementId: string;
export const worlds = {} as Record<Label, LabelWorld>;
const cookieCache = new Map<string, string>();
export const tally = { calls: 0, cells: 0 };

export async function cookieFor(actor: Actor) {
  let cookie = cookieCache.get(actor.id);
  if (!cookie) {
    cookie = await sessionCookieFor(actor.id);
    cookieCache.set(actor.id, cookie);
  }
  return cookie;
}

async function person(instituteId: string, name: string): Promise<Actor> {
  const u = await ensureUser(db, {
    email: uniqueEmail(name.toLowerCase().replace(/\W+/g, ".")),
    displayName: name,
    instituteId,
  });
  return { id: u.id, email: u.email, roles: u.roles, instituteId: u.instituteId };
}

async function join(owner: Actor, workspaceId: string, who: Actor, role: WorkspaceRole) {
  must(await inviteMember(owner, workspaceId, { email: who.email, role }));
  const invitation = await db.workspaceInvitation.findFirstOrThrow({
    where: { workspaceId, inviteeId: who.id, status: "PENDING" },
  });
  must(await answerInvitation(who, invitation.id, "accept"));
}

/** A workspace with one of everything, created through the services. */
async function buildWorld(label: Label): Promise<LabelWorld> {
  const codeword = { JOINT: "Osprey", "US-ONLY": "Heron", "UK-ONLY": "Plover" }[label];
  const home = label === "UK-ONLY" ? w.uk : w.us;
  const restrictedTo = label === "JOINT" ? null : home.id;
  const [ownerInst, editorInst, viewerInst] =
    label === "JOINT" ? [w.us.id, w.uk.id, w.jp.id] : [home.id, home.id, home.id];
  const owner = await person(ownerInst, `Owen Owner ${label}`);
  const editor = await person(editorInst, `Edda Editor ${label}`);
  const viewer = await person(viewerInst, `Vic Viewer ${label}`);
  const invitee = await person(label === "JOINT" ? w.jp.id : home.id, `Ivo Invitee ${label}`);
  const candidate = await person(label === "JOINT" ? w.uk.id : home.id, `Cara Candidate ${label}`);

  const name = `${codeword} red-team workspace`;
  const purpose = `Joint evaluation ${codeword}`;
  const { workspaceId } = must(
    await createWorkspace(owner, {
      name,
      purpose,
      label: restrictedTo ?? "JOINT",
      marking: "OFFICIAL_SENSITIVE",
      template: "GENERAL",
    }),
  );
  await join(owner, workspaceId, editor, "EDITOR");
  await join(owner, workspaceId, viewer, "VIEWER");

  const pageTitle = `${codeword} refusal findings`;
  const pageBody = `The model refused 12 of 40 ${codeword} prompts after the second run.`;
  const { pageId } = must(
    await createPage(owner, workspaceId, { title: pageTitle, body: "First draft." }),
  );
  must(
    await savePage(editor, workspaceId, pageId, {
      title: pageTitle,
      body: pageBody,
      baseVersion: 1,
    }),
  );
  const fileName = `${codeword.toLowerCase()}-results.txt`;
  const fileBytes = new TextEncoder().encode(`${codeword} raw results\n`);
  const { fileId } = must(
    await uploadFile(owner, workspaceId, { name: fileName, bytes: fileBytes }),
  );
  const { threadId } = must(
    await createThread(owner, workspaceId, {
      title: `${codeword} rerun question`,
      body: `Shall we rerun ${codeword} at a higher temperature?`,
      pageId,
    }),
  );
  must(await addComment(editor, workspaceId, threadId, `Yes, ${codeword} run 3 tomorrow.`));
  const taskTitle = `${codeword} transcript review`;
  const viewerTaskTitle = `${codeword} reading of the plan`;
  must(
    await createTask(owner, workspaceId, { title: taskTitle, assigneeId: editor.id, dueOn: "" }),
  );
  must(
    await createTask(owner, workspaceId, {
      title: viewerTaskTitle,
      assigneeId: viewer.id,
      dueOn: "",
    }),
  );
  const tasks = await db.workspaceTask.findMany({
    where: { workspaceId },
    select: { id: true, title: true },
  });
  const { registrationId } = must(
    await registerFindings(owner, workspaceId, {
      title: `${codeword} registered findings`,
      pageIds: [pageId],
    }),
  );
  must(await inviteMember(owner, workspaceId, { email: invitee.email, role: "VIEWER" }));
  const invitation = await db.workspaceInvitation.findFirstOrThrow({
    where: { workspaceId, inviteeId: invitee.id, status: "PENDING" },
  });

  const personas: Persona[] = [];
  const add = async (key: PersonaKey, actor: Actor, role: WorkspaceRole | null) =>
    personas.push({ key, actor, role, cookie: await cookieFor(actor) });
  await add("owner", owner, "OWNER");
  await add("editor", editor, "EDITOR");
  await add("viewer", viewer, "VIEWER");
  await add("usStaff", w.usStaff, null);
  await add("ukStaff", w.ukStaff, null);
  await add("jpStaff", w.jpStaff, null);
  await add("usHr", w.hostHr, null);
  await add("ukHr", w.homeHr, null);
  await add("jpHr", w.jpHr, null);
  await add("admin", w.admin, null);
  let movedInvitationId = "";
  if (restrictedTo) {
    // An editor with a task, who then moved to the JP institute: the membership row remains, the
    // label no longer admits them, so the workspace must be as unknown to them as to anyone.
    const moved = await person(home.id, `Mo Moved ${label}`);
    await join(owner, workspaceId, moved, "EDITOR");
    must(
      await createTask(owner, workspaceId, {
        title: `${codeword} task of a leaver`,
        assigneeId: moved.id,
        dueOn: "",
      }),
    );
    await db.user.update({ where: { id: moved.id }, data: { instituteId: w.jp.id } });
    await add("movedOut", { ...moved, instituteId: w.jp.id }, null);
    // Invited, then moved before answering: the invitation must lead nowhere.
    const invited = await person(home.id, `Ina Invited ${label}`);
    must(await inviteMember(owner, workspaceId, { email: invited.email, role: "EDITOR" }));
    movedInvitationId = (
      await db.workspaceInvitation.findFirstOrThrow({
        where: { workspaceId, inviteeId: invited.id, status: "PENDING" },
      })
    ).id;
    await db.user.update({ where: { id: invited.id }, data: { instituteId: w.jp.id } });
    await add("invitedThenMoved", { ...invited, instituteId: w.jp.id }, null);
  }
  return {
    label,
    codeword,
    restrictedTo,
    workspaceId,
    name,
    purpose,
    pageId,
    pageTitle,
    pageBody,
    fileId,
    fileName,
    fileBytes,
    threadId,
    taskId: tasks.find((t) => t.title === taskTitle)!.id,
    taskTitle,
    viewerTaskId: tasks.find((t) => t.title === viewerTaskTitle)!.id,
    viewerTaskTitle,
    registrationId,
    invitationId: invitation.id,
    movedInvitationId,
    candidate,
    members: { owner, editor, viewer },
    personas,
  };
}

/** Builds the three workspaces, their people and the placement, for the file that calls it. */
export function setUpLabelWorlds() {
  beforeAll(async () => {
    w = await createPipelineWorld();
    await ensureChecklistTemplate(db, {
      hostInstituteId: w.us.id,
      homeInstituteId: w.uk.id,
      name: "Incoming from the UK",
      items: US_HOST_CHECKLIST,
    });
    for (const label of LABELS) worlds[label] = await buildWorld(label);
    // A US placement of the UK applicant, supervised by the JOINT workspace's owner, who names it.
    const postingId = await openPosting(w);
    const appId = await submittedApplication(w, postingId);
    await advance(w, appId, [
      "HOME_RELEASED",
      "UNDER_REVIEW",
      "SHORTLISTED",
      "OFFERED",
      "ACCEPTED",
    ]);
    const placement = await db.placement.update({
      where: { applicationId: appId },
      data: { hostSupervisorId: worlds.JOINT.members.owner.id },
    });
    placementId = placement.id;
    must(
      await linkPlacementWorkspace(
        worlds.JOINT.members.owner,
        placementId,
        worlds.JOINT.workspaceId,
      ),
    );
  }, 120_000);
}

// --- calling, and what came back ----------------------------------------------------------------

/** ok: 2xx/3xx. refused: 400/409 with a message. notAllowed: 405. skip: allowed, not run here. */
type Outcome = "ok" | "refused" | "forbidden" | "notFound" | "notAllowed" | "skip";

export type Invoked = { status: number; text: string; value: unknown; threw?: string };

export async function invoke(run: () => Promise<unknown>): Promise<Invoked> {
  tally.calls += 1;
  let value: unknown;
  try {
    value = await run();
  } catch (error) {
    if (!(error instanceof Response))
      return { status: 500, text: "", value: error, threw: String(error) };
    value = error;
  }
  if (value instanceof Response)
    return {
      status: value.status,
      text: `${value.headers.get("Location") ?? ""} ${await value.clone().text()}`,
      value,
    };
  const init = value as { type?: string; init?: { status?: number } | null; data?: unknown };
  if (init?.type === "DataWithResponseInit")
    return { status: init.init?.status ?? 200, text: JSON.stringify(init.data), value };
  return { status: 200, text: JSON.stringify(value), value };
}

export function outcomeOf(r: Invoked): string {
  if (r.threw) return `threw ${r.threw}`;
  if (r.status === 404) return "notFound";
  if (r.status === 403) return "forbidden";
  if (r.status === 405) return "notAllowed";
  if (r.status === 400 || r.status === 409) return "refused";
  if (r.status < 400) return "ok";
  return `status ${r.status}`;
}

export const dataOf = <T>(r: Invoked) =>
  ((r.value as { type?: string; data?: unknown })?.type === "DataWithResponseInit"
    ? (r.value as { data: unknown }).data
    : r.value) as T;

/** Everything a person could notice about the workspaces area, in one round trip. */
export async function state() {
  const [row] = await db.$queryRaw<{ state: string }[]>`
    SELECT json_build_object(
      'workspaces', (SELECT string_agg(id || '|' || name || '|' || purpose || '|' ||
          coalesce("restrictedToInstituteId", 'JOINT') || '|' || marking::text || '|' || version,
          ',' ORDER BY id) FROM "Workspace"),
      'pages', (SELECT string_agg(id || '|' || title || '|' || version || '|' || md5(body),
          ',' ORDER BY id) FROM "WorkspacePage"),
      'pageVersions', (SELECT count(*) FROM "PageVersion"),
      'files', (SELECT count(*) FROM "WorkspaceFile"),
      'fileVersions', (SELECT count(*) FROM "WorkspaceFileVersion"),
      'storedFiles', (SELECT count(*) FROM "StoredFile"),
      'threads', (SELECT count(*) FROM "DiscussionThread"),
      'comments', (SELECT count(*) FROM "Comment"),
      'tasks', (SELECT string_agg(id || '|' || title || '|' || status::text || '|' || version ||
          '|' || coalesce("assigneeId", '-'), ',' ORDER BY id) FROM "WorkspaceTask"),
      'registrations', (SELECT string_agg(id || '|' || title || '|' || "contentHash" || '|' ||
          md5(snapshot::text), ',' ORDER BY id) FROM "FindingsRegistration"),
      'members', (SELECT string_agg("workspaceId" || '|' || "userId" || '|' || role::text,
          ',' ORDER BY "workspaceId", "userId") FROM "WorkspaceMember"),
      'invitations', (SELECT string_agg(id || '|' || status::text || '|' || role::text,
          ',' ORDER BY id) FROM "WorkspaceInvitation"),
      'placementWorkspaces', (SELECT count(*) FROM "PlacementWorkspace"),
      'activity', (SELECT count(*) FROM "WorkspaceActivity"),
      'outbox', (SELECT count(*) FROM "OutboxEmail")
    )::text AS state`;
  return row!.state;
}

// --- the matrix ---------------------------------------------------------------------------------

type Ctx = { L: LabelWorld; p: Persona };
type Fields = Record<string, string | string[] | Blob>;
/** An attempt by the owner, through an action, to alter the registration. */
type Tamper = {
  why: string;
  fields: () => Fields | Promise<Fields>;
  path?: string;
  params?: Record<string, string>;
};
export type Entry = {
  /** Route file (a key of ROUTE_FILES or OTHER_FILES). */
  file: string;
  kind: "loader" | "action";
  /** The form's intent, for actions that take one. */
  intent?: string;
  name: string;
  path: (L: LabelWorld) => string;
  params: (L: LabelWorld) => Record<string, string>;
  /** For actions: the form. Refused people send what would succeed if the check were missing. */
  fields?: (c: Ctx) => Fields | Promise<Fields>;
  /** What the persona should get. */
  expect: (c: Ctx) => Outcome;
  /** Checks of a successful answer; each string returned is a failure. */
  check?: (r: Invoked, c: Ctx) => string[] | Promise<string[]>;
  /** For actions: the owner's attempts, through this route, to alter the registration. */
  tamper?: (L: LabelWorld) => Tamper[];
};

const MODULES: Record<string, RouteModule> = { ...ROUTE_FILES, ...OTHER_FILES };

export function run(e: Entry, { L, p }: Ctx, fields?: Fields) {
  const mod = MODULES[e.file]!;
  return e.kind === "loader"
    ? call(mod.loader, get(e.path(L), p.cookie), e.params(L))
    : call(mod.action, post(e.path(L), p.cookie, fields ?? {}), e.params(L));
}

export function attempt(e: Entry, L: LabelWorld, owner: Persona, t: Tamper) {
  const mod = MODULES[e.file]!;
  return async () =>
    call(mod.action, post(t.path ?? e.path(L), owner.cookie, await t.fields()), {
      ...e.params(L),
      ...t.params,
    });
}

/** Members by role; everyone else (non-members, excluded institutes, moved away) a 404. */
export const needs =
  (need: WorkspaceAction, overrides: Partial<Record<PersonaKey, Outcome>> = {}) =>
  ({ p }: Ctx): Outcome =>
    overrides[p.key] ?? (p.role ? (roleMay(p.role, need) ? "ok" : "forbidden") : "notFound");

export const admits = (L: LabelWorld, p: Persona) =>
  L.restrictedTo === null || L.restrictedTo === p.actor.instituteId;

export const ws =
  (path = "") =>
  (L: LabelWorld) =>
    `/workspaces/${L.workspaceId}${path}`;
export const wsParams = (L: LabelWorld) => ({ workspaceId: L.workspaceId });
export const pageParams = (L: LabelWorld) => ({ workspaceId: L.workspaceId, pageId: L.pageId });
export const pageUrl = (L: LabelWorld) => `/workspaces/${L.workspaceId}/pages/${L.pageId}`;
export const none = () => ({});
export const R = (L: LabelWorld) => L.registrationId;
export const regTitle = (L: LabelWorld) => `${L.codeword} registered findings`;

export const pageVersion = async (id: string) =>
  (await db.workspacePage.findUniqueOrThrow({ where: { id }, select: { version: true } })).version;
export const workspaceVersion = async (id: string) =>
  (await db.workspace.findUniqueOrThrow({ where: { id }, select: { version: true } })).version;
export async function taskMove(taskId: string) {
  const t = await db.workspaceTask.findUniqueOrThrow({
    where: { id: taskId },
    select: { status: true, version: true },
  });
  const status = t.status === "OPEN" ? "IN_PROGRESS" : "OPEN";
  return { intent: "move", taskId, status, version: String(t.version) };
}
export const shows =
  (what: (L: LabelWorld) => string, problem: string) =>
  (r: Invoked, { L }: Ctx) =>
    r.text.includes(what(L)) ? [] : [problem];
