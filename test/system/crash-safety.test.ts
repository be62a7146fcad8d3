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
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { afterAll, describe, expect, test } from "vitest";
import { dayAfter } from "#test/support/clock";
import { openDatabase, useDatabase as pointAppAt, type Database } from "~/lib/db.server";
import { verifyAuditChain } from "~/modules/audit/audit.server";
import {
  createPgliteTarget,
  createPostgresTarget,
  HttpClient,
  requireBuild,
  ROOT,
  runAuditVerify,
  seedTarget,
  sleep,
  startServer,
  startSmtpSink,
  tempDir,
  freePort,
  type DbTarget,
  type HttpResult,
  type ServerProcess,
  type SmtpSink,
  type SystemState,
} from "./harness";
import { findPostgresBin } from "../../scripts/pg-test-server.mjs";

const KILLS = Number(process.env.CRASH_KILLS ?? 20);
const MIN_LOAD_MS = Number(process.env.CRASH_MIN_LOAD_MS ?? 0);
const MAX_LOAD_MS = Number(process.env.CRASH_MAX_LOAD_MS ?? 1000);
const WARM_UP_LIMIT_MS = 20_000;
const DATABASES = (process.env.CRASH_DATABASES ?? "pglite,postgres").split(",");
const SABOTAGE = process.env.CRASH_SABOTAGE ?? "";
const postgresAvailable = Boolean(process.env.TEST_POSTGRES_URL) || findPostgresBin() !== null;

const CV = `%PDF-1.4\n% curriculum vitae\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`;

type Kind = "appStart" | "appSubmit" | "checklist" | "page";
const KINDS: Kind[] = ["appStart", "appSubmit", "checklist", "page"];

type Figures = {
  database: string;
  kills: number;
  restarts: number;
  acknowledged: Record<Kind, number>;
  verifiedPresent: number;
  lost: string[];
  /** Writes in flight at a kill (no answer seen) that turned out committed / not committed. */
  inFlightCommitted: number;
  inFlightNotCommitted: number;
  unexpected: string[];
  auditEventsVerified: number;
  auditBreaks: string[];
  emailsQueued: number;
  emailsDelivered: number;
  emailDuplicates: number;
  /** Emails due once the killed servers' leases ran out (queued, or claimed but not started). */
  dueAtTheEnd: number;
  /** Outbox rows at the end by status, and how many of each the SMTP sink received. */
  outbox: Record<string, { rows: number; received: number }>;
  emailProblems: string[];
  restartMs: number[];
  /** Kills that came before every kind of write flowed in their run (warm-up limit reached). */
  coldKills: number;
  /** What the servers logged about the outbox. */
  outboxLog: string[];
  /** Where the time went, in ms. */
  phases: Record<string, number>;
  latency: Record<Kind, number[]>;
  seconds: number;
};

// ---------------------------------------------------------------- what the clients saw

type ItemStatus = "TODO" | "IN_PROGRESS" | "DONE";
type Pending<T> = (T & { from: number }) | null;

/** One checklist item, moved by one loop at a time. */
type ItemTrack = {
  placementId: string;
  version: number;
  status: ItemStatus;
  token: string;
  /** Version -> the move that produced it, as acknowledged (or found committed after a kill). */
  history: Map<number, { status: ItemStatus; token: string; acked: boolean }>;
  pending: Pending<{ status: ItemStatus; token: string }>;
};

type PageTrack = {
  workspaceId: string;
  title: string;
  version: number;
  token: string;
  history: Map<number, { token: string; acked: boolean }>;
  pending: Pending<{ token: string }>;
};

type AppTrack = {
  applicantId: string;
  postingId: string;
  id: string | null;
  status: string;
  version: number;
  startAcked: boolean;
  submitToken: string;
  submitAcked: boolean;
  pendingStart: boolean;
  pendingSubmit: string | null;
};

