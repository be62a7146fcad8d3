// The entries of the workspaces label matrix: every loader, action and intent of the area, what
// each person gets from it, what a successful answer must show, and the owner's attempts through
// it to alter a findings registration.
import { linkPlacementWorkspace } from "~/modules/workspaces/placement-access.server";
import { must } from "#test/factories/results";
import {
  admits,
  dataOf,
  type Entry,
  needs,
  none,
  pageParams,
  pageUrl,
  pageVersion,
  placementId,
  R,
  regTitle,
  shows,
  taskMove,
  workspaceVersion,
  ws,
  wsParams,
} from "#test/support/workspaces-authorization/world";

let serial = 0;

export const ENTRIES: Entry[] = [
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
    file: "workspaces.$workspaceId.pages.$pageId.versions.$version.tsx",
    kind: "loader",
    name: "GET page version download",
    path: (L) => `${pageUrl(L)}/versions/2`,
    params: (L) => ({ ...pageParams(L), version: "2" }),
    expect: needs("read"),
    check: async (r, { L }) => {
      const response = r.value as Response;
      const problems: string[] = [];
      if (!/^attachment;/.test(response.headers.get("Content-Disposition") ?? ""))
        problems.push("the download is not an attachment");
      if ((await response.clone().text()) !== L.pageBody)
        problems.push("the download is not the version's text");
      return problems;
    },
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
