// The JavaScript budget of issue 9: a first visit to the sign-in page, the directory search or the
// postings list downloads at most 120 KB of gzipped JavaScript. Measured on the production build
// (`npm run build`, which `npm run test:e2e` runs before this project) by the same code as
// `npm run perf:js`.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  BUDGET_GZIP_BYTES,
  BUDGETED_ROUTES,
  budgetProblems,
  firstVisitJs,
  staticImports,
} from "../../scripts/perf/js-size";
import { ROOT } from "./harness";

const clientDir = path.join(ROOT, "build/client");

describe("JavaScript per page", () => {
  if (!fs.existsSync(path.join(clientDir, "assets")))
    throw new Error("build/client is missing: run `npm run build` first (or `npm run test:e2e`).");
  const routes = firstVisitJs(clientDir);

  it("counts the real modules a first visit loads", () => {
    for (const [id, url] of Object.entries(BUDGETED_ROUTES)) {
      const route = routes.find((r) => r.id === id);
      expect(route, id).toBeDefined();
      expect(route!.url).toBe(url);
      const names = route!.files.map((f) => path.basename(f.file));
      // The client entry, the root route and the page's own module, each a real file with code.
      expect(names.some((n) => n.startsWith("entry.client-"))).toBe(true);
      expect(names.some((n) => n.startsWith("root-"))).toBe(true);
      expect(names.some((n) => n.startsWith(`${path.posix.basename(id)}-`))).toBe(true);
      for (const file of route!.files) expect(file.gzip, file.file).toBeGreaterThan(0);
      // React DOM alone is over 40 KB gzipped: a total below that means modules went uncounted.
      expect(route!.gzip).toBeGreaterThan(40_000);
      expect(route!.raw).toBeGreaterThan(route!.gzip);
    }
  });

  it("follows the static imports of every module it counts", () => {
    for (const id of Object.keys(BUDGETED_ROUTES)) {
      const route = routes.find((r) => r.id === id)!;
      const counted = new Set(route.files.map((f) => f.file));
      for (const file of route.files) {
        const source = fs.readFileSync(path.join(clientDir, file.file), "utf8");
        for (const spec of staticImports(source))
          expect(counted, `${file.file} imports ${spec}`).toContain(
            path.posix.join(path.posix.dirname(file.file), spec),
          );
      }
    }
    expect(
      staticImports('import{a as b}from"./x-1.js";import"./y-2.js";import("./z-3.js")'),
    ).toEqual(["./x-1.js", "./y-2.js"]);
  });

  it("keeps /login, /directory and /postings within 120 KB of gzipped JavaScript", () => {
    expect(BUDGET_GZIP_BYTES).toBe(120_000);
    expect(budgetProblems(routes)).toEqual([]);
    // And the check itself would notice a page over budget.
    const heavier = routes.map((r) => ({ ...r, gzip: r.gzip + BUDGET_GZIP_BYTES }));
    expect(budgetProblems(heavier)).toHaveLength(3);
  });
});