class Ledger {
  items = new Map<string, ItemTrack>();
  pages = new Map<string, PageTrack>();
  apps = new Map<string, AppTrack>();
  acked: Record<Kind, number> = { appStart: 0, appSubmit: 0, checklist: 0, page: 0 };
  /** Milliseconds from sending to the acknowledgement, per kind. */
  latency: Record<Kind, number[]> = { appStart: [], appSubmit: [], checklist: [], page: [] };
  unexpected: string[] = [];
  /** Called on every acknowledgement (the kill timer waits for the first of a run). */
  onAck: (kind: Kind) => void = () => {};

  ack(kind: Kind, sentAt: number) {
    this.acked[kind]++;
    this.latency[kind].push(performance.now() - sentAt);
    this.onAck(kind);
  }

  constructor(state: SystemState) {
    for (const p of state.placements)
      for (const id of p.itemIds)
        this.items.set(id, {
          placementId: p.id,
          version: 0,
          status: "TODO",
          token: "",
          history: new Map(),
          pending: null,
        });
    for (const e of state.editors)
      this.pages.set(e.pageId, {
        workspaceId: e.workspaceId,
        title: `Notes ${state.editors.indexOf(e)}`,
        version: 1,
        token: "",
        history: new Map(),
        pending: null,
      });
    for (const a of state.applicants)
      for (const postingId of state.postingIds)
        this.apps.set(`${a.id}/${postingId}`, {
          applicantId: a.id,
          postingId,
          id: null,
          status: "NONE",
          version: 0,
          startAcked: false,
          submitToken: "",
          submitAcked: false,
          pendingStart: false,
          pendingSubmit: null,
        });
  }
}

// ---------------------------------------------------------------- the load

