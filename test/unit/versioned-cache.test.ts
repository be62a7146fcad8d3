import { describe, expect, test } from "vitest";
import { VersionedCache } from "~/lib/versioned-cache.server";

// The shared cache under the directory, postings, dashboard and workspace caches: its versions,
// scopes, size bound and single flight.

const counter = () => {
  let n = 0;
  return () => Promise.resolve(++n);
};

describe("VersionedCache", () => {
  test("an entry serves its version; a newer version drops it", async () => {
    const cache = new VersionedCache<number>(10);
    const compute = counter();
    expect(await cache.get(1n, "k", compute)).toBe(1);
    expect(await cache.get(1n, "k", compute)).toBe(1);
    expect(await cache.get(2n, "k", compute)).toBe(2);
    expect(cache.size).toBe(1);
    // A reader that saw the older version computes, and keeps nothing.
    expect(await cache.get(1n, "k", compute)).toBe(3);
    expect(await cache.get(2n, "k", compute)).toBe(2);
    expect(cache.size).toBe(1);
  });

  test("scopes have versions of their own, and share the size bound", async () => {
    const cache = new VersionedCache<number>(3);
    const compute = counter();
    expect(await cache.get(5n, "k", compute, { scope: "a" })).toBe(1);
    expect(await cache.get(1n, "k", compute, { scope: "b" })).toBe(2);
    // A lower version in another scope is not older: both are kept.
    expect(await cache.get(5n, "k", compute, { scope: "a" })).toBe(1);
    expect(await cache.get(1n, "k", compute, { scope: "b" })).toBe(2);
    // A newer version of "a" drops only "a"'s entries.
    expect(await cache.get(6n, "k", compute, { scope: "a" })).toBe(3);
    expect(await cache.get(1n, "k", compute, { scope: "b" })).toBe(2);
    expect(cache.size).toBe(2);
    // The least recently used goes first, whatever its scope.
    await cache.get(1n, "k", compute, { scope: "c" });
    await cache.get(1n, "k", compute, { scope: "d" });
    expect(cache.size).toBe(3);
    expect(await cache.get(6n, "k", compute, { scope: "a" })).toBe(6);
  });

  test("concurrent requests for one key wait for one computation", async () => {
    const cache = new VersionedCache<number>(10);
    let calls = 0;
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++calls), 10));
    const results = await Promise.all([1, 2, 3].map(() => cache.get(1n, "k", slow)));
    expect(results).toEqual([1, 1, 1]);
    expect(calls).toBe(1);
  });

  test("a computation that fails is not kept", async () => {
    const cache = new VersionedCache<number>(10);
    await expect(cache.get(1n, "k", () => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(cache.size).toBe(0);
    expect(await cache.get(1n, "k", () => Promise.resolve(7))).toBe(7);
  });

  test("with no room, every call computes", async () => {
    const cache = new VersionedCache<number>(0);
    const compute = counter();
    expect(await cache.get(1n, "k", compute)).toBe(1);
    expect(await cache.get(1n, "k", compute)).toBe(2);
    expect(cache.size).toBe(0);
  });
});
