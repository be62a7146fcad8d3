// Several app processes behind one PostgreSQL database, as behind a load balancer: a session made
// on one is valid on the others, sign-in throttling counts across them, the outbox and the daily
// reminder job each deliver exactly once, and uploads written by one are served by the others.
//
// Needs the production build (`npm run build`) and PostgreSQL: TEST_POSTGRES_URL (a fresh database
// is created in it and dropped afterwards), else a throwaway cluster (server binaries installed).
//   npx vitest run --project system test/system/multi-process.test.ts
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  createPostgresTarget,
  freePort,
  HttpClient,
  runTsx,
  seedTarget,
  sleep,
  startServer,
  startSmtpSink,
  tempDir,
  totpCode,
  type ReceivedMail,
  type ScriptResult,
  type ServerProcess,
  type SmtpSink,
  type SystemState,
} from "./harness";

const PROCESSES = 3;
const ACCOUNT_LIMIT = 5;
const IP_LIMIT = 8;
const POLL_MS = 100;
const RESETS = 24;
const BURST = 150;
const PLACEMENTS = 4;

type OutboxRow = {
  id: string;
  to: string;
  subject: string;
  template: string;
  status: string;
  attempts: number;
  messageId: string;
};
/** A delivery seen by the SMTP sink of one process (each process has its own sink). */
type Delivery = ReceivedMail & { process: string; outboxId: string };

let database: Awaited<ReturnType<typeof createPostgresTarget>> | undefined;
let sql: pg.Client | undefined;
let state: SystemState;
let servers: ServerProcess[] = [];
const sinks: SmtpSink[] = [];
let reminderCli: ScriptResult[] = [];
let digestRecipients: { owner: string[]; escalation: string[] } = { owner: [], escalation: [] };
let tmp = "";
/** The balancer's public address, which every process has as APP_URL. */
let appUrl = "";
const figures = {
  sessionChecks: 0,
  throttledAttempts: 0,
  resetsRequested: 0,
  bytesUploaded: 0,
  bytesDownloaded: 0,
  reminderWinner: "",
};

const names = ["A", "B", "C", "D", "E"];
const server = (i: number) => servers[i % servers.length]!;
/** A browser talking to process `i` behind the balancer: its forms say they come from appUrl. */
const browserOn = (i: number) => {
  const client = new HttpClient(server(i).baseUrl);
  client.origin = appUrl;
  return client;
};
const label = (s: ServerProcess) => names[servers.indexOf(s)] ?? "?";

async function query<T>(text: string, params: unknown[] = []) {
  return (await sql!.query(text, params)).rows as T[];
}

function outboxRows() {
  return query<OutboxRow>(
    `SELECT "id", "to", "subject", "template", "status"::text AS "status", "attempts", "messageId"
     FROM "OutboxEmail" ORDER BY "createdAt", "id"`,
  );
}

/** Everything the sinks received, each tied to its outbox row by the Message-ID <id@host>. */
async function deliveries(): Promise<Delivery[]> {
  const byMessageId = new Map((await outboxRows()).map((r) => [r.messageId, r.id]));
  return sinks.flatMap((sink, i) =>
    sink.received.map((m) => ({
      ...m,
      process: names[i]!,
      outboxId: byMessageId.get(/^<([^@>]+)@/.exec(m.messageId)?.[1] ?? "") ?? "",
    })),
  );
}

function countBy<T>(items: T[], key: (item: T) => string) {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/**
 * Waits until the rows `pick` selects number at least `count`, are all SENT and have reached the
 * sinks; then a few more poll intervals, so that a late second delivery would show up too.
 */
async function waitForDelivery(what: string, pick: (r: OutboxRow) => boolean, count: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = (await outboxRows()).filter(pick);
    const ids = new Set(rows.map((r) => r.id));
    const received = (await deliveries()).filter((d) => ids.has(d.outboxId));
    if (rows.length >= count && rows.every((r) => r.status === "SENT") && received.length >= count)
      break;
    if (Date.now() > deadline)
      throw new Error(
        `Timed out waiting for ${what}: ${rows.length}/${count} rows, ${rows.filter((r) => r.status === "SENT").length} SENT, ${received.length} received`,
      );
    await sleep(POLL_MS);
  }
  await sleep(POLL_MS * 10);
  return (await outboxRows()).filter(pick);
}