let tokenCounter = 0;
const token = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++tokenCounter}`;

type Control = { stopping: boolean };

function unexpected(ledger: Ledger, what: string, result: HttpResult) {
  ledger.unexpected.push(
    `${what}: ${result.status} ${result.location} ${result.text.slice(0, 200)}`,
  );
}

async function applicantLoop(
  control: Control,
  ledger: Ledger,
  client: HttpClient,
  applicantId: string,
  postingIds: string[],
) {
  for (const postingId of postingIds) {
    const app = ledger.apps.get(`${applicantId}/${postingId}`)!;
    if (app.status === "SUBMITTED") continue;
    if (control.stopping) return;
    if (!app.id) {
      app.pendingStart = true;
      const sentAt = performance.now();
      const r = await client.post(`/postings/${postingId}/apply`, {});
      app.pendingStart = false;
      const m = /^\/applications\/([^/?]+)\/edit$/.exec(r.location);
      if (r.status !== 302 || !m) return unexpected(ledger, "apply", r);
      app.id = m[1]!;
      app.status = "DRAFT";
      app.startAcked = true;
      ledger.ack("appStart", sentAt);
      if (control.stopping) return;
    }
    const tok = token("statement");
    app.pendingSubmit = tok;
    const sentAt = performance.now();
    const r = await client.post(`/applications/${app.id}/edit`, {
      statement: `I would like to join the team. ${tok}`,
      // Free from six weeks after today (the server runs on the real clock) for five months.
      availableFrom: dayAfter(42),
      availableUntil: dayAfter(207),
      declaredClearance: "BASELINE",
      intent: "submit",
      version: String(app.version),
      cv: new File([CV], "cv.pdf", { type: "application/pdf" }),
    });
    app.pendingSubmit = null;
    if (r.status !== 302 || r.location !== `/applications/${app.id}`)
      return unexpected(ledger, "submit", r);
    app.status = "SUBMITTED";
    app.version += 1;
    app.submitToken = tok;
    app.submitAcked = true;
    ledger.ack("appSubmit", sentAt);
  }
}

const NEXT: Record<ItemStatus, ItemStatus> = {
  TODO: "IN_PROGRESS",
  IN_PROGRESS: "DONE",
  DONE: "TODO",
};

async function checklistLoop(
  control: Control,
  ledger: Ledger,
  hr: HttpClient,
  placementId: string,
  itemIds: string[],
) {
  for (let i = 0; !control.stopping; i = (i + 1) % itemIds.length) {
    const itemId = itemIds[i]!;
    const item = ledger.items.get(itemId)!;
    const to = NEXT[item.status];
    const tok = to === "DONE" ? token("verifier") : "";
    item.pending = { from: item.version, status: to, token: tok };
    const sentAt = performance.now();
    const r = await hr.post(`/placements/${placementId}`, {
      intent: "item",
      itemId,
      to,
      version: String(item.version),
      ...(to === "DONE" ? { verifiedBy: tok, verifiedOn: dayAfter(-7) } : {}),
    });
    item.pending = null;
    if (r.status !== 302 || r.location !== `/placements/${placementId}`)
      return unexpected(ledger, `checklist ${to}`, r);
    item.version += 1;
    item.status = to;
    if (to === "DONE") item.token = tok;
    item.history.set(item.version, { status: to, token: tok, acked: true });
    ledger.ack("checklist", sentAt);
  }
}

async function pageLoop(control: Control, ledger: Ledger, client: HttpClient, pageId: string) {
  const page = ledger.pages.get(pageId)!;
  while (!control.stopping) {
    const tok = token("page");
    page.pending = { from: page.version, token: tok };
    const sentAt = performance.now();
    const r = await client.post(`/workspaces/${page.workspaceId}/pages/${pageId}/edit`, {
      title: page.title,
      body: `Findings so far.\n\nEdit ${tok}\n`,
      baseVersion: String(page.version),
    });
    page.pending = null;
    if (r.status !== 302 || r.location !== `/workspaces/${page.workspaceId}/pages/${pageId}`)
      return unexpected(ledger, "page", r);
    page.version += 1;
    page.token = tok;
    page.history.set(page.version, { token: tok, acked: true });
    ledger.ack("page", sentAt);
  }
}

/** Runs a loop until it stops; a failed request after the kill ends it quietly. */
async function guarded(control: Control, ledger: Ledger, what: string, run: () => Promise<void>) {
  try {
    await run();
  } catch (error) {
    if (!control.stopping) ledger.unexpected.push(`${what}: ${(error as Error).message}`);
  }
}

// ---------------------------------------------------------------- checking the database

type Sql = <T>(sql: string) => Promise<T[]>;

function sqlOf(database: Database): Sql {
  return <T>(sql: string) => database.prisma.$queryRawUnsafe<T[]>(sql);
}

type CheckResult = {
  present: number;
  lost: string[];
  inFlightCommitted: number;
  inFlightNotCommitted: number;
  auditChecked: number;
  auditBreak: string | null;
};

/**
 * Compares the database with the ledger, then brings the ledger to what the database holds (a write
 * in flight at the kill may or may not have committed), so that the loops carry on from there.
 */
async function checkAndResync(database: Database, ledger: Ledger): Promise<CheckResult> {
  const sql = sqlOf(database);
  const lost: string[] = [];
  let present = 0;
  let inFlightCommitted = 0;
  let inFlightNotCommitted = 0;

  const audit = await sql<{ action: string; targetId: string; to: string | null }>(
    `SELECT action, "targetId", details->>'to' AS "to" FROM "AuditEvent"
     WHERE action IN ('application.start', 'application.transition', 'checklist.item.status')
     ORDER BY seq`,
  );
  const auditBy = new Map<string, { action: string; to: string | null }[]>();
  for (const a of audit) {
    const list = auditBy.get(a.targetId) ?? [];
    list.push(a);
    auditBy.set(a.targetId, list);
  }

  // Applications
  const apps = await sql<{
    id: string;
    applicantId: string;
    postingId: string;
    status: string;
    version: number;
    statement: string;
  }>(
    `SELECT id, "applicantId", "postingId", status::text AS status, version::int AS version, statement FROM "Application"`,
  );
  const appRows = new Map(apps.map((a) => [`${a.applicantId}/${a.postingId}`, a]));
  const submittedEvents = new Set(
    (
      await sql<{ applicationId: string }>(
        `SELECT "applicationId" FROM "ApplicationEvent" WHERE "toStatus"::text = 'SUBMITTED'`,
      )
    ).map((e) => e.applicationId),
  );
  const mails = await sql<{ app: string | null; n: number }>(
    `SELECT substring(text from '/applications/([a-z0-9]+)') AS app, count(*)::int AS n
     FROM "OutboxEmail" GROUP BY 1`,
  );
  const mailsFor = new Map(mails.map((m) => [m.app ?? "", m.n]));
  for (const [key, app] of ledger.apps) {
    const row = appRows.get(key);
    if (app.startAcked) {
      const audited = (auditBy.get(app.id!) ?? []).some((a) => a.action === "application.start");
      if (row?.id === app.id && audited) present++;
      else
        lost.push(
          `application ${app.id} (started, acknowledged): ${row ? `row ${row.id}` : "no row"}, audit event ${audited ? "present" : "missing"}`,
        );
    }
    if (app.submitAcked) {
      const ok =
        row?.id === app.id &&
        row.status === "SUBMITTED" &&
        row.statement.includes(app.submitToken) &&
        submittedEvents.has(app.id!) &&
        (auditBy.get(app.id!) ?? []).some(
          (a) => a.action === "application.transition" && a.to === "SUBMITTED",
        ) &&
        (mailsFor.get(app.id!) ?? 0) >= 2;
      if (ok) present++;
      else
        lost.push(
          `application ${app.id} (submitted with ${app.submitToken}, acknowledged): ${row ? `${row.status}, statement ${row.statement.includes(app.submitToken) ? "has" : "lacks"} the token, timeline ${submittedEvents.has(app.id!)}, ${mailsFor.get(app.id!) ?? 0} emails` : "no row"}`,
        );
    }
    // Resync: whatever happened to a request without an answer, carry on from the database.
    if (app.pendingStart) {
      if (row) inFlightCommitted++;
      else inFlightNotCommitted++;
    }
    if (app.pendingSubmit !== null) {
      if (row?.status === "SUBMITTED" && row.statement.includes(app.pendingSubmit))
        inFlightCommitted++;
      else inFlightNotCommitted++;
    }
    app.pendingStart = false;
    app.pendingSubmit = null;
    if (row) {
      app.id = row.id;
      app.status = row.status;
      app.version = row.version;
    } else {
      app.id = null;
      app.status = "NONE";
      app.version = 0;
    }
  }

  // Checklist items: each acknowledged move is the audit event of its version; the row holds the
  // last acknowledged move, or the move that was in flight.
  const items = await sql<{ id: string; status: ItemStatus; version: number; verifiedBy: string }>(
    `SELECT id, status::text AS status, version::int AS version, "verifiedBy" FROM "ChecklistItem"`,
  );
  const itemRows = new Map(items.map((i) => [i.id, i]));
  for (const [id, item] of ledger.items) {
    const row = itemRows.get(id)!;
    const events = (auditBy.get(id) ?? []).filter((a) => a.action === "checklist.item.status");
    for (const [version, move] of item.history) {
      if (!move.acked) continue;
      if (row.version >= version && events[version - 1]?.to === move.status) present++;
      else
        lost.push(
          `checklist item ${id} version ${version} (${move.status}${move.token ? ` by ${move.token}` : ""}, acknowledged): row at version ${row.version}, audit event ${events[version - 1]?.to ?? "missing"}`,
        );
    }
    if (events.length !== row.version)
      lost.push(
        `checklist item ${id}: at version ${row.version} with ${events.length} audit events`,
      );
    const sameAsKnown =
      row.version === item.version &&
      row.status === item.status &&
      (row.status !== "DONE" || row.verifiedBy === item.token);
    const inFlight =
      item.pending !== null &&
      row.version === item.version + 1 &&
      row.status === item.pending.status &&
      (row.status !== "DONE" || row.verifiedBy === item.pending.token);
    if (inFlight) {
      inFlightCommitted++;
      item.history.set(row.version, {
        status: row.status,
        token: item.pending!.token,
        acked: false,
      });
      item.version = row.version;
      item.status = row.status;
      item.token = row.status === "DONE" ? row.verifiedBy : item.token;
    } else if (!sameAsKnown) {
      lost.push(
        `checklist item ${id}: expected version ${item.version} ${item.status}, found version ${row.version} ${row.status}`,
      );
      item.version = row.version;
      item.status = row.status;
    } else if (item.pending) inFlightNotCommitted++;
    item.pending = null;
  }

  // Pages: each acknowledged save is a page version carrying its token.
  const versions = await sql<{ pageId: string; version: number; body: string }>(
    `SELECT "pageId", version::int AS version, body FROM "PageVersion"`,
  );
  const versionRows = new Map(versions.map((v) => [`${v.pageId}/${v.version}`, v.body]));
  const pageRows = new Map(
    (
      await sql<{ id: string; version: number; body: string }>(
        `SELECT id, version::int AS version, body FROM "WorkspacePage"`,
      )
    ).map((p) => [p.id, p]),
  );
  for (const [id, page] of ledger.pages) {
    const row = pageRows.get(id)!;
    for (const [version, save] of page.history) {
      if (!save.acked) continue;
      if (versionRows.get(`${id}/${version}`)?.includes(save.token) && row.version >= version)
        present++;
      else lost.push(`page ${id} version ${version} (${save.token}, acknowledged): missing`);
    }
    const inFlight =
      page.pending !== null &&
      row.version === page.version + 1 &&
      row.body.includes(page.pending.token);
    if (inFlight) {
      inFlightCommitted++;
      page.history.set(row.version, { token: page.pending!.token, acked: false });
      page.version = row.version;
      page.token = page.pending!.token;
    } else if (row.version !== page.version || (page.token && !row.body.includes(page.token))) {
      lost.push(`page ${id}: expected version ${page.version}, found ${row.version}`);
      page.version = row.version;
    } else if (page.pending) inFlightNotCommitted++;
    page.pending = null;
  }

  pointAppAt(database);
  const chain = await verifyAuditChain();
  return {
    present,
    lost,
    inFlightCommitted,
    inFlightNotCommitted,
    auditChecked: chain.checked,
    auditBreak: chain.firstBreak
      ? `event #${chain.firstBreak.seq}: ${chain.firstBreak.reason}`
      : null,
  };
}

