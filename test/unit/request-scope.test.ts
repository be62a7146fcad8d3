import { describe, expect, test } from "vitest";
import {
  memoPerRequest,
  newRequestScope,
  noteStatement,
  runInRequestScope,
  serverTiming,
} from "~/lib/request-scope.server";

// Remix gives every loader of a request its own copy of the Request; what those loaders share
// (the session lookup, a workspace's read check) is therefore kept on the request's scope.

/** Counts its calls; what memoPerRequest shares is the first call's answer. */
function counter() {
  let calls = 0;
  return { read: () => ++calls, calls: () => calls };
}

describe("memoPerRequest", () => {
  test("the loaders of one GET share one answer per key", async () => {
    const c = counter();
    const answers = await runInRequestScope(newRequestScope("GET"), () =>
      Promise.all(
        [1, 2, 3].map(async () => {
          await new Promise((r) => setTimeout(r, 1));
          return memoPerRequest("k", c.read);
        }),
      ),
    );
    expect(answers).toEqual([1, 1, 1]);
    expect(c.calls()).toBe(1);
    runInRequestScope(newRequestScope(), () => {
      expect(memoPerRequest("a", () => "a")).toBe("a");
      expect(memoPerRequest("b", () => "b")).toBe("b");
    });
  });

  test("two requests never share, even when they run at the same time", async () => {
    const c = counter();
    const [a, b] = await Promise.all([
      runInRequestScope(newRequestScope(), async () => memoPerRequest("k", c.read)),
      runInRequestScope(newRequestScope(), async () => memoPerRequest("k", c.read)),
    ]);
    expect(a).not.toBe(b);
    expect(c.calls()).toBe(2);
  });

  test("a POST's loaders do not share: they must see what the action changed", () => {
    const c = counter();
    runInRequestScope(newRequestScope("POST"), () => {
      expect(memoPerRequest("k", c.read)).toBe(1);
      expect(memoPerRequest("k", c.read)).toBe(2);
    });
  });

  test("outside a request (a test calling a loader directly) nothing is shared", () => {
    const c = counter();
    memoPerRequest("k", c.read);
    memoPerRequest("k", c.read);
    expect(c.calls()).toBe(2);
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