/**
 * Each row was claimed once (one attempt), is SENT, and reached a sink exactly once; each
 * recipient got exactly one of them. Returns how many each process delivered.
 */
async function expectDeliveredOnce(rows: OutboxRow[], recipients: string[]) {
  expect(
    rows.filter((r) => r.status !== "SENT" || r.attempts !== 1),
    "rows not SENT at the first attempt",
  ).toEqual([]);
  const ids = new Set(rows.map((r) => r.id));
  const received = (await deliveries()).filter((d) => ids.has(d.outboxId));
  const perRow = countBy(received, (d) => d.outboxId);
  expect(
    rows.filter((r) => perRow.get(r.id) !== 1).map((r) => `${r.to}: ${perRow.get(r.id) ?? 0}`),
    "rows not delivered exactly once",
  ).toEqual([]);
  const perRecipient = countBy(
    received.flatMap((d) => d.to),
    (to) => to,
  );
  expect(
    recipients.filter((e) => perRecipient.get(e) !== 1),
    "recipients without exactly one email",
  ).toEqual([]);
  expect(received).toHaveLength(recipients.length);
  return countBy(received, (d) => d.process);
}

const describeByProcess = (counts: Map<string, number>) =>
  [...counts]
    .sort()
    .map(([p, n]) => `${p} ${n}`)
    .join(", ");

function dayOffset(days: number) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

beforeAll(async () => {
  tmp = tempDir("exchange-multi-");
  database = await createPostgresTarget("exchange_multi");
  state = await seedTarget(database.target, {
    stateFile: path.join(tmp, "state.json"),
    env: {
      SYSTEM_APPLICANTS: String(RESETS),
      SYSTEM_POSTINGS: "1",
      SYSTEM_PLACEMENTS: String(PLACEMENTS),
      SYSTEM_ITEMS: "3",
      SYSTEM_EDITORS: String(PLACEMENTS),
    },
  });
  sql = new pg.Client({ connectionString: database.target.url });
  await sql.connect();

  // Make today's reminders due: each placement started 12 days ago, so all its items are overdue by
  // more than the 7-day escalation limit. Item 0 is the secondee's, 1 the home side's (their line
  // manager), 2 the host's (a supervisor of its own); the host's HR gets the escalations. The home
  // side has no HR, so its overdue item escalates to nobody.
  const placementIds = state.placements.map((p) => p.id);
  for (const [i, p] of state.placements.entries()) {
    await query(
      `UPDATE "Placement" SET "startDate" = $1::date, "hostSupervisorId" = $2 WHERE "id" = $3`,
      [dayOffset(-12), state.editors[i]!.id, p.id],
    );
  }
  await query(
    `UPDATE "ChecklistItem" SET "ownerSide" =
       (CASE "position" WHEN 0 THEN 'SECONDEE' WHEN 1 THEN 'HOME' ELSE 'HOST' END)::"OwnerSide"
     WHERE "placementId" = ANY($1)`,
    [placementIds],
  );
  const secondees = await query<{ email: string }>(
    `SELECT u."email" FROM "Placement" p JOIN "User" u ON u."id" = p."secondeeId"
     WHERE p."id" = ANY($1) AND p."status" IN ('PLANNED', 'CLEARING', 'ACTIVE')`,
    [placementIds],
  );
  expect(secondees).toHaveLength(PLACEMENTS);
  digestRecipients = {
    owner: [
      ...secondees.map((s) => s.email),
      state.manager.email,
      ...state.editors.slice(0, PLACEMENTS).map((e) => e.email),
    ].sort(),
    escalation: [state.hr.email],
  };
  expect(await query(`SELECT 1 FROM "JobRun"`)).toHaveLength(0);

  // One SMTP sink per process, so that each delivery can be traced to the process that made it.
  for (let i = 0; i < PROCESSES; i++) sinks.push(await startSmtpSink());
  const ports = await Promise.all(sinks.map(() => freePort()));
  // Behind one balancer: one public address for all of them.
  appUrl = `http://127.0.0.1:${ports[0]}`;

  // The processes start together (migrations, outbox workers, reminder schedulers, which check at
  // start-up whether today's digest has gone) while `npm run jobs:reminders` runs twice beside them.
  const started = Promise.allSettled(
    ports.map((port, i) =>
      startServer({
        target: database!.target,
        port,
        logFile: path.join(tmp, `server-${names[i]}.log`),
        env: {
          APP_URL: appUrl,
          SMTP_URL: sinks[i]!.url,
          OUTBOX_POLL_MS: String(POLL_MS),
          SIGNIN_MAX_FAILURES_ACCOUNT: String(ACCOUNT_LIMIT),
          SIGNIN_MAX_FAILURES_IP: String(IP_LIMIT),
          TRUST_PROXY: "true",
        },
      }),
    ),
  );
  const jobs = Promise.all(
    [0, 1].map(() => runTsx("scripts/jobs-reminders.ts", { DATABASE_URL: database!.target.url })),
  );
  const [outcomes, jobResults] = await Promise.all([started, jobs]);
  // Those that did start are stopped in afterAll, whatever happened to the others.
  servers = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
  for (const o of outcomes) if (o.status === "rejected") throw o.reason;
  reminderCli = jobResults;
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  if (servers.length && process.env.SYSTEM_KEEP_LOGS)
    console.log(`multi-process logs kept in ${tmp}`);
  await Promise.all(sinks.map((s) => s.close()));
  await sql?.end();
  await database?.remove();
  if (tmp && !process.env.SYSTEM_KEEP_LOGS) fs.rmSync(tmp, { recursive: true, force: true });
});

