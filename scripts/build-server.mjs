// Bundles server/index.ts for production; packages stay external and load from node_modules.
import { build } from "esbuild";

await build({
  entryPoints: ["server/index.ts"],
  // Next to the Remix build it serves (vite.config.ts): build/ or, for the benchmark, build-bench/.
  outfile: process.env.BENCH_BUILD === "1" ? "build-bench/server.js" : "build/server.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