/** For CRASH_SABOTAGE: removes an acknowledged write (or edits an audit event) behind the app's back. */
async function sabotage(database: Database, ledger: Ledger) {
  const exec = (sql: string) => database.prisma.$executeRawUnsafe(sql);
  if (SABOTAGE === "audit") {
    // The database refuses to change an event (a trigger): someone with the owner's rights
    // switches that off first.
    await exec(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    await exec(
      `UPDATE "AuditEvent" SET details = '{"tampered": true}' WHERE seq = (SELECT max(seq) FROM "AuditEvent")`,
    );
    await exec(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    return "edited the latest audit event";
  }
  const acked = [...ledger.pages].find(([, p]) => [...p.history.values()].some((h) => h.acked));
  if (!acked) return "nothing to delete yet (no page edit acknowledged)";
  const [pageId, page] = acked;
  const version = [...page.history].filter(([, h]) => h.acked).at(-1)![0];
  await exec(`DELETE FROM "PageVersion" WHERE "pageId" = '${pageId}' AND version = ${version}`);
  return `deleted version ${version} of page ${pageId}`;
}

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

async function crashRun(database: "pglite" | "postgres"): Promise<Figures> {
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
          SYSTEM_APPLICANTS: "2",
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
        ...state.applicants.map((a, i) =>
          guarded(control, ledger, "applicant", () =>
            applicantLoop(control, ledger, applicants[i]!, a.id, state.postingIds),
          ),
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