test("a session made on one process is valid on the others; signing out on one ends it on all", async () => {
  const person = state.applicants[0]!;
  const anonymous = await browserOn(1).get("/account");
  expect(anonymous.status, "the page must need a session").toBe(302);
  expect(anonymous.location).toMatch(/^\/login/);

  const browser = browserOn(0);
  expect(await browser.signIn(person.email, state.password)).toBe("/");
  const token = browser.cookies.get("session");
  expect(token).toBeTruthy();
  for (const s of [...servers, server(0)]) {
    browser.baseUrl = s.baseUrl;
    const page = await browser.get("/account");
    expect(page.status, `/account on ${label(s)} with a session from A`).toBe(200);
    expect(page.text).toContain(person.email);
    figures.sessionChecks++;
  }

  browser.baseUrl = server(1).baseUrl;
  const out = await browser.post("/logout", {});
  expect(out.status).toBe(302);
  expect(out.location).toBe("/login");
  expect(await query(`SELECT 1 FROM "Session" WHERE "userId" = $1`, [person.id])).toHaveLength(0);
  // The old cookie, replayed on every process after signing out on B.
  const replay = browserOn(0);
  replay.cookies.set("session", token!);
  for (const s of servers) {
    replay.baseUrl = s.baseUrl;
    const page = await replay.get("/account");
    expect(page.status, `/account on ${label(s)} after signing out on B`).toBe(302);
    expect(page.location).toMatch(/^\/login/);
    replay.cookies.set("session", token!);
    figures.sessionChecks++;
  }
});

test("a sign-in with MFA: the password on one process, the code on another, used on a third", async () => {
  const hr = state.hr;
  const browser = browserOn(0);
  const first = await browser.post("/login", { email: hr.email, password: state.password });
  expect(first.status).toBe(302);
  expect(first.location).toMatch(/^\/login\/mfa/);

  // Half signed in: the other processes know the pending session and ask for the code.
  browser.baseUrl = server(2).baseUrl;
  const pending = await browser.get("/account");
  expect(pending.status).toBe(302);
  expect(pending.location).toBe("/login/mfa");
  figures.sessionChecks++;

  browser.baseUrl = server(1).baseUrl;
  const second = await browser.post(first.location, { code: totpCode(hr.mfaKey) });
  expect(second.status, second.text.slice(0, 300)).toBe(302);
  for (const s of servers) {
    browser.baseUrl = s.baseUrl;
    const page = await browser.get("/account");
    expect(page.status, `/account on ${label(s)} after MFA on B`).toBe(200);
    expect(page.text).toContain(hr.email);
    figures.sessionChecks++;
  }
});

