import fs from "node:fs";
import { route, type RouteConfig } from "@remix-run/route-config";
import { flatRoutes } from "@remix-run/fs-routes";

// The portal's pages are the files in app/routes, named as Remix's flat routes name them
// ("admin.users.$userId.tsx" is /admin/users/:userId). The few pages that belong to no area sit
// at the top; the rest are grouped in one folder per area (admin/, postings/, workspaces/, ...),
// where the same naming applies. A new folder is an area as soon as it exists.
const areas = fs
  .readdirSync(new URL("./routes", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

// A benchmark build (`BENCH_BUILD=1`, made by `npm run bench` into build-bench/) adds the two
// load-test baselines from scripts/bench/pages; the product build never contains them.
const benchPages =
  process.env.BENCH_BUILD === "1"
    ? [
        route("bench/static", "../scripts/bench/pages/static.tsx"),
        route("bench/lookup", "../scripts/bench/pages/lookup.tsx"),
      ]
    : [];

export default [
  ...(await flatRoutes()),
  ...(
    await Promise.all(areas.map((area) => flatRoutes({ rootDirectory: `routes/${area}` })))
  ).flat(),
  ...benchPages,
] satisfies RouteConfig;
