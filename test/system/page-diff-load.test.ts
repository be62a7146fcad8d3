import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { PAGE_BODY_MAX } from "~/modules/workspaces/schema";
import {
  createPgliteTarget,
  createPostgresTarget,
  HttpClient,
  ONE_OF_EACH,
  seedTarget,
  startServer,
  tempDir,
  type DbTarget,
  type HttpResult,
  type ServerProcess,
  type SystemState,
} from "./harness";

// A page's history compares two versions line by line in the server's one thread. The comparison
// must cost a bounded amount of work whatever a member writes: here a page at the largest allowed
// size with two versions that share no line (the worst case for a line diff), whose history and
// whose stale save must answer within a second while /healthz keeps answering throughout (each
// check within 100 ms). On a loaded machine every request is slower: both limits grow by what one
// ordinary page takes here (`ordinaryMs`), which on a quiet machine is a few milliseconds and
// before the bound was minutes.

const ANSWER_MS = 1_000;
const HEALTH_MS = 100;

/** How long an ordinary page takes on this machine now: the slowest of a few, after a warm-up. */
async function ordinaryMs(client: HttpClient, pathname: string) {
  const times: number[] = [];
  for (let i = 0; i < 4; i++) {
    const started = performance.now();
    expect((await client.get(pathname)).status).toBe(200);
    times.push(performance.now() - started);
  }
  return Math.max(...times.slice(1));
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A page body of exactly PAGE_BODY_MAX characters: short lines, none shared with another tag. */
function largestBody(tag: string) {
  const lines: string[] = [];
  let length = -1;
  for (let i = 0; length + tag.length + String(i).length + 1 <= PAGE_BODY_MAX; i++) {
    lines.push(`${tag}${i}`);
    length += tag.length + String(i).length + 1;
  }
  const body = lines.join("\n");
  return body + "x".repeat(PAGE_BODY_MAX - body.length);
}

/**
 * Runs `request` while polling /healthz one request after another; returns its answer, how long
 * it took, and how long each health check took.
 */
async function whilePolling(baseUrl: string, request: () => Promise<HttpResult>) {
  const health: number[] = [];
  let done = false;
  const poller = (async () => {
    while (!done) {
      const started = performance.now();
      // A check that fails or times out counts as never answered.
      const ok = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(30_000) })
        .then(async (response) => (await response.arrayBuffer(), response.ok))
        .catch(() => false);
      health.push(ok ? performance.now() - started : Infinity);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const started = performance.now();
  try {
    const answer = await request();
    return { answer, ms: performance.now() - started, health };
  } finally {
    done = true;
    await poller;
  }
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
  const server = await startServer({ target: made.target });
  cleanups.push(() => server.stop());
  return { server, state };
}

describe.each(["pglite", "postgres"] as const)("on %s", (kind) => {
  test(
    "the largest page's history and stale save answer quickly, and the server keeps answering",
    { timeout: 300_000 },
    async () => {
      const { server, state } = await serve(kind);
      const { email, workspaceId, pageId } = state.editors[0]!;
      const editor = new HttpClient(server.baseUrl, 30_000);
      await editor.signIn(email, state.password);
      const page = `/workspaces/${workspaceId}/pages/${pageId}`;

      const first = largestBody("a");
      const second = largestBody("b");
      expect(first).toHaveLength(PAGE_BODY_MAX);
      for (const [body, baseVersion] of [
        [first, "1"],
        [second, "2"],
      ] as const) {
        const saved = await editor.post(`${page}/edit`, { title: "Large page", body, baseVersion });
        expect(saved.status, saved.text.slice(0, 500)).toBe(302);
      }
      // The same route comparing the seeded version with itself: an ordinary page.
      const slack = await ordinaryMs(editor, `${page}/history?from=1&to=1`);

      const history = await whilePolling(server.baseUrl, () =>
        editor.get(`${page}/history?from=2&to=3`),
      );
      expect(history.answer.status).toBe(200);
      expect(history.answer.text).toContain(
        "These versions are too different to compare line by line.",
      );
      // Both versions are there in full, for the reader to compare.
      expect(history.answer.text).toContain(`a0\na1\na2`);
      expect(history.answer.text).toContain(`b0\nb1\nb2`);
      // ... and each downloads whole, from the links the page gives.
      for (const [version, body] of [
        [2, first],
        [3, second],
      ] as const) {
        const href = `${page}/versions/${version}`;
        expect(history.answer.text).toContain(`href="${href}"`);
        const download = await editor.get(href);
        expect(download.status).toBe(200);
        expect(download.text).toBe(body);
      }
      expect(history.ms, `ordinary page: ${slack} ms`).toBeLessThan(ANSWER_MS + slack);
      expect(history.health.length).toBeGreaterThan(0);
      expect(Math.max(...history.health)).toBeLessThan(HEALTH_MS + slack);

      // A save started from version 2 is stale: the refusal compares it with version 3.
      const stale = await whilePolling(server.baseUrl, () =>
        editor.post(`${page}/edit`, { title: "Large page", body: first, baseVersion: "2" }),
      );
      expect(stale.answer.status).toBe(409);
      expect(stale.answer.text).toContain(
        "These versions are too different to compare line by line.",
      );
      expect(stale.ms, `ordinary page: ${slack} ms`).toBeLessThan(ANSWER_MS + slack);
      expect(stale.health.length).toBeGreaterThan(0);
      expect(Math.max(...stale.health)).toBeLessThan(HEALTH_MS + slack);
    },
  );
});