test("failed sign-ins on different processes add up to one account-and-address lock, seen by all", async () => {
  const person = state.applicants[1]!;
  const attempt = async (i: number, password: string) => {
    const client = browserOn(i);
    client.defaultHeaders["X-Forwarded-For"] = "203.0.113.10";
    return client.post("/login", { email: person.email, password });
  };
  const statuses: number[] = [];
  for (let i = 0; i < ACCOUNT_LIMIT; i++)
    statuses.push((await attempt(i, `wrong password ${i}`)).status);
  // No single process saw more than two of the failures: only a shared count locks at the fifth.
  expect(statuses).toEqual([...Array(ACCOUNT_LIMIT - 1).fill(400), 429]);
  for (let i = 0; i < PROCESSES; i++) {
    const right = await attempt(i, state.password);
    expect(right.status, `the right password on ${label(server(i))} while locked`).toBe(429);
    expect(right.text).toContain("Too many attempts");
    expect(right.location).toBe("");
    figures.throttledAttempts++;
  }
  const [row] = await query<{ failures: number; locked: boolean }>(
    `SELECT "failures", "lockedUntil" > now() AT TIME ZONE 'UTC' AS "locked" FROM "Throttle" WHERE "key" = $1`,
    [`signin:account:${person.email}|ip:203.0.113.10`],
  );
  expect(row).toEqual({ failures: ACCOUNT_LIMIT, locked: true });
});

test("failed sign-ins from one address on different processes add up to one address lock", async () => {
  const attempt = async (i: number, email: string, password: string, from = "203.0.113.20") => {
    const client = browserOn(i);
    client.defaultHeaders["X-Forwarded-For"] = from;
    return client.post("/login", { email, password });
  };
  const statuses: number[] = [];
  // A different (unknown) account each time, so that only the address's count can lock.
  for (let i = 0; i < IP_LIMIT; i++)
    statuses.push((await attempt(i, `nobody${i}@uk-aisi.example`, "wrong password")).status);
  expect(statuses).toEqual([...Array(IP_LIMIT - 1).fill(400), 429]);
  const person = state.applicants[2]!;
  for (let i = 0; i < PROCESSES; i++) {
    const locked = await attempt(i, person.email, state.password);
    expect(locked.status, `a good sign-in from the locked address on ${label(server(i))}`).toBe(
      429,
    );
    figures.throttledAttempts++;
  }
  // Someone with a second factor behind the same address goes on to the code step: the
  // address's lock keeps out only password-only sign-ins (the code step has the account's own).
  const withCode = await attempt(2, state.hr.email, state.password);
  expect(withCode.status, withCode.text.slice(0, 300)).toBe(302);
  expect(withCode.location).toMatch(/^\/login\/mfa/);
  // The same person from another address is not affected.
  const elsewhere = await attempt(1, person.email, state.password, "203.0.113.30");
  expect(elsewhere.status).toBe(302);
  expect(elsewhere.location).toBe("/");
});

test("a file uploaded through one process downloads, byte for byte, through the others", async () => {
  const editor = state.editors[0]!;
  const filesPath = `/workspaces/${editor.workspaceId}/files`;
  const name = "cross-process.png";
  const png = (size: number) =>
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      crypto.randomBytes(size),
    ]);
  const versions = [png(300_000), png(180_000)];

  const browser = browserOn(0);
  await browser.signIn(editor.email, state.password);
  // Version 1 through A, version 2 through B.
  for (const [i, bytes] of versions.entries()) {
    browser.baseUrl = server(i).baseUrl;
    const upload = await browser.post(filesPath, {
      file: new File([bytes], name, { type: "image/png" }),
    });
    expect(upload.status, upload.text.slice(0, 300)).toBe(302);
    expect(upload.location).toBe(filesPath);
    figures.bytesUploaded += bytes.byteLength;
  }
  const [file] = await query<{ id: string }>(
    `SELECT "id" FROM "WorkspaceFile" WHERE "workspaceId" = $1 AND "name" = $2`,
    [editor.workspaceId, name],
  );
  expect(file).toBeDefined();

  browser.baseUrl = server(2).baseUrl;
  const listing = await browser.get(filesPath);
  expect(listing.status).toBe(200);
  expect(listing.text).toContain(name);

  // Every version from every process.
  for (const s of servers) {
    for (const [i, bytes] of versions.entries()) {
      const response = await fetch(`${s.baseUrl}${filesPath}/${file!.id}/${i + 1}`, {
        headers: browser.headers(),
        redirect: "manual",
      });
      expect(response.status, `version ${i + 1} from ${label(s)}`).toBe(200);
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.equals(bytes), `version ${i + 1} from ${label(s)}: same bytes`).toBe(true);
      expect(response.headers.get("content-type")).toBe("image/png");
      expect(response.headers.get("content-length")).toBe(String(bytes.byteLength));
      expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="/);
      expect(response.headers.get("content-disposition")).toContain("cross-process");
      // Once each: the server sets defaults and the route's own values replace them.
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      figures.bytesDownloaded += body.byteLength;
    }
  }
  // And not to someone signed out.
  const anonymous = await fetch(`${server(1).baseUrl}${filesPath}/${file!.id}/1`, {
    redirect: "manual",
  });
  expect(anonymous.status).toBe(302);
});

