import { describe, expect, test } from "vitest";
import {
  newRequestScope,
  noteStatement,
  requestScope,
  runInRequestScope,
  serverTiming,
} from "~/lib/request-scope.server";

// Remix gives every loader of a request its own copy of the Request; what those loaders share
// (the session lookup, a workspace's read check) must therefore be keyed on the request's scope.

/** What @remix-run/server-runtime hands each loader: a fresh Request with the same URL and headers. */
const loaderCopy = (request: Request) =>
  new Request(request.url, { method: request.method, headers: request.headers });

describe("requestScope", () => {
  test("the loaders of one GET share one scope, though each has its own Request", async () => {
    const request = new Request("http://portal.test/workspaces/w1", {
      headers: { cookie: "s=1" },
    });
    const keys = await runInRequestScope(newRequestScope(), () =>
      Promise.all(
        [1, 2, 3].map(async () => {
          await new Promise((r) => setTimeout(r, 1));
          return requestScope(loaderCopy(request));
        }),
      ),
    );
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).not.toBeInstanceOf(Request);
  });

  test("two requests never share a scope, even when they run at the same time", async () => {
    const request = new Request("http://portal.test/");
    const [a, b] = await Promise.all([
      runInRequestScope(newRequestScope(), async () => requestScope(loaderCopy(request))),
      runInRequestScope(newRequestScope(), async () => requestScope(loaderCopy(request))),
    ]);
    expect(a).not.toBe(b);
  });

  test("a POST's loaders do not share: they must see what the action changed", () => {
    const request = new Request("http://portal.test/account", { method: "POST" });
    runInRequestScope(newRequestScope(), () => {
      const first = loaderCopy(request);
      expect(requestScope(first)).toBe(first);
      expect(requestScope(loaderCopy(request))).not.toBe(requestScope(first));
    });
  });

  test("outside a request (a test calling a loader directly) the Request itself is the scope", () => {
    const request = new Request("http://portal.test/");
    expect(requestScope(request)).toBe(request);
  });
});

describe("statement counting", () => {
  test("counts each statement and its time against the request it ran for, and nothing outside", async () => {
    const a = newRequestScope();
    const b = newRequestScope();
    noteStatement(100);
    await Promise.all([
      runInRequestScope(a, async () => {
        noteStatement(1.5);
        await new Promise((r) => setTimeout(r, 2));
        noteStatement(2);
      }),
      runInRequestScope(b, async () => noteStatement(4)),
    ]);
    expect(a).toEqual({ statements: 2, databaseMs: 3.5 });
    expect(b).toEqual({ statements: 1, databaseMs: 4 });
    expect(serverTiming(a)).toBe('db;dur=3.5;desc="2 statements"');
    expect(serverTiming(b)).toBe('db;dur=4.0;desc="1 statement"');
  });
});
