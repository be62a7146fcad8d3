// What JavaScript a first visit to each route downloads, from the production client build.
//
// Shared by `npm run perf:js` (scripts/perf/js-report.ts) and the budget test
// (test/system/js-budget.test.ts), so the report and the test cannot disagree.
//
// A first visit loads, as `<script type="module">` and `<link rel="modulepreload">` (Remix's
// <Scripts>): the client entry and its imports, then for every route the URL matches (root, any
// layout routes, the page) the route module and its imports. With v3_lazyRouteDiscovery the route
// manifest is inlined in the HTML rather than loaded as assets/manifest-*.js, so that file is not
// counted. Remix's manifest lists each module's static imports; the files themselves are read too
// and their static `import … from "./x.js"` statements followed, so a chunk the manifest forgot
// would still be counted. Dynamic `import()`s are not followed: they load later, if at all.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

/** 1 KB = 1,000 bytes throughout (the stricter reading of "120 KB"). */
export const KB = 1000;

/** The budget: these pages ship at most 120 KB of gzipped JavaScript each. */
export const BUDGET_GZIP_BYTES = 120 * KB;
export const BUDGETED_ROUTES: Record<string, string> = {
  "routes/sign-in/login": "/login",
  "routes/directory/directory._index": "/directory",
  "routes/postings/postings._index": "/postings",
};

/** The compression a typical server applies (nginx `gzip_comp_level 9`, zlib's best). */
export const GZIP_LEVEL = 9;

type ManifestEntry = { module: string; imports?: string[]; css?: string[] };
type ManifestRoute = ManifestEntry & {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
};
export type RemixManifest = {
  entry: ManifestEntry;
  routes: Record<string, ManifestRoute>;
  url?: string;
  version?: string;
};

export type JsFile = { file: string; raw: number; gzip: number };
export type RouteJs = {
  id: string;
  /** The URL pattern, e.g. "/directory/:userId". */
  url: string;
  /** Resource routes (downloads, health checks) render no page: their module is empty. */
  resource: boolean;
  files: JsFile[];
  raw: number;
  gzip: number;
};

/** Reads Remix's browser manifest (build/client/assets/manifest-<hash>.js). */
export function readManifest(clientDir: string): RemixManifest {
  const assets = path.join(clientDir, "assets");
  if (!fs.existsSync(assets)) throw new Error(`${assets} is missing: run \`npm run build\` first.`);
  const candidates = fs
    .readdirSync(assets)
    .filter((f) => /^manifest-[\w-]+\.js$/.test(f))
    .map((f) => path.join(assets, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!candidates.length) throw new Error(`No manifest-*.js in ${assets}: is this a Remix build?`);
  const text = fs.readFileSync(candidates[0]!, "utf8").trim();
  const match = /^window\.__remixManifest\s*=\s*([\s\S]*?);?$/.exec(text);
  if (!match) throw new Error(`${candidates[0]} is not a Remix manifest.`);
  return JSON.parse(match[1]!) as RemixManifest;
}

const STATIC_IMPORT =
  /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'](\.\/[^"']+\.js)["']/g;

/** The `./x.js` modules a chunk imports statically (not `import()`). */
export function staticImports(source: string): string[] {
  return [...source.matchAll(STATIC_IMPORT)].map((m) => m[1]!);
}

/** Sizes a file raw and gzipped once per call of `firstVisitJs`. */
function sizer(clientDir: string) {
  const cache = new Map<string, { raw: number; gzip: number; source: string }>();
  return (url: string) => {
    let hit = cache.get(url);
    if (!hit) {
      const file = path.join(clientDir, url.replace(/^\//, ""));
      if (!fs.existsSync(file))
        throw new Error(`The manifest names ${url}, which is not in the build.`);
      const buffer = fs.readFileSync(file);
      hit = {
        raw: buffer.length,
        gzip: zlib.gzipSync(buffer, { level: GZIP_LEVEL }).length,
        source: buffer.toString("utf8"),
      };
      cache.set(url, hit);
    }
    return hit;
  };
}

function urlPattern(routes: Record<string, ManifestRoute>, id: string): string {
  const segments: string[] = [];
  for (let route = routes[id]; route; route = route.parentId ? routes[route.parentId] : undefined)
    if (route.path) segments.unshift(route.path);
  return `/${segments.join("/")}`;
}

/** Every route of the build with the JavaScript a first visit to it downloads. */
export function firstVisitJs(clientDir = "build/client"): RouteJs[] {
  const manifest = readManifest(clientDir);
  const size = sizer(clientDir);
  return Object.values(manifest.routes)
    .filter((route) => route.id !== "root")
    .map((route) => {
      const chain: ManifestRoute[] = [];
      for (
        let r: ManifestRoute | undefined = route;
        r;
        r = r.parentId ? manifest.routes[r.parentId] : undefined
      )
        chain.unshift(r);
      const seen = new Set<string>();
      const queue = [manifest.entry, ...chain].flatMap((m) => [m.module, ...(m.imports ?? [])]);
      while (queue.length) {
        const url = queue.shift()!;
        if (seen.has(url)) continue;
        seen.add(url);
        const dir = path.posix.dirname(url);
        for (const spec of staticImports(size(url).source)) queue.push(path.posix.join(dir, spec));
      }
      const files = [...seen].map((file) => ({ file, raw: size(file).raw, gzip: size(file).gzip }));
      return {
        id: route.id,
        url: urlPattern(manifest.routes, route.id),
        resource: size(route.module).raw <= 1 && !route.imports?.length,
        files,
        raw: files.reduce((sum, f) => sum + f.raw, 0),
        gzip: files.reduce((sum, f) => sum + f.gzip, 0),
      };
    })
    .sort((a, b) => a.url.localeCompare(b.url) || a.id.localeCompare(b.id));
}

export const kb = (bytes: number) => (bytes / KB).toFixed(1);

/** The budgeted routes over budget, as messages (empty when all fit). */
export function budgetProblems(routes: RouteJs[]): string[] {
  const problems: string[] = [];
  for (const [id, url] of Object.entries(BUDGETED_ROUTES)) {
    const route = routes.find((r) => r.id === id);
    if (!route) problems.push(`${url}: route ${id} is not in the build`);
    else if (route.gzip > BUDGET_GZIP_BYTES)
      problems.push(
        `${url}: ${kb(route.gzip)} KB of gzipped JavaScript, over the ${kb(BUDGET_GZIP_BYTES)} KB budget`,
      );
  }
  return problems;
}