test("emails queued on every process while every worker polls are each delivered exactly once", async () => {
  const people = state.applicants.slice(0, RESETS);
  const before = new Set((await outboxRows()).map((r) => r.id));
  // All at once, round-robin over the processes, each from an address of its own (one address
  // may ask for only so many reset emails an hour).
  const answers = await Promise.all(
    people.map((p, i) => {
      const client = browserOn(i);
      client.defaultHeaders["X-Forwarded-For"] = `198.51.100.${i + 1}`;
      return client.post("/forgot-password", { email: p.email });
    }),
  );
  expect(answers.map((a) => a.status)).toEqual(people.map(() => 200));
  figures.resetsRequested = people.length;

  const rows = await waitForDelivery(
    "the password-reset emails",
    (r) => !before.has(r.id),
    people.length,
  );
  expect(rows).toHaveLength(people.length);
  expect(rows.every((r) => r.template === "password-reset")).toBe(true);
  expect(rows.map((r) => r.to).sort()).toEqual(people.map((p) => p.email).sort());
  const byProcess = await expectDeliveredOnce(
    rows,
    people.map((p) => p.email),
  );
  // More than one worker took part, or the test proved nothing about several processes.
  expect(byProcess.size, `deliveries by process: ${describeByProcess(byProcess)}`).toBeGreaterThan(
    1,
  );
  console.log(`outbox: ${rows.length} reset emails, delivered by ${describeByProcess(byProcess)}`);
});

test("a burst of mail that every worker tries to claim at the same moment is delivered exactly once", async () => {
  // The burst falls due in a second; until then and for a while after, another connection holds
  // its rows locked, as a slow claim in progress would. Every worker polls meanwhile: one that
  // waited on the lock instead of skipping the rows would claim them as well once it is released.
  const recipients = Array.from({ length: BURST }, (_, i) => `burst${i}@system-test.example`);
  await query(
    `INSERT INTO "OutboxEmail"
       ("id", "to", "subject", "html", "text", "template", "status", "nextAttemptAt", "messageId")
     SELECT 'burst' || g, to_address, 'Burst ' || g, '<p>Burst ' || g || '</p>', 'Burst ' || g,
       'system-burst', 'QUEUED', now() AT TIME ZONE 'UTC' + interval '1 second', 'burstmessage' || g
     FROM unnest($1::text[]) WITH ORDINALITY AS t(to_address, g)`,
    [recipients],
  );
  const locker = new pg.Client({ connectionString: database!.target.url });
  await locker.connect();
  try {
    await locker.query("BEGIN");
    const locked = await locker.query(
      `SELECT "id" FROM "OutboxEmail" WHERE "template" = 'system-burst' FOR UPDATE`,
    );
    expect(locked.rowCount).toBe(BURST);
    await sleep(1000 + POLL_MS * 15);
    expect(
      (await outboxRows()).filter((r) => r.template === "system-burst" && r.status !== "QUEUED"),
      "no worker may take a row another holds",
    ).toEqual([]);
    await locker.query("COMMIT");
  } finally {
    await locker.end();
  }

  const rows = await waitForDelivery("the burst", (r) => r.template === "system-burst", BURST);
  expect(rows).toHaveLength(BURST);
  const byProcess = await expectDeliveredOnce(rows, recipients);
  expect(byProcess.size, `deliveries by process: ${describeByProcess(byProcess)}`).toBeGreaterThan(
    1,
  );
  console.log(`outbox: a burst of ${BURST} emails, delivered by ${describeByProcess(byProcess)}`);
});

