import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  createPgliteTarget,
  createPostgresTarget,
  HttpClient,
  ONE_OF_EACH,
  seedTarget,
  startServer,
  tempDir,
  type DbTarget,
  type ServerProcess,
  type SystemState,
} from "./harness";

// The statements a page sends, counted by the production server itself (SERVER_TIMING=1 puts the
// count in each answer's Server-Timing header), on both databases. Remix hands each loader its own
// copy of the Request, so per-request sharing keyed on the Request silently fell apart: the
// session was read once per loader (three times on a workspace page), which
// test/integration/performance/query-count.test.ts, calling loaders with one shared Request, could not see.
// Here the counts must match that test's budgets: one session read and one read check per request.

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The statement count the server reported for one GET (the second of two: the first may renew the session). */
async function statementsFor(client: HttpClient, pathname: string) {
  let counted: number | undefined;
  for (let i = 0; i < 2; i++) {
    const res = await fetch(client.baseUrl + pathname, {
      headers: client.headers(),
      redirect: "manual",
    });
    await res.arrayBuffer();
    expect(res.status, pathname).toBe(200);
    const timing = res.headers.get("server-timing") ?? "";
    expect(timing, pathname).toMatch(/^db;dur=\d+\.\d;desc="\d+ statements?"$/);
    counted = Number(/desc="(\d+)/.exec(timing)![1]);
  }
  return counted!;
}

async function serve(
  kind: DbTarget["kind"],
): Promise<{ server: ServerProcess; state: SystemState }> {
  const made = kind === "pglite" ? createPgliteTarget() : await createPostgresTarget();
  cleanups.push(() => made.remove());
  const work = tempDir();
  cleanups.push(() => fs.rmSync(work, { recursive: true, force: true }));
  const state = await seedTarget(made.target, {
    stateFile: path.join(work, "state.json"),
    env: ONE_OF_EACH,
  });
  const server = await startServer({ target: made.target, env: { SERVER_TIMING: "1" } });
  cleanups.push(() => server.stop());
  return { server, state };
}

describe.each(["pglite", "postgres"] as const)("on %s", (kind) => {
  test(
    "each page reads the session once, however many loaders it has",
    { timeout: 180_000 },
    async () => {
      const { server, state } = await serve(kind);
      const editor = new HttpClient(server.baseUrl);
      await editor.signIn(state.editors[0]!.email, state.password);
      const { workspaceId, pageId } = state.editors[0]!;

      // Root, workspace layout and page loaders: the session once, the read check once; the
      // page's own reads (the rest of query-count.test.ts's budgets) were made by the first of
      // the two GETs and kept by the workspace content cache, which the second one hits.
      expect(await statementsFor(editor, `/workspaces/${workspaceId}`)).toBe(2);
      expect(await statementsFor(editor, `/workspaces/${workspaceId}/pages/${pageId}`)).toBe(2);
      expect(
        await statementsFor(editor, `/workspaces/${workspaceId}/pages/${pageId}/history`),
      ).toBe(2);
      // The same page as single-fetch data (a client-side navigation): no more statements.
      expect(
        await statementsFor(
          editor,
          `/workspaces/${workspaceId}/pages/${pageId}.data?_routes=${encodeURIComponent("root,routes/workspaces/workspaces.$workspaceId,routes/workspaces/workspaces.$workspaceId.pages.$pageId._index")}`,
        ),
      ).toBe(2);

      const hr = new HttpClient(server.baseUrl);
      await hr.signIn(state.hr.email, state.password, state.hr.mfaKey);
      expect(await statementsFor(hr, `/placements/${state.placements[0]!.id}`)).toBeLessThanOrEqual(
        4,
      );
      expect(await statementsFor(hr, `/notifications`)).toBe(3);
    },
  );
});
