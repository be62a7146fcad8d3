// Runs the unit and integration suites (PGlite and PostgreSQL) with the process clock moved to
// dates where calendars bite: today, the next UK and US daylight-saving changes, 31 December,
// 29 February and five years ahead. Each run sets TEST_CLOCK (read by test/support/time-travel.ts)
// and, where the date is about a zone, the process time zone.
//
//   npm run test:time-travel              every date
//   npm run test:time-travel -- far       only the named dates (today, uk-dst, us-dst,
//                                         new-year, leap-day, far)
//
// TIME_TRAVEL_DATABASES=postgres (or pglite) runs the integration suite on that database only.
import { spawnSync } from "node:child_process";
import { timeTravelDates } from "./lib/time-travel-dates.mjs";
import { findPostgresBin, startPostgres } from "./pg-test-server.mjs";

const DATES = timeTravelDates(Date.now());

const asked = process.argv.slice(2);
for (const name of asked) {
  if (!(name in DATES)) {
    console.error(`Unknown date "${name}"; choose from: ${Object.keys(DATES).join(", ")}`);
    process.exit(2);
  }
}
const names = asked.length ? asked : Object.keys(DATES);
const databases = (process.env.TIME_TRAVEL_DATABASES ?? "pglite,postgres").split(",");

let server;
let url = process.env.TEST_POSTGRES_URL;
if (!url && findPostgresBin()) {
  server = await startPostgres();
  url = server.url;
}
if (!url)
  console.log("(no PostgreSQL server available: the integration suite runs on PGlite only)");

function run(label, args, env) {
  console.log(`\n== ${label} ==`);
  const r = spawnSync("npx", args, { stdio: "inherit", env: { ...process.env, ...env } });
  return r.status ?? 1;
}

const results = [];
for (const name of names) {
  const { at, tz } = DATES[name];
  const clock = new Date(at).toISOString();
  const env = { TEST_CLOCK: clock, ...(tz ? { TZ: tz } : {}) };
  const where = `${name}: clock ${clock}${tz ? `, TZ=${tz}` : ""}`;
  const unit = run(`Unit tests (${where})`, ["vitest", "run", "--project", "unit"], env);
  const integration = (db) =>
    run(
      `Integration tests on ${db} (${where})`,
      ["vitest", "run", "--project", "integration", "--maxWorkers=2", "--minWorkers=1"],
      { ...env, TEST_DB: db, ...(db === "postgres" ? { TEST_POSTGRES_URL: url } : {}) },
    );
  const pglite = databases.includes("pglite") ? integration("pglite") : null;
  const postgres = url && databases.includes("postgres") ? integration("postgres") : null;
  results.push({ name, clock, tz, unit, pglite, postgres });
}
await server?.stop();

console.log("\n== Time travel ==");
const word = (s) => (s === null ? "not run" : s === 0 ? "passed" : "FAILED");
for (const r of results) {
  console.log(
    `${r.name.padEnd(9)} ${r.clock} ${(r.tz ?? "").padEnd(20)} unit ${word(r.unit)}, PGlite ${word(r.pglite)}, PostgreSQL ${word(r.postgres)}`,
  );
}
process.exit(results.some((r) => r.unit || r.pglite || r.postgres) ? 1 : 0);