test("the daily checklist digest, raced by every process and two job runs, is sent once", async () => {
  // The job runs: both finished; whoever ran first queued the digest, the other found the day taken.
  for (const r of reminderCli) expect(r.status, r.stderr).toBe(0);
  const outputs = reminderCli.map((r) => r.stdout.trim());
  for (const o of outputs)
    expect(o).toMatch(/digest emails queued\.|had already run; nothing sent\./);
  expect(outputs.filter((o) => o.includes("had already run")).length).toBeGreaterThanOrEqual(1);

  const expected = [...digestRecipients.owner, ...digestRecipients.escalation];
  const runs = await query<{ details: { emails: number } }>(
    `SELECT "details" FROM "JobRun" WHERE "name" = 'checklist-reminders'`,
  );
  expect(runs, "one run of the day for all processes").toHaveLength(1);
  expect(runs[0]!.details.emails).toBe(expected.length);
  const audited = await query(
    `SELECT 1 FROM "AuditEvent" WHERE "action" = 'job.checklist-reminders'`,
  );
  expect(audited, "runs of the job in the audit log").toHaveLength(1);

  const rows = await waitForDelivery(
    "the digests",
    (r) => r.template === "checklist-digest",
    expected.length,
  );
  const owners = rows.filter((r) => !r.subject.startsWith("Escalation"));
  const escalations = rows.filter((r) => r.subject.startsWith("Escalation"));
  expect(owners.map((r) => r.to).sort(), "owner digests").toEqual(digestRecipients.owner);
  expect(
    escalations.map((r) => r.to),
    "escalations",
  ).toEqual(digestRecipients.escalation);
  // Each person is in one list only, so each gets exactly one digest.
  await expectDeliveredOnce(rows, expected);
  figures.reminderWinner = outputs.some((o) => o.includes("queued"))
    ? "a job run"
    : "a server's scheduler";
});

test("over the whole run, every queued email was delivered exactly once and nothing else", async () => {
  const rows = await outboxRows();
  const all = await deliveries();
  expect(
    all.filter((d) => !d.outboxId),
    "mail the sinks got that no outbox row explains",
  ).toEqual([]);
  const perRow = countBy(all, (d) => d.outboxId);
  const duplicates = [...perRow.values()].reduce((sum, n) => sum + n - 1, 0);
  const missing = rows.filter((r) => !perRow.has(r.id)).length;
  expect(duplicates, "second deliveries").toBe(0);
  expect(missing, "rows never delivered").toBe(0);
  expect(
    rows.filter((r) => r.status !== "SENT").map((r) => `${r.template} to ${r.to}: ${r.status}`),
    "rows not SENT",
  ).toEqual([]);
  expect(sinks.flatMap((s) => s.duplicates())).toEqual([]);

  console.log(
    [
      "multi-process summary:",
      `  processes: ${servers.length} servers (+ ${reminderCli.length} reminder job runs) on one PostgreSQL database`,
      `  sessions: ${figures.sessionChecks} cross-process session checks; ${figures.throttledAttempts} sign-ins refused by locks counted across processes`,
      `  emails: ${rows.length} queued (${figures.resetsRequested} resets over HTTP, ${BURST} in a burst, ${digestRecipients.owner.length + digestRecipients.escalation.length} digests), ${all.length} delivered (${describeByProcess(countBy(all, (d) => d.process))}), ${duplicates} duplicates, ${missing} missing`,
      `  reminders: one job run among ${servers.length + reminderCli.length} contenders (won by ${figures.reminderWinner}); ${digestRecipients.owner.length} owner digests + ${digestRecipients.escalation.length} escalation, each delivered once`,
      `  uploads: ${figures.bytesUploaded} bytes uploaded (2 versions), ${figures.bytesDownloaded} bytes downloaded from ${servers.length} processes and compared`,
    ].join("\n"),
  );
});
