import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { headlineOptions, splitMarks } from "~/lib/highlight";
import { access } from "./access.server";
import { workspaceSearchRows } from "./queries.server";

// Search within one workspace. It starts with the access check (access.server.ts), and the query
// itself names the workspace, so no hit comes from elsewhere.

export type WorkspaceSearchHit = {
  kind: "page" | "comment" | "task";
  id: string;
  title: string;
  headline: { text: string; mark: boolean }[];
  link: string;
};

/** Full-text search over the workspace's pages, comments and tasks (PostgreSQL text search). */
export async function searchWorkspace(actor: Actor, workspaceId: string, q: string) {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "read");
    if (!q) return { q, hits: [] as WorkspaceSearchHit[] };
    const rows = await workspaceSearchRows(tx, workspaceId, q, headlineOptions(10));
    return {
      q,
      hits: rows.map((r): WorkspaceSearchHit => ({
        kind: r.kind as WorkspaceSearchHit["kind"],
        id: r.id,
        title: r.title,
        headline: splitMarks(r.headline),
        link:
          r.kind === "page"
            ? `/pages/${r.id}`
            : r.kind === "comment"
              ? `/discussion/${r.threadId}`
              : "/tasks",
      })),
    };
  });
}
