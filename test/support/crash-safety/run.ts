// One crash-safety run on one database: seed, start, load, kill, restart and check, KILLS times;
// then the outbox's leases run out and the final check, with the figures the test asserts on.
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { openDatabase, type Database } from "~/lib/db.server";
import {
  createPgliteTarget,
  createPostgresTarget,
  HttpClient,
  ROOT,
  runAuditVerify,
  seedTarget,
  sleep,
  startServer,
  startSmtpSink,
  tempDir,
  freePort,
  type DbTarget,
  type ServerProcess,
  type SmtpSink,
} from "#test/system/harness";
import {
  KILLS,
  MAX_LOAD_MS,
  MIN_LOAD_MS,
  SABOTAGE,
  WARM_UP_LIMIT_MS,
} from "#test/support/crash-safety/settings";
import { type Figures, type Kind, KINDS, Ledger } from "#test/support/crash-safety/ledger";
import {
  applicantLoop,
  checklistLoop,
  type Control,
  guarded,
  pageLoop,
} from "#test/support/crash-safety/load";
import { checkAndResync, sabotage, sqlOf } from "#test/support/crash-safety/check";
import { RATE_LIMITS } from "~/lib/rate-limits.server";

const APPLICANT_LOOPS = 2;
const STARTS_PER_APPLICANT = RATE_LIMITS.applicationDraftsPerPerson.limit;

// ---------------------------------------------------------------- one database

let pgliteModule: Promise<WebAssembly.Module> | undefined;

/** The app's own database code on the target (PGlite: compiled once, opened in ~half the time). */
async function openForCheck(target: DbTarget): Promise<Database> {
  if (target.kind === "postgres")
    return openDatabase({ kind: "postgres", url: target.url, poolSize: 2 });
  pgliteModule ??= WebAssembly.compile(
    fs.readFileSync(path.join(ROOT, "node_modules/@electric-sql/pglite/dist/pglite.wasm")),
  );
  const pglite = await PGlite.create(path.join(target.dataDir, "pglite"), {
    extensions: { pg_trgm },
    pgliteWasmModule: await pgliteModule,
  });
  return openDatabase({ kind: "pglite", pglite });
}

function copyDataDir(from: string) {
  const to = path.join(tempDir("exchange-crash-copy-"), "data");
  fs.cpSync(from, to, { recursive: true });
  return to;
}

async function emailFigures(database: Database, sink: SmtpSink) {
  const sql = sqlOf(database);
  const rows = await sql<{ messageId: string; status: string; lastError: string }>(
    `SELECT "messageId", status::text AS status, "lastError" FROM "OutboxEmail"`,
  );
  const received = sink.receivedIds();
  const known = new Set(rows.map((r) => r.messageId));
  const problems: string[] = [];
  for (const r of rows)
    if (r.status === "SENT" && !received.has(r.messageId))
      problems.push(`outbox row ${r.messageId} is SENT but the SMTP server never received it`);
  for (const id of received)
    if (!known.has(id)) problems.push(`received ${id}, which no outbox row has`);
  return {
    queued: rows.length,
    byStatus: Object.fromEntries(
      [...new Set(rows.map((r) => r.status))].sort().map((status) => {
        const of = rows.filter((r) => r.status === status);
        return [
          status,
          { rows: of.length, received: of.filter((r) => received.has(r.messageId)).length },
        ];
      }),
    ),
    problems,
  };
}

/** Each lost write once, with the check that first missed it. */
function noteLost(figures: Figures, lost: string[], when: string) {
  for (const l of lost)
    if (!figures.lost.some((seen) => seen.endsWith(`: ${l}`))) figures.lost.push(`${when}: ${l}`);
}

