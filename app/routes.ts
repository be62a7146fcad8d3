import { route, type RouteConfig } from "@remix-run/route-config";
import { flatRoutes } from "@remix-run/fs-routes";

// The portal's pages are the files in app/routes (Remix's flat-route names). A benchmark build
// (`BENCH_BUILD=1`, made by `npm run bench` into build-bench/) adds the two load-test baselines
// from scripts/bench/pages; the product build never contains them.
const benchPages =
  process.env.BENCH_BUILD === "1"
    ? [
        route("bench/static", "../scripts/bench/pages/static.tsx"),
        route("bench/lookup", "../scripts/bench/pages/lookup.tsx"),
      ]
    : [];

export default [...(await flatRoutes()), ...benchPages] satisfies RouteConfig;
