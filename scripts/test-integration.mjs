// Runs the integration tests on the embedded database (PGlite), then on a PostgreSQL server:
// TEST_POSTGRES_URL if given, else a throwaway cluster when server binaries are installed.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { findPostgresBin, startPostgres } from "./pg-test-server.mjs";

const extra = process.argv.slice(2);
const reports = fs.mkdtempSync(path.join(os.tmpdir(), "integration-report-"));

/** The failed tests of a run, from its JSON report, one line each (CI shows the log's end). */
function failures(database) {
  const file = path.join(reports, `${database}.json`);
  if (!fs.existsSync(file)) return [`${database}: no report (the run itself failed)`];
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  const lines = [];
  for (const result of report.testResults ?? []) {
    const where = path.relative(process.cwd(), result.name);
    if (result.status === "failed" && !result.assertionResults?.some((a) => a.status === "failed"))
      lines.push(`${database}: ${where}: ${(result.message ?? "").split("\n")[0]}`);
    for (const a of result.assertionResults ?? []) {
      if (a.status !== "failed") continue;
      const why = (a.failureMessages?.[0] ?? "").split("\n")[0].slice(0, 300);
      lines.push(`${database}: ${where} > ${a.fullName}: ${why}`);
    }
  }
  if (lines.length === 0) lines.push(`${database}: an error outside any test (see its log above)`);
  return lines;
}

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
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${path.join(reports, `${env.TEST_DB}.json`)}`,
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
const statuses = { pglite: vitest({ TEST_DB: "pglite" }) };

let server;
let url = process.env.TEST_POSTGRES_URL;
if (!url && findPostgresBin()) {
  server = await startPostgres();
  url = server.url;
}
if (url) {
  console.log(`\n== Integration tests on PostgreSQL (${url.replace(/\/\/[^@]*@/, "//")}) ==`);
  statuses.postgres = vitest({ TEST_DB: "postgres", TEST_POSTGRES_URL: url });
} else {
  console.log(
    "\n(no PostgreSQL server available: set TEST_POSTGRES_URL or install postgresql to also run on it)",
  );
}
await server?.stop();
const failed = Object.entries(statuses).filter(([, status]) => status !== 0);
if (failed.length > 0) {
  console.log("\n== Integration tests failed ==");
  for (const [database] of failed) for (const line of failures(database)) console.log(line);
}
fs.rmSync(reports, { recursive: true, force: true });
process.exit(failed.length > 0 ? 1 : 0);
