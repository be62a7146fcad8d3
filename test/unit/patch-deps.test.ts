import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The dependency patches in patches/ (patch-package, applied by every install; decision 010):
// applied to the installed packages, and route matching exactly as the unpatched router's.

const require = createRequire(import.meta.url);
type Route = { id: string; path?: string; index?: boolean; children?: Route[] };
const router = require("@remix-run/router") as {
  matchRoutes(routes: Route[], path: string): { route: Route; params: object }[] | null;
  matchPath(pattern: string, path: string): { params: object } | null;
};

describe("dependency patches", () => {
  it("are all applied to the installed packages", () => {
    const patches = fs.readdirSync("patches").filter((f) => f.endsWith(".patch"));
    expect(patches.length).toBeGreaterThanOrEqual(3);
    for (const patch of patches) {
      // Each file a patch touches holds every line the patch adds.
      for (const section of fs
        .readFileSync(path.join("patches", patch), "utf8")
        .split(/^diff --git /m)
        .slice(1)) {
        const file = /^\+\+\+ b\/(.+)$/m.exec(section)![1]!;
        const installed = fs.readFileSync(file, "utf8");
        const added = section
          .split("\n")
          .filter((line) => line.startsWith("+") && !line.startsWith("+++") && line.trim() !== "+");
        expect(added.length).toBeGreaterThan(0);
        for (const line of added) expect(installed, `${patch}: ${file}`).toContain(line.slice(1));
      }
    }
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
