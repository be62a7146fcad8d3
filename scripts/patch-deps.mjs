// Small, reviewed edits to installed dependencies, applied after every install (`postinstall`).
//
// Why: profiling the production server (docs/performance.md, "Where the framework's time goes")
// showed a quarter of each page's CPU time in @remix-run/router's route matching. Every call to
// matchRoutes flattens and ranks the whole route tree again and compiles a fresh RegExp for every
// route pattern it tries, and a Remix document request calls it five or more times. The edits
// below only memoise pure functions; what they return is unchanged.
//
// Each edit names the exact package version and the exact text it replaces. If a dependency is
// upgraded and the text is no longer there, the install fails loudly: look again at whether the
// new version still needs the edit (and drop it if upstream fixed the cost).
//
// Usage: node scripts/patch-deps.mjs          apply (idempotent)
//        node scripts/patch-deps.mjs --check  exit 1 if an edit is missing

import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const MARK = "/* exchange-portal patch: ";

export const PATCHES = [
  {
    name: "router-memoise-compile-path",
    pkg: "@remix-run/router",
    version: "1.23.4",
    file: "dist/router.cjs.js",
    // The compiled matcher for a (path, caseSensitive, end) triple never changes. The params
    // array is only read by matchPath, and the RegExp has no global flag, so sharing is safe.
    from: "function compilePath(path, caseSensitive, end) {\n",
    to:
      "const compiledPathCache = new Map();\n" +
      "function compilePath(path, caseSensitive, end) {\n" +
      "  if (caseSensitive === void 0) caseSensitive = false;\n" +
      "  if (end === void 0) end = true;\n" +
      '  const key = (caseSensitive ? "1" : "0") + (end ? "1" : "0") + path;\n' +
      "  let compiled = compiledPathCache.get(key);\n" +
      "  if (compiled === undefined) {\n" +
      "    if (compiledPathCache.size >= 5000) compiledPathCache.clear();\n" +
      "    compiled = compilePathUncached(path, caseSensitive, end);\n" +
      "    compiledPathCache.set(key, compiled);\n" +
      "  }\n" +
      "  return compiled;\n" +
      "}\n" +
      "function compilePathUncached(path, caseSensitive, end) {\n",
  },
  {
    name: "router-memoise-ranked-branches",
    pkg: "@remix-run/router",
    version: "1.23.4",
    file: "dist/router.cjs.js",
    // Flattening and ranking depend only on the route tree. The cache is keyed by the tree's
    // array and remembers how many routes it held, so a tree that gained routes (route
    // discovery adds children in place, in the browser) is flattened again.
    from: "  let branches = flattenRoutes(routes);\n  rankRouteBranches(branches);\n  let matches = null;\n",
    to: "  let branches = rankedBranches(routes);\n  let matches = null;\n",
    append:
      "const rankedBranchCache = new WeakMap();\n" +
      "function countRoutes(routes) {\n" +
      "  let n = routes.length;\n" +
      "  for (const route of routes) if (route.children) n += countRoutes(route.children);\n" +
      "  return n;\n" +
      "}\n" +
      "function rankedBranches(routes) {\n" +
      "  const size = countRoutes(routes);\n" +
      "  const cached = rankedBranchCache.get(routes);\n" +
      "  if (cached && cached.size === size) return cached.branches;\n" +
      "  const branches = flattenRoutes(routes);\n" +
      "  rankRouteBranches(branches);\n" +
      "  rankedBranchCache.set(routes, { size, branches });\n" +
      "  return branches;\n" +
      "}\n",
  },
  {
    name: "remix-react-reuse-server-routes",
    pkg: "@remix-run/react",
    version: "2.17.5",
    file: "dist/server.js",
    // RemixServer rebuilt the whole route tree (every route's components) for every document
    // request. The tree depends only on the build's manifest and route modules, which are the
    // same for every request of one build (the server runtime hands over a fresh object per
    // request, holding the same modules: compared entry by entry), so it is built once per build.
    from: "  let routes$1 = routes.createServerRoutes(manifest.routes, routeModules, context.future, context.isSpaMode);\n",
    to: "  let routes$1 = serverRoutesFor(manifest.routes, routeModules, context.future, context.isSpaMode);\n",
    append:
      "const serverRoutesCache = new WeakMap();\n" +
      "function sameValues(a, b) {\n" +
      "  if (a === b) return true;\n" +
      "  const keys = Object.keys(a);\n" +
      "  if (keys.length !== Object.keys(b).length) return false;\n" +
      "  for (const key of keys) if (a[key] !== b[key]) return false;\n" +
      "  return true;\n" +
      "}\n" +
      "function serverRoutesFor(manifestRoutes, routeModules, future, isSpaMode) {\n" +
      "  const cached = serverRoutesCache.get(manifestRoutes);\n" +
      "  if (cached && cached.isSpaMode === isSpaMode && sameValues(cached.future, future) && sameValues(cached.routeModules, routeModules)) return cached.routes;\n" +
      "  const built = routes.createServerRoutes(manifestRoutes, routeModules, future, isSpaMode);\n" +
      "  serverRoutesCache.set(manifestRoutes, { routeModules, future, isSpaMode, routes: built });\n" +
      "  return built;\n" +
      "}\n",
  },
  {
    name: "static-router-reuse-data-routes",
    pkg: "react-router-dom",
    version: "6.30.6",
    file: "server.js",
    // createStaticRouter converted the same route tree to data routes for every request. The
    // static router only reads them (it refuses navigation), so one conversion per tree serves
    // every request; with the edit above the tree is the same object for the whole build.
    from: "  let manifest = {};\n  let dataRoutes = router.UNSAFE_convertRoutesToDataRoutes(routes, reactRouter.UNSAFE_mapRouteProperties, undefined, manifest);\n",
    to: "  let { manifest, dataRoutes } = dataRoutesFor(routes);\n",
    append:
      "const dataRoutesCache = new WeakMap();\n" +
      "function dataRoutesFor(routes) {\n" +
      "  let cached = dataRoutesCache.get(routes);\n" +
      "  if (!cached) {\n" +
      "    const manifest = {};\n" +
      "    const dataRoutes = router.UNSAFE_convertRoutesToDataRoutes(routes, reactRouter.UNSAFE_mapRouteProperties, undefined, manifest);\n" +
      "    cached = { manifest, dataRoutes };\n" +
      "    dataRoutesCache.set(routes, cached);\n" +
      "  }\n" +
      "  return cached;\n" +
      "}\n",
  },
];

