// Runs the integration tests on the embedded database (PGlite), then on a PostgreSQL server:
// TEST_POSTGRES_URL if given, else a throwaway cluster when server binaries are installed.
import { spawnSync } from "node:child_process";
import { findPostgresBin, startPostgres } from "./pg-test-server.mjs";

const extra = process.argv.slice(2);
function vitest(env) {
  // Vitest's default is one worker fewer than the cores: one file at a time on a 2-core machine,
  // the second core idle. Each file has a database of its own (setup.ts), so two run side by side.
  const workers = process.env.INTEGRATION_WORKERS ?? "2";
  const r = spawnSync(
    "npx",
    [
      "vitest",
      "run",
      "--project",
      "integration",
      `--maxWorkers=${workers}`,
      "--minWorkers=1",
      ...extra,
    ],
    {
      stdio: "inherit",
      env: { ...process.env, ...env },
    },
  );
  return r.status ?? 1;
}

console.log("\n== Integration tests on PGlite (embedded) ==");
let status = vitest({ TEST_DB: "pglite" });

let server;
let url = process.env.TEST_POSTGRES_URL;
if (!url && findPostgresBin()) {
  server = await startPostgres();
  url = server.url;
}
if (url) {
  console.log(`\n== Integration tests on PostgreSQL (${url.replace(/\/\/[^@]*@/, "//")}) ==`);
  status = vitest({ TEST_DB: "postgres", TEST_POSTGRES_URL: url }) || status;
} else {
  console.log(
    "\n(no PostgreSQL server available: set TEST_POSTGRES_URL or install postgresql to also run on it)",
  );
}
await server?.stop();
process.exit(status);
