// Crash safety: the production server under a write-heavy load, killed with SIGKILL at random
// moments and restarted on the same data, on the embedded database (PGlite) and on PostgreSQL.
//
// Client loops sign in over HTTP and post the app's own forms: applicants start and submit
// applications (each submission queues two emails, which the outbox delivers to an SMTP sink), HR
// moves checklist items round TODO -> IN_PROGRESS -> DONE (attested with a unique token) -> TODO,
// and researchers save their workspace page with the base version the form sends. Every write the
// client saw succeed is recorded. Once every kind of write is flowing, the server is killed after a
// random delay, restarted on the same data, and the database is checked directly:
//   - every acknowledged write is there (application rows and their audit events, submissions with
//     their statement token, timeline event and emails, each checklist move as the audit event of
//     its version, each page edit as its page version with the token);
//   - the current state is the last acknowledged one, or the one write that was in flight;
//   - the audit hash chain verifies;
//   - the SMTP sink has received no Message-ID twice.
// PGlite allows one process per data directory, so its check runs on a copy of the killed data
// directory while the server recovers the original; PostgreSQL is queried directly.
// At the end the leases of emails claimed by killed servers are made to run out (as after the
// outbox's five minutes): the rows whose send had not started must then go out, the ones whose
// send had started must not go out again. Then `npm run audit:verify` must agree.
//
// Run: npx vitest run --project system test/system/crash-safety.test.ts   (after `npm run build`)
// CRASH_KILLS (default 20 per database), CRASH_MIN_LOAD_MS / CRASH_MAX_LOAD_MS (the random delay
// before each kill, default 0..1000), CRASH_DATABASES ("pglite,postgres"). PostgreSQL: a database
// created in TEST_POSTGRES_URL, else a throwaway cluster (scripts/pg-test-server.mjs).
// CRASH_SABOTAGE=write|audit deletes an acknowledged write (or edits an audit event) after the
// third kill; CRASH_SABOTAGE=email makes the outbox forget which sends had started (its behaviour
// before it recorded that). Each shows that the test notices: it must then fail.
// The clients, the ledger of what they saw, the checks and one whole run are in
// test/support/crash-safety/; this file runs them and asserts on the figures.
import { afterAll, describe, expect, test } from "vitest";
import { requireBuild } from "./harness";
import { DATABASES, KILLS, postgresAvailable } from "#test/support/crash-safety/settings";
import { type Figures, KINDS } from "#test/support/crash-safety/ledger";
import { crashRun } from "#test/support/crash-safety/run";

// ---------------------------------------------------------------- report

function stats(values: number[]) {
  if (!values.length) return "-";
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return `${Math.round(mean)}/${Math.round(Math.max(...values))}`;
}

function report(f: Figures) {
  const acked = KINDS.reduce((n, k) => n + f.acknowledged[k], 0);
  const mean = f.restartMs.reduce((a, b) => a + b, 0) / Math.max(1, f.restartMs.length);
  const max = Math.max(0, ...f.restartMs);
  return [
    `Crash safety on ${f.database}:`,
    `  kills ${f.kills}, restarts ${f.restarts}`,
    `  acknowledged writes ${acked}: application starts ${f.acknowledged.appStart}, submissions ${f.acknowledged.appSubmit}, checklist moves ${f.acknowledged.checklist}, page edits ${f.acknowledged.page}`,
    `  verified present ${f.verifiedPresent}, lost ${f.lost.length}`,
    `  in flight at a kill: ${f.inFlightCommitted} committed, ${f.inFlightNotCommitted} not`,
    `  unexpected answers ${f.unexpected.length}`,
    `  audit chain: ${f.auditEventsVerified} events verified, ${f.auditBreaks.length} breaks`,
    `  emails: ${f.emailsQueued} queued, ${f.emailsDelivered} delivered, ${f.emailDuplicates} duplicates; ${f.dueAtTheEnd} due once the killed servers' leases ran out`,
    `  outbox at the end (rows, of which received): ${Object.entries(f.outbox)
      .map(([status, n]) => `${status} ${n.rows} (${n.received})`)
      .join(", ")}`,
    `  phases (s): ${Object.entries(f.phases)
      .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)}`)
      .join(", ")}`,
    `  restart to healthy: mean ${Math.round(mean)} ms, max ${Math.round(max)} ms`,
    `  answer times (mean/max ms): ${KINDS.map((k) => `${k} ${stats(f.latency[k])}`).join(", ")}`,
    ...(f.coldKills
      ? [`  ${f.coldKills} kill(s) before every kind of write was acknowledged in their run`]
      : []),
    `  ${f.seconds.toFixed(1)} s in all`,
    ...f.lost.slice(0, 20).map((l) => `  LOST ${l}`),
    ...f.auditBreaks.map((l) => `  AUDIT ${l}`),
    ...f.emailProblems.slice(0, 20).map((l) => `  EMAIL ${l}`),
    ...f.unexpected.slice(0, 20).map((l) => `  UNEXPECTED ${l}`),
    ...f.outboxLog.slice(0, 10).map((l) => `  server: ${l}`),
  ].join("\n");
}

function expectSafe(f: Figures) {
  expect(f.kills).toBe(KILLS);
  expect(f.restarts).toBe(KILLS);
  for (const kind of KINDS) expect(f.acknowledged[kind], `acknowledged ${kind}`).toBeGreaterThan(0);
  expect(f.lost, "acknowledged writes lost").toEqual([]);
  expect(f.verifiedPresent).toBe(KINDS.reduce((n, k) => n + f.acknowledged[k], 0));
  expect(f.auditBreaks, "audit chain").toEqual([]);
  expect(f.emailDuplicates, "emails delivered twice").toBe(0);
  expect(f.emailProblems).toEqual([]);
  expect(f.emailsDelivered).toBeGreaterThan(0);
  expect(f.unexpected, "answers other than success while the server was up").toEqual([]);
}

const reports: string[] = [];
afterAll(() => {
  if (reports.length) console.log(`\n${reports.join("\n\n")}\n`);
});

describe("crash safety: SIGKILL under a write load, restart, nothing acknowledged is lost", () => {
  requireBuild();

  test.runIf(DATABASES.includes("pglite"))("on PGlite (embedded)", async () => {
    const figures = await crashRun("pglite");
    reports.push(report(figures));
    console.log(report(figures));
    expectSafe(figures);
  });

  test.runIf(DATABASES.includes("postgres") && postgresAvailable)("on PostgreSQL", async () => {
    const figures = await crashRun("postgres");
    reports.push(report(figures));
    console.log(report(figures));
    expectSafe(figures);
  });
});
