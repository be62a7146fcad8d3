import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { PATCHES, patchDependencies } from "../../scripts/patch-deps.mjs";

// The route-matching edits of scripts/patch-deps.mjs (docs/performance.md): applied by every
// install, and matching exactly as the unpatched router does.

const require = createRequire(import.meta.url);
type Route = { id: string; path?: string; index?: boolean; children?: Route[] };
const router = require("@remix-run/router") as {
  matchRoutes(routes: Route[], path: string): { route: Route; params: object }[] | null;
  matchPath(pattern: string, path: string): { params: object } | null;
};

describe("dependency patches", () => {
  it("are all applied to the installed packages", () => {
    expect(PATCHES.length).toBeGreaterThanOrEqual(4);
    expect(patchDependencies({ check: true })).toEqual([]);
  });

  it("leave route matching unchanged, including for a tree that gains routes", () => {
    const routes: Route[] = [
      {
        id: "root",
        path: "",
        children: [
          { id: "home", index: true },
          { id: "posting", path: "postings/:postingId" },
          { id: "pipeline", path: "postings/:postingId/pipeline" },
          { id: "new", path: "postings/new" },
          { id: "splat", path: "*" },
        ],
      },
    ];
    const ids = (path: string) => router.matchRoutes(routes, path)?.map((m) => m.route.id);
    for (let i = 0; i < 3; i++) {
      expect(ids("/")).toEqual(["root", "home"]);
      expect(ids("/postings/new")).toEqual(["root", "new"]);
      expect(ids("/postings/abc/pipeline")).toEqual(["root", "pipeline"]);
      expect(router.matchRoutes(routes, `/postings/p${i}`)?.at(-1)?.params).toEqual({
        postingId: `p${i}`,
      });
      expect(ids("/nowhere")).toEqual(["root", "splat"]);
    }
    // Route discovery adds children in place: the cached ranking must notice.
    routes[0]!.children!.push({ id: "late", path: "late" });
    expect(ids("/late")).toEqual(["root", "late"]);
    // A memoised pattern gives each caller its own params.
    const a = router.matchPath("/w/:id", "/w/1");
    const b = router.matchPath("/w/:id", "/w/2");
    expect([a?.params, b?.params]).toEqual([{ id: "1" }, { id: "2" }]);
  });
});