function packageVersion(pkg) {
  const file = path.join(root, "node_modules", pkg, "package.json");
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, "utf8")).version;
}

/** Applies (or, with check, verifies) every patch; returns the problems found. */
export function patchDependencies({ check = false, log = console.log } = {}) {
  const problems = [];
  for (const patch of PATCHES) {
    const version = packageVersion(patch.pkg);
    if (version === null) continue; // not installed (e.g. a production install without it)
    const file = path.join(root, "node_modules", patch.pkg, patch.file);
    const text = fs.readFileSync(file, "utf8");
    const marker = `${MARK}${patch.name} */\n`;
    if (text.includes(marker)) continue;
    if (check) {
      problems.push(`${patch.pkg}/${patch.file}: ${patch.name} is not applied`);
      continue;
    }
    if (version !== patch.version) {
      problems.push(
        `${patch.pkg} is ${version}, but ${patch.name} was written for ${patch.version}: review the patch in scripts/patch-deps.mjs`,
      );
      continue;
    }
    const at = text.indexOf(patch.from);
    if (at < 0 || text.indexOf(patch.from, at + 1) >= 0) {
      problems.push(
        `${patch.pkg}/${patch.file}: the text ${patch.name} replaces is not there once`,
      );
      continue;
    }
    let next = text.slice(0, at) + marker + patch.to + text.slice(at + patch.from.length);
    if (patch.append) next += `\n${marker}${patch.append}`;
    fs.writeFileSync(file, next);
    log(`patched ${patch.pkg}@${version} ${patch.file}: ${patch.name}`);
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = patchDependencies({ check: process.argv.includes("--check") });
  for (const p of problems) console.error(p);
  process.exit(problems.length > 0 ? 1 : 0);
}
