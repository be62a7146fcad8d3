import { readdirSync, readFileSync } from "node:fs";
import { beforeAll, expect, test } from "vitest";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { ensureUser, uniqueEmail } from "#test/factories";
import type { WorkspaceRole } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import {
  createPage,
  createTask,
  createThread,
  addComment,
  getRegistration,
  registerFindings,
  savePage,
  uploadFile,
} from "~/modules/workspaces/content.server";
import { roleMay, type WorkspaceAction } from "~/modules/workspaces/rules";
import {
  answerInvitation,
  createWorkspace,
  inviteMember,
  linkPlacementWorkspace,
} from "~/modules/workspaces/workspaces.server";
import * as placementPage from "~/routes/placements.$placementId";
import * as myTasks from "~/routes/tasks._index";
import * as wsLayout from "~/routes/workspaces.$workspaceId";
import * as wsHome from "~/routes/workspaces.$workspaceId._index";
import * as wsActivity from "~/routes/workspaces.$workspaceId.activity";
import * as wsThread from "~/routes/workspaces.$workspaceId.discussion.$threadId";
import * as wsDiscussion from "~/routes/workspaces.$workspaceId.discussion._index";
import * as wsDownload from "~/routes/workspaces.$workspaceId.files.$fileId.$version";
import * as wsFiles from "~/routes/workspaces.$workspaceId.files._index";
import * as wsMembers from "~/routes/workspaces.$workspaceId.members";
import * as wsPage from "~/routes/workspaces.$workspaceId.pages.$pageId._index";
import * as wsPageEdit from "~/routes/workspaces.$workspaceId.pages.$pageId.edit";
import * as wsPageHistory from "~/routes/workspaces.$workspaceId.pages.$pageId.history";
import * as wsPages from "~/routes/workspaces.$workspaceId.pages._index";
import * as wsRegistration from "~/routes/workspaces.$workspaceId.registrations.$registrationId";
import * as wsRegistrations from "~/routes/workspaces.$workspaceId.registrations._index";
import * as wsSearch from "~/routes/workspaces.$workspaceId.search";
import * as wsTasks from "~/routes/workspaces.$workspaceId.tasks";
import * as wsIndex from "~/routes/workspaces._index";
import * as wsNew from "~/routes/workspaces.new";
import { call, get, post, sessionCookieFor } from "#test/support/route-harness";
import { must } from "#test/factories/results";
import {
  advance,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";

// The label enforcement matrix of the workspaces area: every route module of the area (loader, and
// action with each intent it accepts), called as the server calls it with a real session cookie,
// for each label (JOINT, US-only, UK-only) and each kind of person: the workspace's owner, editor
// and viewer; staff and HR of every institute who are not members; the admin; and, for the
// one-institute labels, a member and an invitee who have since moved to another institute. Whoever
// may not know the workspace gets a 404 and learns nothing of it; a member whose role lacks the
// right gets a 403; neither changes anything. Every refused request carries data that would
// succeed if the check were missing, so each expectation can fail.

// --- the routes of the area ---------------------------------------------------------------------

type RouteModule = { loader?: unknown; action?: unknown };

/** Every route file of the area, by file name. The first test fails if app/routes holds another. */
const ROUTE_FILES: Record<string, RouteModule> = {
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
  "workspaces.$workspaceId.files._index.tsx": wsFiles,
  "workspaces.$workspaceId.files.$fileId.$version.tsx": wsDownload,
  "workspaces.$workspaceId.discussion._index.tsx": wsDiscussion,
  "workspaces.$workspaceId.discussion.$threadId.tsx": wsThread,
  "workspaces.$workspaceId.tasks.tsx": wsTasks,
  "workspaces.$workspaceId.registrations._index.tsx": wsRegistrations,
  "workspaces.$workspaceId.registrations.$registrationId.tsx": wsRegistration,
};
/** Routes outside workspaces.* that belong to the area: My tasks, and the placement's host workspaces. */
const OTHER_FILES: Record<string, RouteModule> = {
  "tasks._index.tsx": myTasks,
  "placements.$placementId.tsx": placementPage,
};
const ROUTES_DIR = new URL("../../../app/routes/", import.meta.url);

// --- people and worlds --------------------------------------------------------------------------

const LABELS = ["JOINT", "US-ONLY", "UK-ONLY"] as const;
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

type Persona = {
  key: PersonaKey;
  actor: Actor;
  cookie: string;
  /** The role that counts: a membership the label admits. Null for everyone else. */
  role: WorkspaceRole | null;
};

type LabelWorld = {
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

let w: World;
let placementId: string;
const worlds = {} as Record<Label, LabelWorld>;
const cookieCache = new Map<string, string>();
const tally = { calls: 0, cells: 0 };

async function cookieFor(actor: Actor) {
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
  await advance(w, appId, ["HOME_RELEASED", "UNDER_REVIEW", "SHORTLISTED", "OFFERED", "ACCEPTED"]);
  const placement = await db.placement.update({
    where: { applicationId: appId },
    data: { hostSupervisorId: worlds.JOINT.members.owner.id },
  });
  placementId = placement.id;
  must(
    await linkPlacementWorkspace(worlds.JOINT.members.owner, placementId, worlds.JOINT.workspaceId),
  );
}, 120_000);

// --- calling, and what came back ----------------------------------------------------------------

/** ok: 2xx/3xx. refused: 400/409 with a message. notAllowed: 405. skip: allowed, not run here. */
type Outcome = "ok" | "refused" | "forbidden" | "notFound" | "notAllowed" | "skip";

type Invoked = { status: number; text: string; value: unknown; threw?: string };

async function invoke(run: () => Promise<unknown>): Promise<Invoked> {
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

function outcomeOf(r: Invoked): string {
  if (r.threw) return `threw ${r.threw}`;
  if (r.status === 404) return "notFound";
  if (r.status === 403) return "forbidden";
  if (r.status === 405) return "notAllowed";
  if (r.status === 400 || r.status === 409) return "refused";
  if (r.status < 400) return "ok";
  return `status ${r.status}`;
}

const dataOf = <T>(r: Invoked) =>
  ((r.value as { type?: string; data?: unknown })?.type === "DataWithResponseInit"
    ? (r.value as { data: unknown }).data
    : r.value) as T;

/** Everything a person could notice about the workspaces area, in one round trip. */
async function state() {
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
type Entry = {
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

function run(e: Entry, { L, p }: Ctx, fields?: Fields) {
  const mod = MODULES[e.file]!;
  return e.kind === "loader"
    ? call(mod.loader, get(e.path(L), p.cookie), e.params(L))
    : call(mod.action, post(e.path(L), p.cookie, fields ?? {}), e.params(L));
}

function attempt(e: Entry, L: LabelWorld, owner: Persona, t: Tamper) {
  const mod = MODULES[e.file]!;
  return async () =>
    call(mod.action, post(t.path ?? e.path(L), owner.cookie, await t.fields()), {
      ...e.params(L),
      ...t.params,
    });
}

/** Members by role; everyone else (non-members, excluded institutes, moved away) a 404. */
const needs =
  (need: WorkspaceAction, overrides: Partial<Record<PersonaKey, Outcome>> = {}) =>
  ({ p }: Ctx): Outcome =>
    overrides[p.key] ?? (p.role ? (roleMay(p.role, need) ? "ok" : "forbidden") : "notFound");

const admits = (L: LabelWorld, p: Persona) =>
  L.restrictedTo === null || L.restrictedTo === p.actor.instituteId;

const ws =
  (path = "") =>
  (L: LabelWorld) =>
    `/workspaces/${L.workspaceId}${path}`;
const wsParams = (L: LabelWorld) => ({ workspaceId: L.workspaceId });
const pageParams = (L: LabelWorld) => ({ workspaceId: L.workspaceId, pageId: L.pageId });
const pageUrl = (L: LabelWorld) => `/workspaces/${L.workspaceId}/pages/${L.pageId}`;
const none = () => ({});
const R = (L: LabelWorld) => L.registrationId;
const regTitle = (L: LabelWorld) => `${L.codeword} registered findings`;

const pageVersion = async (id: string) =>
  (await db.workspacePage.findUniqueOrThrow({ where: { id }, select: { version: true } })).version;
const workspaceVersion = async (id: string) =>
  (await db.workspace.findUniqueOrThrow({ where: { id }, select: { version: true } })).version;
async function taskMove(taskId: string) {
  const t = await db.workspaceTask.findUniqueOrThrow({
    where: { id: taskId },
    select: { status: true, version: true },
  });
  const status = t.status === "OPEN" ? "IN_PROGRESS" : "OPEN";
  return { intent: "move", taskId, status, version: String(t.version) };
}
const shows =
  (what: (L: LabelWorld) => string, problem: string) =>
  (r: Invoked, { L }: Ctx) =>
    r.text.includes(what(L)) ? [] : [problem];
let serial = 0;

const ENTRIES: Entry[] = [
  // --- lists and creation: open to everyone, showing nothing of a workspace one is not in
  {
    file: "workspaces._index.tsx",
    kind: "loader",
    name: "GET /workspaces",
    path: () => "/workspaces",
    params: none,
    expect: () => "ok",
    check: (r, { L, p }) =>
      p.role && !r.text.includes(L.name) ? [`${p.key} does not see their workspace`] : [],
  },
  {
    file: "workspaces._index.tsx",
    kind: "action",
    name: "POST /workspaces (accept an invitation: someone else's, or one's own after moving)",
    path: () => "/workspaces",
    params: none,
    fields: ({ L, p }) => ({
      invitationId: p.key === "invitedThenMoved" ? L.movedInvitationId : L.invitationId,
      answer: "accept",
    }),
    expect: () => "notFound",
    tamper: (L) => [
      {
        why: "answer the registration id as an invitation",
        fields: () => ({ invitationId: R(L), answer: "decline" }),
      },
    ],
  },
  {
    file: "workspaces.new.tsx",
    kind: "loader",
    name: "GET /workspaces/new",
    path: () => "/workspaces/new",
    params: none,
    expect: () => "ok",
    check: (r, { p }) => {
      // The labels offered: JOINT and the person's own institute, never another institute.
      const values = dataOf<{ labels: { value: string }[] }>(r).labels.map((l) => l.value);
      const wrong = values.filter((v) => v !== "JOINT" && v !== p.actor.instituteId);
      return wrong.length ? [`offers ${p.key} the labels ${wrong.join(", ")}`] : [];
    },
  },
  {
    file: "workspaces.new.tsx",
    kind: "action",
    name: "POST /workspaces/new with this label",
    path: () => "/workspaces/new",
    params: none,
    fields: ({ L }) => ({
      name: `Side project ${++serial}`,
      purpose: "A workspace of one's own",
      label: L.restrictedTo ?? "JOINT",
      marking: "OFFICIAL",
      template: "GENERAL",
    }),
    // Nobody may create a workspace whose label would shut themselves out.
    expect: ({ L, p }) => (admits(L, p) ? "ok" : "refused"),
    tamper: (L) => [
      {
        why: "create a workspace naming the registration",
        fields: () => ({
          name: `Copy ${++serial}`,
          purpose: regTitle(L),
          label: "JOINT",
          marking: "OFFICIAL",
          template: "GENERAL",
          registrationId: R(L),
        }),
      },
    ],
  },
  {
    file: "tasks._index.tsx",
    kind: "loader",
    name: "GET /tasks (My tasks)",
    path: () => "/tasks",
    params: none,
    expect: () => "ok",
    check: (r, { L, p }) =>
      (p.key === "editor" && !r.text.includes(L.taskTitle)) ||
      (p.key === "viewer" && !r.text.includes(L.viewerTaskTitle))
        ? [`${p.key}'s task is missing from My tasks`]
        : [],
  },

  // --- inside the workspace
  {
    file: "workspaces.$workspaceId.tsx",
    kind: "loader",
    name: "GET frame",
    path: ws(),
    params: wsParams,
    expect: needs("read"),
    check: shows((L) => L.name, "the frame does not name the workspace"),
  },
  {
    file: "workspaces.$workspaceId._index.tsx",
    kind: "loader",
    name: "GET home",
    path: ws(),
    params: wsParams,
    expect: needs("read"),
    check: shows((L) => L.taskTitle, "the home shows no tasks"),
  },
  {
    file: "workspaces.$workspaceId.activity.tsx",
    kind: "loader",
    name: "GET activity",
    path: ws("/activity"),
    params: wsParams,
    expect: needs("read"),
    check: shows((L) => L.pageTitle, "the activity is empty"),
  },
  {
    file: "workspaces.$workspaceId.search.tsx",
    kind: "loader",
    name: "GET search",
    path: (L) => `${ws("/search")(L)}?q=${L.codeword}`,
    params: wsParams,
    expect: needs("read"),
    check: (r) =>
      dataOf<{ hits: unknown[] }>(r).hits.length ? [] : ["a member's search finds nothing"],
  },
  {
    file: "workspaces.$workspaceId.members.tsx",
    kind: "loader",
    name: "GET members",
    path: ws("/members"),
    params: wsParams,
    expect: needs("read"),
    check: shows((L) => L.members.viewer.email, "the members are not listed"),
  },
  {
    file: "workspaces.$workspaceId.members.tsx",
    kind: "action",
    intent: "invite",
    name: "POST members invite",
    path: ws("/members"),
    params: wsParams,
    // The attacker invites as owner; the owner's own run invites as viewer.
    fields: ({ L, p }) => ({
      intent: "invite",
      email: L.candidate.email,
      role: p.key === "owner" ? "VIEWER" : "OWNER",
    }),
    expect: needs("manage"),
    tamper: (L) => [
      {
        why: "invite the registration id",
        fields: () => ({ intent: "invite", email: R(L), role: "VIEWER", registrationId: R(L) }),
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.members.tsx",
    kind: "action",
    intent: "role",
    name: "POST members role (viewer to owner)",
    path: ws("/members"),
    params: wsParams,
    // The owner's own run sets the editor's role to what it is.
    fields: ({ L, p }) =>
      p.key === "owner"
        ? { intent: "role", userId: L.members.editor.id, role: "EDITOR" }
        : { intent: "role", userId: L.members.viewer.id, role: "OWNER" },
    expect: needs("manage"),
    tamper: (L) => [
      {
        why: "give the registration id a role",
        fields: () => ({ intent: "role", userId: R(L), role: "OWNER" }),
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.members.tsx",
    kind: "action",
    intent: "remove",
    name: "POST members remove (the editor)",
    path: ws("/members"),
    params: wsParams,
    fields: ({ L }) => ({ intent: "remove", userId: L.members.editor.id }),
    // The editor removing themselves is leaving, which they may.
    expect: needs("manage", { owner: "skip", editor: "skip" }),
    tamper: (L) => [
      { why: "remove the registration id", fields: () => ({ intent: "remove", userId: R(L) }) },
    ],
  },
  {
    file: "workspaces.$workspaceId.members.tsx",
    kind: "action",
    intent: "leave",
    name: "POST members leave",
    path: ws("/members"),
    params: wsParams,
    fields: () => ({ intent: "leave" }),
    expect: needs("read", { owner: "refused", editor: "skip", viewer: "skip" }),
    tamper: (L) => [
      {
        why: "leave, naming the registration",
        fields: () => ({ intent: "leave", userId: R(L), registrationId: R(L) }),
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.members.tsx",
    kind: "action",
    intent: "cancel-invitation",
    name: "POST members cancel-invitation",
    path: ws("/members"),
    params: wsParams,
    fields: ({ L }) => ({ intent: "cancel-invitation", invitationId: L.invitationId }),
    expect: needs("manage", { owner: "skip" }),
    tamper: (L) => [
      {
        why: "cancel the registration id as an invitation",
        fields: () => ({ intent: "cancel-invitation", invitationId: R(L) }),
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.members.tsx",
    kind: "action",
    intent: "settings",
    name: "POST members settings (rename, relabel JOINT)",
    path: ws("/members"),
    params: wsParams,
    // The owner's own run saves the settings as they are.
    fields: async ({ L, p }) => ({
      intent: "settings",
      name: p.key === "owner" ? L.name : "Taken over",
      purpose: L.purpose,
      label: p.key === "owner" ? (L.restrictedTo ?? "JOINT") : "JOINT",
      marking: "OFFICIAL_SENSITIVE",
      version: String(await workspaceVersion(L.workspaceId)),
    }),
    expect: needs("manage"),
    tamper: (L) => [
      {
        why: "settings carrying the registration's fields",
        fields: async () => ({
          intent: "settings",
          name: L.name,
          purpose: L.purpose,
          label: L.restrictedTo ?? "JOINT",
          marking: "OFFICIAL_SENSITIVE",
          version: String(await workspaceVersion(L.workspaceId)),
          registrationId: R(L),
          title: "Tampered",
          snapshot: "[]",
          contentHash: "0".repeat(64),
        }),
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.pages._index.tsx",
    kind: "loader",
    name: "GET pages",
    path: ws("/pages"),
    params: wsParams,
    expect: needs("read"),
    check: shows((L) => L.pageTitle, "the page is not listed"),
  },
  {
    file: "workspaces.$workspaceId.pages._index.tsx",
    kind: "action",
    name: "POST pages (create)",
    path: ws("/pages"),
    params: wsParams,
    fields: () => ({ title: `Notes ${++serial}`, body: "Planted text." }),
    expect: needs("edit"),
    tamper: (L) => [
      {
        why: "a page titled like the registration, naming it",
        fields: () => ({
          title: regTitle(L),
          body: "Tampered.",
          pageId: R(L),
          registrationId: R(L),
        }),
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.pages.$pageId._index.tsx",
    kind: "loader",
    name: "GET page",
    path: pageUrl,
    params: pageParams,
    expect: needs("read"),
    check: shows((L) => L.pageTitle, "the page shows nothing"),
  },
  {
    file: "workspaces.$workspaceId.pages.$pageId._index.tsx",
    kind: "action",
    intent: "thread",
    name: "POST page thread",
    path: pageUrl,
    params: pageParams,
    fields: () => ({ intent: "thread", title: `Question ${++serial}`, body: "Planted comment." }),
    expect: needs("comment"),
    tamper: (L) => [
      {
        why: "a thread on the registration id as a page",
        fields: () => ({ intent: "thread", title: regTitle(L), body: "Tampered." }),
        path: `/workspaces/${L.workspaceId}/pages/${R(L)}`,
        params: { pageId: R(L) },
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.pages.$pageId._index.tsx",
    kind: "action",
    intent: "comment",
    name: "POST page comment",
    path: pageUrl,
    params: pageParams,
    fields: ({ L }) => ({ intent: "comment", threadId: L.threadId, body: "Planted comment." }),
    expect: needs("comment"),
    tamper: (L) => [
      {
        why: "a comment on the registration id as a thread",
        fields: () => ({ intent: "comment", threadId: R(L), body: "Tampered." }),
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.pages.$pageId.edit.tsx",
    kind: "loader",
    name: "GET page edit",
    path: (L) => `${pageUrl(L)}/edit`,
    params: pageParams,
    expect: needs("edit"),
    check: shows((L) => L.pageTitle, "the editor opens nothing"),
  },
  {
    file: "workspaces.$workspaceId.pages.$pageId.edit.tsx",
    kind: "action",
    name: "POST page edit (save over the current version)",
    path: (L) => `${pageUrl(L)}/edit`,
    params: pageParams,
    fields: async ({ L }) => ({
      title: L.pageTitle,
      body: `${L.pageBody}\n\nEdited ${++serial}.`,
      baseVersion: String(await pageVersion(L.pageId)),
    }),
    expect: needs("edit"),
    tamper: (L) => [
      {
        // The registered page itself: the registration must keep the version it froze.
        why: "rewrite the registered page",
        fields: async () => ({
          title: regTitle(L),
          body: "Rewritten after registration.",
          baseVersion: String(await pageVersion(L.pageId)),
        }),
      },
      {
        why: "edit the registration id as a page",
        fields: () => ({ title: "Tampered", body: "Tampered.", baseVersion: "1" }),
        path: `/workspaces/${L.workspaceId}/pages/${R(L)}/edit`,
        params: { pageId: R(L) },
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.pages.$pageId.history.tsx",
    kind: "loader",
    name: "GET page history",
    path: (L) => `${pageUrl(L)}/history?from=1&to=2`,
    params: pageParams,
    expect: needs("read"),
    check: (r) =>
      dataOf<{ history: { versions: unknown[] } }>(r).history.versions.length >= 2
        ? []
        : ["the history lacks versions"],
  },
  {
    file: "workspaces.$workspaceId.files._index.tsx",
    kind: "loader",
    name: "GET files",
    path: ws("/files"),
    params: wsParams,
    expect: needs("read"),
    check: shows((L) => L.fileName, "the file is not listed"),
  },
  {
    file: "workspaces.$workspaceId.files._index.tsx",
    kind: "action",
    name: "POST files (a new version of the file)",
    path: ws("/files"),
    params: wsParams,
    fields: ({ L }) => ({
      file: new File([`replaced ${++serial}\n`], L.fileName, { type: "text/plain" }),
    }),
    expect: needs("edit"),
    tamper: (L) => [
      {
        why: "a file named after the registration",
        fields: () => ({
          file: new File(["tampered\n"], `${R(L)}.txt`, { type: "text/plain" }),
          registrationId: R(L),
        }),
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.files.$fileId.$version.tsx",
    kind: "loader",
    name: "GET file download",
    path: (L) => `${ws("/files")(L)}/${L.fileId}/1`,
    params: (L) => ({ workspaceId: L.workspaceId, fileId: L.fileId, version: "1" }),
    expect: needs("read"),
    check: async (r, { L }) => {
      const response = r.value as Response;
      const problems: string[] = [];
      if (!/^attachment;/.test(response.headers.get("Content-Disposition") ?? ""))
        problems.push("the download is not an attachment");
      const bytes = Buffer.from(await response.clone().arrayBuffer());
      if (!bytes.equals(Buffer.from(L.fileBytes))) problems.push("the download is not the file");
      return problems;
    },
  },
  {
    file: "workspaces.$workspaceId.discussion._index.tsx",
    kind: "loader",
    name: "GET discussion",
    path: ws("/discussion"),
    params: wsParams,
    expect: needs("read"),
    check: shows((L) => `${L.codeword} rerun question`, "the thread is not listed"),
  },
  {
    file: "workspaces.$workspaceId.discussion._index.tsx",
    kind: "action",
    name: "POST discussion (new thread)",
    path: ws("/discussion"),
    params: wsParams,
    fields: () => ({ title: `Topic ${++serial}`, body: "Planted comment." }),
    expect: needs("comment"),
    tamper: (L) => [
      {
        why: "a thread naming the registration as its page",
        fields: () => ({
          title: regTitle(L),
          body: "Tampered.",
          pageId: R(L),
          registrationId: R(L),
        }),
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.discussion.$threadId.tsx",
    kind: "loader",
    name: "GET thread",
    path: (L) => `${ws("/discussion")(L)}/${L.threadId}`,
    params: (L) => ({ workspaceId: L.workspaceId, threadId: L.threadId }),
    expect: needs("read"),
    check: shows((L) => `${L.codeword} run 3`, "the thread shows no comment"),
  },
  {
    file: "workspaces.$workspaceId.discussion.$threadId.tsx",
    kind: "action",
    name: "POST thread comment",
    path: (L) => `${ws("/discussion")(L)}/${L.threadId}`,
    params: (L) => ({ workspaceId: L.workspaceId, threadId: L.threadId }),
    fields: () => ({ body: "Planted comment." }),
    expect: needs("comment"),
    tamper: (L) => [
      {
        why: "a comment on the registration id as a thread",
        fields: () => ({ body: "Tampered." }),
        path: `/workspaces/${L.workspaceId}/discussion/${R(L)}`,
        params: { threadId: R(L) },
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.tasks.tsx",
    kind: "loader",
    name: "GET tasks",
    path: ws("/tasks"),
    params: wsParams,
    expect: needs("read"),
    check: shows((L) => L.taskTitle, "the task is not listed"),
  },
  {
    file: "workspaces.$workspaceId.tasks.tsx",
    kind: "action",
    intent: "create",
    name: "POST tasks create",
    path: ws("/tasks"),
    params: wsParams,
    fields: () => ({ intent: "create", title: `Chore ${++serial}`, assigneeId: "", dueOn: "" }),
    expect: needs("edit"),
    tamper: (L) => [
      {
        why: "a task titled like the registration, assigned to its id",
        fields: () => ({ intent: "create", title: regTitle(L), assigneeId: R(L), dueOn: "" }),
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.tasks.tsx",
    kind: "action",
    intent: "move",
    name: "POST tasks move (the editor's task)",
    path: ws("/tasks"),
    params: wsParams,
    fields: ({ L }) => taskMove(L.taskId),
    // A viewer moves only the tasks assigned to them.
    expect: needs("edit"),
    tamper: (L) => [
      {
        why: "move the registration id as a task",
        fields: () => ({ intent: "move", taskId: R(L), status: "DONE", version: "0" }),
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.tasks.tsx",
    kind: "action",
    intent: "move",
    name: "POST tasks move (the viewer's own task)",
    path: ws("/tasks"),
    params: wsParams,
    fields: ({ L }) => taskMove(L.viewerTaskId),
    expect: needs("read"),
    tamper: (L) => [
      {
        why: "move a task, naming the registration",
        fields: async () => ({ ...(await taskMove(L.viewerTaskId)), registrationId: R(L) }),
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.registrations._index.tsx",
    kind: "loader",
    name: "GET registrations",
    path: ws("/registrations"),
    params: wsParams,
    expect: needs("read"),
    check: shows(regTitle, "the registration is not listed"),
  },
  {
    file: "workspaces.$workspaceId.registrations._index.tsx",
    kind: "action",
    name: "POST registrations (register findings)",
    path: ws("/registrations"),
    params: wsParams,
    fields: ({ L }) => ({ title: `Interim findings ${++serial}`, pageIds: [L.pageId] }),
    expect: needs("manage"),
    tamper: (L) => [
      {
        why: "register the registration id as a page",
        fields: () => ({ title: regTitle(L), pageIds: [R(L)] }),
      },
      {
        why: "register again under the same title, naming the old one",
        fields: () => ({ title: regTitle(L), pageIds: [L.pageId], registrationId: R(L) }),
      },
    ],
  },
  {
    file: "workspaces.$workspaceId.registrations.$registrationId.tsx",
    kind: "loader",
    name: "GET registration",
    path: (L) => `${ws("/registrations")(L)}/${R(L)}`,
    params: (L) => ({ workspaceId: L.workspaceId, registrationId: R(L) }),
    expect: needs("read"),
    check: (r) =>
      dataOf<{ registration: { intact: boolean } }>(r).registration.intact
        ? []
        : ["the registration is not intact"],
  },
  {
    file: "workspaces.$workspaceId.registrations.$registrationId.tsx",
    kind: "action",
    name: "POST registration (change it)",
    path: (L) => `${ws("/registrations")(L)}/${R(L)}`,
    params: (L) => ({ workspaceId: L.workspaceId, registrationId: R(L) }),
    fields: () => ({ title: "Rewritten", snapshot: "[]" }),
    // Members are told a registration cannot change; anyone else does not learn it exists.
    expect: ({ p }) => (p.role ? "notAllowed" : "notFound"),
    tamper: (L) =>
      ["update", "delete", ""].map((intent) => ({
        why: `POST the registration itself (intent "${intent}")`,
        fields: () => ({
          intent,
          _method: intent === "delete" ? "DELETE" : "PUT",
          title: "Tampered",
          snapshot: JSON.stringify([{ pageId: L.pageId, title: "x", version: 1, body: "x" }]),
          contentHash: "0".repeat(64),
        }),
      })),
  },

  // --- the placement page's "Host workspaces": host HR or the supervisor, owning the workspace
  {
    file: "placements.$placementId.tsx",
    kind: "action",
    intent: "link-workspace",
    name: "POST placement link-workspace",
    path: () => `/placements/${placementId}`,
    params: () => ({ placementId }),
    fields: ({ L }) => ({ intent: "link-workspace", workspaceId: L.workspaceId }),
    // The JOINT workspace is already named, by its owner (the host supervisor).
    expect: ({ L, p }) => (L.label === "JOINT" && p.key === "owner" ? "refused" : "notFound"),
    tamper: (L) => [
      {
        why: "name the registration id as a workspace",
        fields: () => ({ intent: "link-workspace", workspaceId: R(L) }),
      },
    ],
  },
  {
    file: "placements.$placementId.tsx",
    kind: "action",
    intent: "unlink-workspace",
    name: "POST placement unlink-workspace",
    path: () => `/placements/${placementId}`,
    params: () => ({ placementId }),
    fields: ({ L }) => ({ intent: "unlink-workspace", workspaceId: L.workspaceId }),
    expect: ({ L, p }) => (L.label === "JOINT" && p.key === "owner" ? "ok" : "notFound"),
    // Named again, for the tests that follow.
    check: async (_r, { L }) => {
      must(await linkPlacementWorkspace(L.members.owner, placementId, L.workspaceId));
      return [];
    },
    tamper: (L) => [
      {
        why: "unlink the registration id as a workspace",
        fields: () => ({ intent: "unlink-workspace", workspaceId: R(L) }),
      },
    ],
  },
];

// --- the tests ----------------------------------------------------------------------------------

/** The intents a route's action accepts, read from its source. */
function intentsIn(file: string) {
  const source = readFileSync(new URL(file, ROUTES_DIR), "utf8");
  const action = source.slice(source.indexOf("export async function action"));
  if (!source.includes("export async function action")) return [];
  const found = new Set<string>();
  for (const m of action.matchAll(/case "([\w-]+)":|intent === "([\w-]+)"/g))
    found.add((m[1] ?? m[2])!);
  return [...found].sort();
}

test("the matrix declares every route file of the area, its loader, its action and each intent", () => {
  const onDisk = readdirSync(ROUTES_DIR)
    .filter((f) => /^workspaces\./.test(f))
    .sort();
  expect(onDisk.length).toBeGreaterThan(0);
  expect(onDisk).toEqual(Object.keys(ROUTE_FILES).sort());
  const table = ENTRIES;
  const missing: string[] = [];
  // The placement page is checked below for its two workspace intents only; its loader's "Host
  // workspaces" section has a test of its own.
  const modules = { ...ROUTE_FILES, "tasks._index.tsx": OTHER_FILES["tasks._index.tsx"]! };
  for (const [file, mod] of Object.entries(modules)) {
    const mine = table.filter((e) => e.file === file);
    if ("loader" in mod && !mine.some((e) => e.kind === "loader")) missing.push(`${file} loader`);
    if (!("action" in mod)) continue;
    const intents = intentsIn(file);
    if (!intents.length && !mine.some((e) => e.kind === "action")) missing.push(`${file} action`);
    for (const intent of intents)
      if (!mine.some((e) => e.kind === "action" && e.intent === intent))
        missing.push(`${file} action intent "${intent}"`);
  }
  // The placement page: the two intents of its "Host workspaces" section.
  for (const intent of intentsIn("placements.$placementId.tsx").filter((i) =>
    i.includes("workspace"),
  ))
    if (!table.some((e) => e.file === "placements.$placementId.tsx" && e.intent === intent))
      missing.push(`placements.$placementId.tsx action intent "${intent}"`);
  for (const e of table)
    if (e.kind === "action" && (!e.fields || !e.tamper?.(worlds.JOINT).length))
      missing.push(`${e.name}: no form, or no attempt on the registration`);
  expect(missing).toEqual([]);
});

async function runMatrix(L: LabelWorld) {
  const problems: string[] = [];
  const leak = (r: Invoked, p: Persona) =>
    !p.role && r.text.toLowerCase().includes(L.codeword.toLowerCase());
  const once = async (e: Entry, p: Persona) => {
    tally.cells += 1;
    const fields = e.kind === "action" ? await e.fields!({ L, p }) : undefined;
    const before = e.kind === "action" ? await state() : "";
    const r = await invoke(() => run(e, { L, p }, fields));
    const changed = e.kind === "action" && (await state()) !== before;
    if (leak(r, p))
      problems.push(`${e.name} as ${p.key}: the answer shows the workspace's content`);
    return { r, got: outcomeOf(r), changed };
  };

  // First everything that must be refused, each checked to change nothing.
  for (const e of ENTRIES)
    for (const p of L.personas) {
      const expected = e.expect({ L, p });
      if (expected === "ok" || expected === "skip") continue;
      const { got, changed } = await once(e, p);
      if (got !== expected)
        problems.push(`${e.name} as ${p.key}: expected ${expected}, got ${got}`);
      if (changed) problems.push(`${e.name} as ${p.key} (${got}): the data changed`);
    }
  // Then what is allowed, with what the answer must show.
  for (const e of ENTRIES)
    for (const p of L.personas) {
      if (e.expect({ L, p }) !== "ok") continue;
      const { r, got } = await once(e, p);
      if (got !== "ok") problems.push(`${e.name} as ${p.key}: expected ok, got ${got}`);
      else
        for (const problem of (await e.check?.(r, { L, p })) ?? [])
          problems.push(`${e.name} as ${p.key}: ${problem}`);
    }
  return problems;
}

for (const label of LABELS)
  test(`label ${label}: every route, every person`, async () => {
    const L = worlds[label];
    // The moved member really is still in the table, with a task: only the label keeps them out.
    if (L.restrictedTo) {
      const moved = L.personas.find((p) => p.key === "movedOut")!;
      expect(
        await db.workspaceMember.count({
          where: { workspaceId: L.workspaceId, userId: moved.actor.id },
        }),
      ).toBe(1);
      expect(
        await db.workspaceTask.count({
          where: { workspaceId: L.workspaceId, assigneeId: moved.actor.id },
        }),
      ).toBe(1);
    }
    expect(await runMatrix(L)).toEqual([]);
  }, 120_000);

test("the placement's host workspaces name only workspaces the viewer is in", async () => {
  const J = worlds.JOINT;
  const codewords = LABELS.map((l) => worlds[l].codeword.toLowerCase());
  const problems: string[] = [];
  const view = async (actor: Actor) => {
    const cookie = await cookieFor(actor);
    return invoke(() =>
      call(placementPage.loader, get(`/placements/${placementId}`, cookie), { placementId }),
    );
  };
  // The parties of the placement who are not in the workspace: it is counted, never named.
  for (const [who, actor] of [
    ["host HR", w.hostHr],
    ["home HR", w.homeHr],
    ["secondee", w.applicant],
    ["line manager", w.manager],
  ] as const) {
    const r = await view(actor);
    if (r.status !== 200) {
      problems.push(`${who}: status ${r.status}`);
      continue;
    }
    const shown = dataOf<{ workspaces: { hiddenCount: number; linked: unknown[] } }>(r).workspaces;
    if (shown.hiddenCount !== 1 || shown.linked.length !== 0)
      problems.push(`${who}: ${JSON.stringify(shown)}`);
    for (const word of codewords)
      if (r.text.toLowerCase().includes(word)) problems.push(`${who} sees "${word}"`);
  }
  // The supervisor owns it: named, and the one-institute workspaces (not theirs) are not offered.
  const r = await view(J.members.owner);
  expect(r.status).toBe(200);
  expect(r.text).toContain(J.name);
  for (const l of ["US-ONLY", "UK-ONLY"] as const)
    if (r.text.includes(worlds[l].codeword)) problems.push(`supervisor sees ${l}`);
  expect(problems).toEqual([]);
});

test("no route changes a registration, whatever the owner posts", async () => {
  const problems: string[] = [];
  const table = ENTRIES.filter((e) => e.kind === "action");
  for (const label of LABELS) {
    const L = worlds[label];
    const owner = L.personas.find((p) => p.key === "owner")!;
    const raw = () =>
      db.$queryRaw<unknown[]>`
        SELECT id, "workspaceId", title, "registeredById", "registeredAt"::text AS "registeredAt",
          snapshot::text AS snapshot, "contentHash"
        FROM "FindingsRegistration" WHERE id = ${L.registrationId}`.then((rows) =>
        JSON.stringify(rows),
      );
    const before = await raw();
    expect(before).toContain(L.codeword);
    for (const e of table)
      for (const t of e.tamper!(L)) {
        const r = await invoke(attempt(e, L, owner, t));
        const got = outcomeOf(r);
        if (r.threw || r.status >= 500) problems.push(`${label} ${e.name}, ${t.why}: ${got}`);
        if (e.file === "workspaces.$workspaceId.registrations.$registrationId.tsx") {
          const message = JSON.stringify(dataOf(r));
          if (r.status !== 405 || !/cannot be changed/.test(message))
            problems.push(
              `${label} ${t.why}: expected 405 with a message, got ${r.status} ${message}`,
            );
        }
        if ((await raw()) !== before) {
          problems.push(`${label} ${e.name}, ${t.why}: the registration row changed`);
          break;
        }
      }
    const registration = await getRegistration(L.members.owner, L.workspaceId, L.registrationId);
    expect(registration.intact).toBe(true);
    // The registered page has moved on; the registration still holds version 2 as it was.
    expect(await pageVersion(L.pageId)).toBeGreaterThan(2);
    expect(registration.pages.map((p) => [p.pageId, p.version, p.body])).toEqual([
      [L.pageId, 2, L.pageBody],
    ]);
  }
  expect(problems).toEqual([]);
}, 120_000);

test("summary", () => {
  const files = new Set(ENTRIES.map((e) => e.file)).size;
  const personas = LABELS.map((l) => `${worlds[l].personas.length} (${l})`).join(" + ");
  const possible = LABELS.reduce((n, l) => n + worlds[l].personas.length, 0) * ENTRIES.length;
  console.log(
    `workspaces label matrix: ${ENTRIES.length} loaders/actions/intents of ${files} route files ` +
      `x personas ${personas} = ${possible} cells, ${tally.cells} run (the rest allowed, shown ` +
      `elsewhere); ${tally.calls} route calls in all, with the registration attempts`,
  );
  expect(tally.cells).toBeGreaterThan(possible * 0.9);
});
