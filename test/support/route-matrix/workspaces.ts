// The route matrix's declarations: workspaces, and the tasks of all one's workspaces.
import {
  type Case,
  members,
  pdf,
  perLabel,
  signedIn,
  unique,
  w,
  wsParams,
  wsPath,
} from "#test/support/route-matrix/cases";

/** Workspaces, and the tasks of all one's workspaces. */
export const workspaceRoutes = (): Record<string, Case[]> => ({
  "routes/tasks._index": [{ loader: signedIn() }],
  "routes/workspaces/workspaces._index": [
    {
      loader: signedIn(),
      // Accepting someone else's invitation.
      action: {
        form: () => ({ invitationId: w.pendingInvitationId, answer: "accept" }),
        expect: signedIn("404"),
      },
    },
  ],
  "routes/workspaces/workspaces.new": [
    {
      loader: signedIn(),
      // A US-only workspace: only US staff may create one (it would shut anyone else out).
      action: {
        form: () => ({
          name: unique("Matrix workspace"),
          purpose: "Made by the route matrix.",
          label: w.ids.US,
          marking: "OFFICIAL",
          template: "GENERAL",
        }),
        expect: signedIn((p) => (p.institute === "US" ? "to:/workspaces/*" : "400")),
      },
    },
  ],
  "routes/workspaces/workspaces.$workspaceId": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
  })),
  "routes/workspaces/workspaces.$workspaceId._index": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
  })),
  "routes/workspaces/workspaces.$workspaceId.activity": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
  })),
  "routes/workspaces/workspaces.$workspaceId.search": perLabel((L) => ({
    params: wsParams(L),
    // A word of the page's title, not the codeword: asking for a secret is not being told it.
    query: "?q=refused",
    loader: members(L, "VIEWER"),
  })),
  "routes/workspaces/workspaces.$workspaceId.members": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ intent: "invite", email: w.workspaces[L].candidateEmail, role: "VIEWER" }),
      expect: members(L, "OWNER", `to:${wsPath(L, "/members")}`),
    },
  })),
  "routes/workspaces/workspaces.$workspaceId.pages._index": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ title: unique("Matrix page"), body: "Made by the matrix." }),
      expect: members(L, "EDITOR", `to:${wsPath(L, "/pages/*")}`),
    },
  })),
  "routes/workspaces/workspaces.$workspaceId.pages.$pageId._index": perLabel((L) => ({
    params: wsParams(L, (r) => ({ pageId: r.pageId })),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ intent: "thread", title: unique("Matrix thread"), body: "A question." }),
      expect: members(L, "VIEWER", `to:${wsPath(L, "/pages/*")}`),
    },
  })),
  "routes/workspaces/workspaces.$workspaceId.pages.$pageId.edit": perLabel((L) => ({
    params: wsParams(L, (r) => ({ pageId: r.pageId })),
    loader: members(L, "EDITOR"),
    // From the first version (the page is at its second): editors are shown the conflict.
    action: {
      form: () => ({ title: "Overwritten", body: "Overwritten by the matrix.", baseVersion: "1" }),
      expect: members(L, "EDITOR", "409"),
    },
  })),
  "routes/workspaces/workspaces.$workspaceId.pages.$pageId.history": perLabel((L) => ({
    params: wsParams(L, (r) => ({ pageId: r.pageId })),
    query: "?from=1&to=2",
    loader: members(L, "VIEWER"),
  })),
  "routes/workspaces/workspaces.$workspaceId.pages.$pageId.versions.$version": perLabel((L) => ({
    params: wsParams(L, (r) => ({ pageId: r.pageId, version: "1" })),
    loader: members(L, "VIEWER"),
  })),
  "routes/workspaces/workspaces.$workspaceId.files._index": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ file: pdf("matrix upload") }),
      expect: members(L, "EDITOR", `to:${wsPath(L, "/files")}`),
    },
  })),
  "routes/workspaces/workspaces.$workspaceId.files.$fileId.$version": perLabel((L) => ({
    params: wsParams(L, (r) => ({ fileId: r.fileId, version: "1" })),
    loader: members(L, "VIEWER"),
  })),
  "routes/workspaces/workspaces.$workspaceId.discussion._index": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ title: unique("Matrix discussion"), body: "Hello." }),
      expect: members(L, "VIEWER", `to:${wsPath(L, "/discussion/*")}`),
    },
  })),
  "routes/workspaces/workspaces.$workspaceId.discussion.$threadId": perLabel((L) => ({
    params: wsParams(L, (r) => ({ threadId: r.threadId })),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ body: "A comment from the matrix." }),
      expect: members(L, "VIEWER", `to:${wsPath(L, "/discussion/*")}`),
    },
  })),
  "routes/workspaces/workspaces.$workspaceId.tasks": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ intent: "create", title: unique("Matrix task"), assigneeId: "", dueOn: "" }),
      expect: members(L, "EDITOR", `to:${wsPath(L, "/tasks")}`),
    },
  })),
  "routes/workspaces/workspaces.$workspaceId.registrations._index": perLabel((L) => ({
    params: wsParams(L),
    loader: members(L, "VIEWER"),
    action: {
      form: () => ({ title: unique("Matrix registration"), pageIds: [w.workspaces[L].pageId] }),
      expect: members(L, "OWNER", `to:${wsPath(L, "/registrations/*")}`),
    },
  })),
  "routes/workspaces/workspaces.$workspaceId.registrations.$registrationId": perLabel((L) => ({
    params: wsParams(L, (r) => ({ registrationId: r.registrationId })),
    loader: members(L, "VIEWER"),
    // A registration never changes: members are told so, anyone else does not learn it exists.
    action: { form: () => ({ title: "Rewritten" }), expect: members(L, "VIEWER", "405") },
  })),
});