export async function crashRun(database: "pglite" | "postgres"): Promise<Figures> {
  const started = performance.now();
  const created =
    database === "pglite" ? createPgliteTarget() : await createPostgresTarget("exchange_crash");
  const { target } = created;
  const work = tempDir("exchange-crash-");
  const logFile = path.join(work, "server.log");
  const sink = await startSmtpSink();
  const figures: Figures = {
    database,
    kills: 0,
    restarts: 0,
    acknowledged: { appStart: 0, appSubmit: 0, checklist: 0, page: 0 },
    verifiedPresent: 0,
    lost: [],
    inFlightCommitted: 0,
    inFlightNotCommitted: 0,
    unexpected: [],
    auditEventsVerified: 0,
    auditBreaks: [],
    emailsQueued: 0,
    emailsDelivered: 0,
    emailDuplicates: 0,
    outbox: {},
    dueAtTheEnd: 0,
    emailProblems: [],
    restartMs: [],
    coldKills: 0,
    phases: {},
    outboxLog: [],
    latency: { appStart: [], appSubmit: [], checklist: [], page: [] },
    seconds: 0,
  };
  let server: ServerProcess | undefined;
  let pgCheck: Database | undefined;
  const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await run();
    } finally {
      figures.phases[name] = (figures.phases[name] ?? 0) + performance.now() - t;
    }
  };
  try {
    const state = await timed("seed", () =>
      seedTarget(target, {
        stateFile: path.join(work, "state.json"),
        // Few writers, so that each answers quickly and every kind completes between kills.
        env: {
          SYSTEM_APPLICANTS: "8",
          SYSTEM_POSTINGS: "200",
          SYSTEM_PLACEMENTS: "2",
          SYSTEM_EDITORS: "2",
        },
      }),
    );
    const ledger = new Ledger(state);
    const port = await freePort();
    const serverOptions = {
      target,
      port,
      logFile,
      env: { SMTP_URL: sink.url, OUTBOX_POLL_MS: "200" },
    };
    const firstStart = performance.now();
    server = await startServer(serverOptions);

    // Sessions live in the database, so they survive the restarts: sign in once.
    const signedIn = async (email: string, mfaKey?: string) => {
      const client = new HttpClient(server!.baseUrl);
      await client.signIn(email, state.password, mfaKey);
      return client;
    };
    const applicants = await Promise.all(state.applicants.map((a) => signedIn(a.email)));
    const hr = await signedIn(state.hr.email, state.hr.mfaKey);
    const editors = await Promise.all(state.editors.map((e) => signedIn(e.email)));
    if (target.kind === "postgres") pgCheck = await openForCheck(target);
    figures.phases["start, sign in"] = performance.now() - firstStart;

    for (let kill = 1; kill <= KILLS; kill++) {
      const control: Control = { stopping: false };
      const loops = [
        // Two applicant loops, each taking its accounts in turn: one person may start only so many
        // applications a day, so each account applies to a slice of the postings of that size.
        ...Array.from({ length: APPLICANT_LOOPS }, (_, loop) =>
          guarded(control, ledger, "applicant", async () => {
            for (
              let i = loop;
              i < state.applicants.length && !control.stopping;
              i += APPLICANT_LOOPS
            )
              await applicantLoop(
                control,
                ledger,
                applicants[i]!,
                state.applicants[i]!.id,
                state.postingIds.slice(i * STARTS_PER_APPLICANT, (i + 1) * STARTS_PER_APPLICANT),
              );
          }),
        ),
        ...state.placements.map((p) =>
          guarded(control, ledger, "checklist", () =>
            checklistLoop(control, ledger, hr, p.id, p.itemIds),
          ),
        ),
        ...state.editors.map((e, i) =>
          guarded(control, ledger, "page", () => pageLoop(control, ledger, editors[i]!, e.pageId)),
        ),
      ];
      // The random moment is counted from when every kind of write has been acknowledged once in
      // this run, so that each kill lands while all of them are flowing (a server just started
      // answers its first requests slowly), and every kind is checked after every kill.
      const seen = new Set<Kind>();
      ledger.onAck = (kind) => seen.add(kind);
      const flowing = () =>
        KINDS.every(
          (k) =>
            seen.has(k) ||
            // Every application submitted: those two kinds have nothing left to do.
            ((k === "appStart" || k === "appSubmit") &&
              [...ledger.apps.values()].every((a) => a.status === "SUBMITTED")),
        );
      const warm = await timed("until every kind flows", async () => {
        const deadline = performance.now() + WARM_UP_LIMIT_MS;
        while (!flowing() && performance.now() < deadline) await sleep(10);
        return flowing();
      });
      ledger.onAck = () => {};
      if (!warm) figures.coldKills++;
      await timed("load", () => sleep(MIN_LOAD_MS + Math.random() * (MAX_LOAD_MS - MIN_LOAD_MS)));
      control.stopping = true;
      await server.kill();
      figures.kills++;
      await Promise.all(loops);
      const recoveryStarted = performance.now();

      let copy: string | undefined;
      if (target.kind === "pglite") {
        if ((SABOTAGE === "write" || SABOTAGE === "audit") && kill === 3) {
          const real = await openForCheck(target);
          console.log(`sabotage: ${await sabotage(real, ledger)}`);
          await real.close();
        }
        // The server recovers the killed directory; the check recovers a copy of it, meanwhile.
        copy = await timed("  copy", async () => copyDataDir(target.dataDir));
      } else if ((SABOTAGE === "write" || SABOTAGE === "audit") && kill === 3) {
        console.log(`sabotage: ${await sabotage(pgCheck!, ledger)}`);
      }
      const restartStarted = performance.now();
      const copied = copy;
      const [restarted, [check, result]] = await Promise.all([
        startServer(serverOptions).then((s) => {
          figures.restartMs.push(performance.now() - restartStarted);
          return s;
        }),
        timed("  check", async () => {
          const opened = copied
            ? await timed("  open copy", () => openForCheck({ kind: "pglite", dataDir: copied }))
            : pgCheck!;
          return [opened, await checkAndResync(opened, ledger)] as const;
        }),
      ]);
      server = restarted;
      figures.restarts++;
      if (copy) {
        await timed("  close copy", () => check.close());
        fs.rmSync(path.dirname(copy), { recursive: true, force: true });
      }
      figures.phases["restart, check"] =
        (figures.phases["restart, check"] ?? 0) + performance.now() - recoveryStarted;
      figures.verifiedPresent = result.present;
      noteLost(figures, result.lost, `after kill ${kill}`);
      figures.inFlightCommitted += result.inFlightCommitted;
      figures.inFlightNotCommitted += result.inFlightNotCommitted;
      figures.auditEventsVerified = result.auditChecked;
      if (result.auditBreak) figures.auditBreaks.push(`after kill ${kill}: ${result.auditBreak}`);
      for (const d of sink.duplicates())
        if (!figures.emailProblems.some((p) => p.includes(d.messageId)))
          figures.emailProblems.push(
            `after kill ${kill}: ${d.messageId} received ${d.count} times`,
          );
    }

    // Time passes: the leases of rows that killed servers had claimed run out, as they would
    // after the outbox's five minutes. (Marked so with no server running.) A fresh server must then
    // send the claimed rows whose send had not started, and mark the ones whose send had started
    // as interrupted, sending none of them a second time.
    await timed("expire leases, drain", async () => {
      await server!.stop();
      const leases = target.kind === "pglite" ? await openForCheck(target) : pgCheck!;
      let expected: string[];
      try {
        await leases.prisma.$executeRawUnsafe(
          `UPDATE "OutboxEmail" SET "leaseUntil" = "leaseUntil" - interval '1 day'
           WHERE status::text = 'SENDING'`,
        );
        // CRASH_SABOTAGE=email: forget which sends had started, as the outbox did before it
        // recorded that; an email the SMTP server had already taken then goes out a second time.
        if (SABOTAGE === "email")
          await leases.prisma.$executeRawUnsafe(
            `UPDATE "OutboxEmail" SET "sendStartedAt" = NULL WHERE status::text = 'SENDING'`,
          );
        expected = (
          await sqlOf(leases)<{ messageId: string }>(
            `SELECT "messageId" FROM "OutboxEmail" WHERE status::text = 'QUEUED'
               OR (status::text = 'SENDING' AND "sendStartedAt" IS NULL)`,
          )
        ).map((r) => r.messageId);
      } finally {
        if (leases !== pgCheck) await leases.close();
      }
      server = await startServer(serverOptions);
      const deadline = Date.now() + 30_000;
      const missing = () => expected.filter((id) => !sink.receivedIds().has(id));
      while (Date.now() < deadline && missing().length) await sleep(200);
      figures.dueAtTheEnd = expected.length;
      for (const id of missing())
        figures.emailProblems.push(
          `${id} was due (queued, or claimed but not started) and never sent`,
        );
    });
    figures.outboxLog = server
      .log()
      .split("\n")
      .filter((line) => /outbox/i.test(line));
    await server.stop();
    const finalStarted = performance.now();
    const final = target.kind === "pglite" ? await openForCheck(target) : pgCheck!;
    try {
      const result = await checkAndResync(final, ledger);
      figures.verifiedPresent = result.present;
      noteLost(figures, result.lost, "at the end");
      figures.auditEventsVerified = result.auditChecked;
      if (result.auditBreak) figures.auditBreaks.push(`at the end: ${result.auditBreak}`);
      const mail = await emailFigures(final, sink);
      figures.emailsQueued = mail.queued;
      figures.outbox = mail.byStatus;
      figures.emailProblems.push(...mail.problems);
    } finally {
      if (final !== pgCheck) await final.close();
    }
    figures.phases["final check"] = performance.now() - finalStarted;
    // The command-line check agrees (PGlite: now that no server holds the directory).
    const cli = await timed("audit:verify", () => runAuditVerify(target));
    if (!cli.ok) figures.auditBreaks.push(`npm run audit:verify: ${cli.output}`);
    figures.emailsDelivered = sink.received.length;
    figures.emailDuplicates = sink.duplicates().length;
    figures.acknowledged = { ...ledger.acked };
    figures.latency = ledger.latency;
    figures.unexpected = ledger.unexpected;
  } catch (error) {
    if (server) console.error(`server log (${logFile}):\n${server.log().slice(-4000)}`);
    throw error;
  } finally {
    await server?.kill();
    await pgCheck?.close();
    await sink.close();
    await created.remove();
    fs.rmSync(work, { recursive: true, force: true });
  }
  figures.seconds = (performance.now() - started) / 1000;
  return figures;
}
