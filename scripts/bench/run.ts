import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { progress } from "../lib/progress";
import { freePort, npmStartCommand, spawnNode, waitUntilServing } from "../lib/server-process";
import type { Inventory, PageKey } from "./inspect";
import {
  closedLoop,
  drain,
  fixedRate,
  TIMEOUT_MS,
  type ClosedLoopResult,
  type FixedRateResult,
  type Target,
} from "./load";
import { searchPaths } from "./queries";

// `npm run bench`: every main page of the portal under load, at scale, against three ceilings.
// See docs/performance.md for what is measured and why; this file only orchestrates:
// build → seed or reuse the scale data → inspect it and open sessions → start the production
// server (timing its cold start) → check every URL → closed loop and fixed rate per page →
// print → write the results section.

const root = path.resolve(import.meta.dirname, "../..");
process.chdir(root);

const { values: opts } = parseArgs({
  options: {
    "data-dir": { type: "string", default: "./data/bench" },
    scale: { type: "string", default: "1" },
    connections: { type: "string", default: "32" },
    rate: { type: "string", default: "50" },
    seconds: { type: "string", default: "10" },
    "warmup-seconds": { type: "string", default: "3" },
    only: { type: "string" },
    postgres: { type: "boolean", default: false },
    "no-doc": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (opts.help) {
  console.log(`npm run bench [-- options]
  --data-dir DIR      embedded (PGlite) data directory (default ./data/bench)
  --scale F           size of the generated data set, 1 = the full set (default 1); a smaller
                      set is for trying the script out, and its figures are not the targets'
  --connections N     closed-loop connections (default 32)
  --rate N            fixed-rate requests per second (default 50)
  --seconds N         length of each measured run (default 10)
  --warmup-seconds N  closed-loop warm-up per page, not measured (default 3)
  --only a,b          measure only these pages (with the baselines), and do not write the doc;
                      keys: ${PAGE_KEYS().join(", ")}
  --postgres          run against a throwaway PostgreSQL cluster (needs the server binaries, as
                      the integration tests do); seeded each time, removed afterwards
  --no-doc            do not rewrite the results in docs/performance.md
BENCH_DATABASE_URL=postgresql://... runs against that PostgreSQL instead of the embedded database.`);
  process.exit(0);
}

const SCALE = Number(opts.scale);
const CONNECTIONS = Number(opts.connections);
const RATE = Number(opts.rate);
const SECONDS = Number(opts.seconds);
const WARMUP_SECONDS = Number(opts["warmup-seconds"]);
const MAX_FAILURE_SHARE = 0.01;
/** The issue's targets, on the 2-core reference machine. */
const TARGETS = {
  shareOfLookup: 0.33,
  directoryShareOfLookup: 0.5,
  p95Ms: 100,
  directoryP95Ms: 50,
  rssMb: 300,
  coldStartMs: 2000,
};
/** The full data set (scale 1); the bench seeds when the database holds less. */
const FULL_SET = { applications: 30_000, auditEvents: 200_000, pageVersions: 20_000 };
const DOC = "docs/performance.md";
/**
 * The environment and node flags `npm start` runs the server with (package.json): measured as
 * deployed. A smaller young generation and an old-space cap make V8 collect sooner under 32
 * concurrent requests instead of growing the heap (docs/decisions/012-memory-settings.md); one
 * malloc arena keeps native memory from spreading over one arena per thread (decision 011).
 */
const NPM_START = npmStartCommand(path.join(root, "package.json"));
const SERVER_NODE_FLAGS = NPM_START.nodeArgs;
const BENCH_SERVER = "build-bench/server.js";

let postgresUrl = process.env.BENCH_DATABASE_URL || undefined;
// Embedded and PostgreSQL results have a section each, so neither run overwrites the other.
const marker = (edge: "start" | "end") =>
  `<!-- bench:results${postgresUrl ? ":postgres" : ""}:${edge} -->`;
const dataDir = path.resolve(opts["data-dir"]);
const tsx = path.join(root, "node_modules/.bin/tsx");

type PageSpec = { key: PageKey | "directory"; name: string; expect: string };
/** The pages measured, in order, with text each answer must contain. */
const PAGES: PageSpec[] = [
  { key: "directory", name: "Directory search", expect: "Directory of expertise" },
  { key: "postings", name: "Postings list, filtered", expect: "Secondment postings" },
  { key: "pipeline", name: "Posting pipeline (HR)", expect: "Pipeline:" },
  { key: "application", name: "Application page (HR)", expect: "Application:" },
  { key: "placement", name: "Placement with checklist", expect: "Placement:" },
  { key: "workspace", name: "Workspace home", expect: "Workspace" },
  { key: "page", name: "Page with 50+ versions", expect: "History" },
  { key: "history", name: "Its history (diff)", expect: "History:" },
  { key: "dashboard", name: "HR dashboard", expect: "HR dashboard" },
  { key: "notifications", name: "Notifications", expect: "Notifications" },
];
function PAGE_KEYS() {
  return PAGES.map((p) => p.key);
}
const only = opts.only ? new Set(opts.only.split(",").map((s) => s.trim())) : null;

/** The database the seed, the inspection and the server all use, and nothing else. */
function databaseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  return postgresUrl ? { ...env, DATABASE_URL: postgresUrl } : { ...env, DATA_DIR: dataDir };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

function step(message: string) {
  console.log(`\n▸ ${message}`);
}

/** The production build plus the two baseline pages (app/routes.ts), in build-bench/. */
async function benchBuild() {
  step("Building the production server with the baseline pages (BENCH_BUILD=1 npm run build)");
  await run("npm", ["run", "build"], { ...process.env, BENCH_BUILD: "1" });
}

async function inspect(sessions = false): Promise<Inventory> {
  const out = path.join(os.tmpdir(), `exchange-bench-inventory-${process.pid}.json`);
  await run(
    tsx,
    ["scripts/bench/inspect.ts", out, ...(sessions ? ["--sessions"] : [])],
    // As the server runs, so that the cookie has the name the server reads (__Host-session).
    { ...databaseEnv(), NODE_ENV: "production" },
  );
  const inventory = JSON.parse(fs.readFileSync(out, "utf8")) as Inventory;
  fs.rmSync(out, { force: true });
  return inventory;
}

const atScale = (inv: Inventory) =>
  inv.counts.applications >= FULL_SET.applications * SCALE &&
  inv.counts.auditEvents >= FULL_SET.auditEvents * SCALE &&
  inv.counts.pageVersions >= FULL_SET.pageVersions * SCALE;

async function ensureData(): Promise<Inventory> {
  step(`Checking ${postgresUrl ? "the PostgreSQL database" : dataDir}`);
  let inventory = await inspect();
  if (atScale(inventory)) {
    console.log(`  reusing it: ${describeCounts(inventory)}`);
  } else {
    step(`Generating the scale data set (scale ${SCALE}; a few minutes, once)`);
    await run(tsx, ["scripts/seed-scale.ts", "--scale", String(SCALE)], databaseEnv());
    inventory = await inspect();
    if (!atScale(inventory)) {
      throw new Error(`The generator left less than the data set: ${describeCounts(inventory)}`);
    }
  }
  // Today's checklist reminders, which the first server of the day would otherwise start running
  // in the middle of a measurement (once a day, whichever process comes first).
  step("Running today's checklist reminders first (once a day; skipped if done)");
  await run(tsx, ["scripts/jobs-reminders.ts"], databaseEnv());
  // Sessions last: a fresh one per user for this run.
  return inspect(true);
}

function describeCounts(inv: Inventory) {
  const c = inv.counts;
  return [
    `${fmt(c.institutes)} institutes`,
    `${fmt(c.users)} users`,
    `${fmt(c.profiles)} profiles`,
    `${fmt(c.postings)} postings`,
    `${fmt(c.applications)} applications`,
    `${fmt(c.reviews)} reviews`,
    `${fmt(c.placements)} placements`,
    `${fmt(c.checklistItems)} checklist items`,
    `${fmt(c.workspaces)} workspaces`,
    `${fmt(c.pageVersions)} page versions`,
    `${fmt(c.tasks)} tasks`,
    `${fmt(c.auditEvents)} audit events`,
    `${fmt(c.notifications)} notifications`,
  ].join(", ");
}

type Server = {
  base: string;
  process: ChildProcess;
  log: string;
  /** From spawning the process to the first page served (GET /login answered 200). */
  coldStartMs: number;
  stop(): Promise<void>;
};

async function startServer(extraEnv: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = postgresUrl
    ? path.join(os.tmpdir(), `exchange-bench-server-${port}.log`)
    : path.join(dataDir, "server.log");
  step(`Starting the production server on ${base} (log: ${path.relative(root, log)})`);
  const started = performance.now();
  const server = spawnNode(
    [...SERVER_NODE_FLAGS, BENCH_SERVER],
    {
      ...databaseEnv(),
      ...NPM_START.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_URL: base,
      // Each answer's Server-Timing header gives its SQL statements (see verify()).
      SERVER_TIMING: "1",
      ...extraEnv,
    },
    log,
  );
  await waitUntilServing(server, `${base}/login`, log);
  const coldStartMs = performance.now() - started;
  console.log(`  first page served ${fmt(coldStartMs)} ms after the process was started`);
  return { base, process: server.child, log, coldStartMs, stop: server.stop };
}

async function startRawServer(page: string): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const file = path.join(os.tmpdir(), `exchange-bench-page-${process.pid}.html`);
  fs.writeFileSync(file, page);
  const log = path.join(os.tmpdir(), `exchange-bench-raw-${port}.log`);
  const started = performance.now();
  const server = spawnNode(["scripts/bench/raw-server.mjs", String(port), file], process.env, log);
  await waitUntilServing(server, `${base}/`, log);
  return {
    base,
    process: server.child,
    log,
    coldStartMs: performance.now() - started,
    stop: server.stop,
  };
}

/**
 * Fetches every path once, one at a time: proves each answers 200 with the right page, warms
 * caches, and gives the unloaded latency.
 */
async function verify(target: Target, expect: string) {
  let bytes = 0;
  const times: number[] = [];
  const statements: number[] = [];
  for (const p of target.paths) {
    const started = performance.now();
    const res = await fetch(target.base + p, { headers: target.headers, redirect: "manual" });
    const body = await res.text();
    times.push(performance.now() - started);
    if (res.status !== 200 || !body.includes(expect)) {
      throw new Error(`${target.name}: GET ${p} answered ${res.status} without "${expect}".`);
    }
    bytes += Buffer.byteLength(body);
    // The server's own count of the SQL statements this request sent (app/lib/request-scope.server.ts).
    const counted = /desc="(\d+) statements?"/.exec(res.headers.get("server-timing") ?? "")?.[1];
    if (counted !== undefined) statements.push(Number(counted));
  }
  times.sort((a, b) => a - b);
  return {
    statements: statements.length
      ? { min: Math.min(...statements), max: Math.max(...statements) }
      : null,
    pageKb: Math.round(bytes / target.paths.length / 1024),
    aloneMedianMs: times[Math.floor(times.length / 2)]!,
    aloneMaxMs: times[times.length - 1]!,
  };
}

type Kind = "ceiling" | "page" | "info";

type Measured = {
  target: Target;
  kind: Kind;
  description: string;
  /** Who the requests are sent as. */
  as: string;
  pageKb: number;
  /** SQL statements per request over the URLs, as the server counted them (none: raw Node). */
  statements: { min: number; max: number } | null;
  aloneMedianMs: number;
  aloneMaxMs: number;
  closed: ClosedLoopResult;
  /** Null when the closed loop showed the route cannot serve the fixed rate at all. */
  fixed: FixedRateResult | null;
  /** The targets this row is held to (pages only). */
  goal?: { share: number; p95Ms: number };
};

const NOT_RUN = "not run (capacity below the rate)";

const ms = (n: number) =>
  Number.isFinite(n) ? `${fmt(n, 1)} ms` : `> ${TIMEOUT_MS / 1000} s (timed out)`;

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "–";

const verdict = (ok: boolean) => (ok ? "met" : "**missed**");

function rowVerdict(r: Measured, lookupRps: number) {
  if (!r.goal) return "–";
  const share = r.closed.rps / lookupRps;
  const p95 = r.fixed?.latency.p95 ?? Infinity;
  return share >= r.goal.share && p95 <= r.goal.p95Ms ? "met" : "**missed**";
}

function table(rows: Measured[]) {
  const lookup = rows.find((r) => r.target.name === "One PK lookup")!;
  const head = [
    "Route",
    `req/s (${CONNECTIONS} conn.)`,
    "÷ one-lookup",
    `p50 @ ${RATE}/s`,
    `p95 @ ${RATE}/s`,
    `p99 @ ${RATE}/s`,
    "Alone (median)",
    "Page",
    "SQL per request",
    "Targets (share, p95)",
    "",
  ];
  const body = rows.map((r) => [
    r.target.name,
    fmt(r.closed.rps, 1),
    `${fmt((r.closed.rps / lookup.closed.rps) * 100, 1)}%`,
    r.fixed ? ms(r.fixed.latency.p50) : NOT_RUN,
    r.fixed ? ms(r.fixed.latency.p95) : NOT_RUN,
    r.fixed ? ms(r.fixed.latency.p99) : NOT_RUN,
    ms(r.aloneMedianMs),
    `${r.pageKb} KB`,
    !r.statements
      ? "–"
      : r.statements.min === r.statements.max
        ? String(r.statements.min)
        : `${r.statements.min}–${r.statements.max}`,
    r.goal ? `≥ ${r.goal.share * 100}%, ≤ ${r.goal.p95Ms} ms` : "–",
    rowVerdict(r, lookup.closed.rps),
  ]);
  return [head, head.map(() => "---"), ...body]
    .map((cells) => `| ${cells.join(" | ")} |`)
    .join("\n");
}

function closedDetail(rows: Measured[]) {
  const head = ["Route", "Requests", "Seconds", "p50", "p97.5", "p99", "Status codes", "Peak RSS"];
  const body = rows.map((r) => [
    r.target.name,
    String(r.closed.requests),
    fmt(r.closed.seconds, 1),
    `${r.closed.latency.p50} ms`,
    `${r.closed.latency.p97_5} ms`,
    `${r.closed.latency.p99} ms`,
    JSON.stringify(r.closed.statusCodes),
    `${r.closed.rssPeakMb} MB`,
  ]);
  return [head, head.map(() => "---"), ...body]
    .map((cells) => `| ${cells.join(" | ")} |`)
    .join("\n");
}

function fixedDetail(rows: Measured[]) {
  const head = [
    "Route",
    "Sent",
    "Send rate",
    "Max in flight",
    "Slowest answer",
    "Status codes",
    "Alone (slowest URL)",
  ];
  const body = rows.map((r) => [
    r.target.name,
    ...(r.fixed
      ? [
          String(r.fixed.sent),
          `${fmt(r.fixed.achievedRate, 1)}/s`,
          String(r.fixed.maxInFlight),
          ms(r.fixed.latency.max),
          JSON.stringify(r.fixed.statusCodes),
        ]
      : [NOT_RUN, "–", "–", "–", "–"]),
    ms(r.aloneMaxMs),
  ]);
  return [head, head.map(() => "---"), ...body]
    .map((cells) => `| ${cells.join(" | ")} |`)
    .join("\n");
}

/** Lets abandoned requests finish before the next run starts (see drain()). */
async function settle(base: string) {
  const took = await drain(base);
  if (took > 1000)
    console.log(`  (waited ${fmt(took / 1000, 1)} s for the server to finish abandoned requests)`);
}

/** Runs `work` under a progress bar that fills with the seconds it is expected to take. */
async function timed<T>(label: string, seconds: number, work: () => Promise<T>): Promise<T> {
  const bar = progress({ label: `  ${label}`, total: Math.round(seconds * 10), unit: "× 0.1 s" });
  const started = performance.now();
  const timer = setInterval(
    () =>
      bar.set(Math.min(Math.round(seconds * 10), Math.floor((performance.now() - started) / 100))),
    200,
  );
  try {
    return await work();
  } finally {
    clearInterval(timer);
    bar.done();
  }
}

async function main() {
  if (opts.postgres && !postgresUrl) {
    const { startPostgres } = (await import("../pg-test-server.mjs")) as {
      startPostgres(): Promise<{ url: string; stop(): Promise<void> }>;
    };
    step("Starting a throwaway PostgreSQL cluster");
    const cluster = await startPostgres();
    postgresUrl = cluster.url;
    try {
      return await measure();
    } finally {
      await cluster.stop();
    }
  }
  return measure();
}

async function measureTarget(
  server: Server,
  spec: { target: Target; kind: Kind; description: string; as: string; expect: string },
  index: number,
  count: number,
  goal?: Measured["goal"],
): Promise<Measured> {
  const { target, expect } = spec;
  step(`[${index}/${count}] ${target.name}: ${target.paths.length} URLs`);
  const alone = await verify(target, expect);
  const serverPid = server.process.pid;
  await timed(`warm-up, ${CONNECTIONS} connections`, WARMUP_SECONDS, () =>
    closedLoop(target, { connections: CONNECTIONS, seconds: WARMUP_SECONDS }),
  );
  await settle(server.base);
  const closed = await timed(`closed loop, ${CONNECTIONS} connections`, SECONDS, () =>
    closedLoop(target, { connections: CONNECTIONS, seconds: SECONDS, serverPid }),
  );
  console.log(
    `    ${fmt(closed.rps, 1)} req/s, ${closed.failures} failures, ${closed.timeouts} timeouts`,
  );
  await settle(server.base);
  if (closed.rps < RATE) {
    // Offered more than it can serve, the queue only grows; the run would measure its own length.
    console.log(`  fixed rate: skipped (capacity ${fmt(closed.rps, 1)} < ${RATE} req/s)`);
    return { ...spec, ...alone, closed, fixed: null, goal };
  }
  const fixed = await timed(`fixed rate, ${RATE} req/s`, SECONDS, () =>
    fixedRate(target, { rate: RATE, seconds: SECONDS, serverPid }),
  );
  console.log(
    `    p50 ${ms(fixed.latency.p50)}, p95 ${ms(fixed.latency.p95)}, p99 ${ms(fixed.latency.p99)}, ${fixed.failures} failures, ${fixed.timeouts} timeouts`,
  );
  await settle(server.base);
  return { ...spec, ...alone, closed, fixed, goal };
}

async function measure() {
  const loadBefore = os.loadavg();
  const startedAt = new Date();
  await benchBuild();
  const inventory = await ensureData();
  let server = await startServer();
  const coldStarts = [server.coldStartMs];
  let raw: Server | undefined;
  const cleanUp = () => {
    void server.stop();
    void raw?.stop();
  };
  process.once("SIGINT", cleanUp);
  process.once("SIGTERM", cleanUp);
  try {
    const html = { Accept: "text/html" };
    const cookie = (persona: string) => {
      const p = inventory.personas[persona];
      if (!p) throw new Error(`No user to act as "${persona}" in this database.`);
      return { ...html, Cookie: p.cookie };
    };
    // The raw server answers with the bytes of the static baseline page, nonce and all.
    const staticPage = await (
      await fetch(`${server.base}/bench/static?seed=0`, { headers: html })
    ).text();
    raw = await startRawServer(staticPage);

    type Spec = Parameters<typeof measureTarget>[1] & { goal?: Measured["goal"] };
    const specs: Spec[] = [
      {
        kind: "ceiling",
        target: {
          name: "Raw Node http",
          base: raw.base,
          paths: ["/"],
          headers: html,
        },
        description:
          "a bare node:http server in its own process answering every request with the static page's bytes: no framework, no routing, no database",
        as: "no cookie",
        expect: "Benchmark baseline",
      },
      {
        kind: "ceiling",
        target: {
          name: "Static page",
          base: server.base,
          paths: Array.from({ length: 40 }, (_, i) => `/bench/static?seed=${i}`),
          headers: html,
        },
        description:
          "/bench/static: results-page markup in the normal layout, through the whole app (Express, security headers, Remix, React), no database",
        as: "no cookie",
        expect: "Benchmark baseline",
      },
      {
        kind: "ceiling",
        target: {
          name: "One PK lookup",
          base: server.base,
          paths: inventory.institutes.map((i) => `/bench/lookup?id=${i.id}`),
          headers: html,
        },
        description: "/bench/lookup: the same page plus one Institute.findUnique by id",
        as: "no cookie",
        expect: "Benchmark lookup",
      },
    ];
    const search = searchPaths(inventory);
    for (const page of PAGES) {
      if (only && !only.has(page.key)) continue;
      const isDirectory = page.key === "directory";
      const set = isDirectory
        ? {
            persona: "staff",
            paths: search.map((s) => s.path),
            note: `${search.length} distinct queries and facets; result cache on, as by default (the check pass fills it)`,
          }
        : inventory.pages[page.key as PageKey];
      if (!set || set.paths.length === 0) {
        throw new Error(`The data set has nothing for "${page.name}" (${page.key}).`);
      }
      const persona = inventory.personas[set.persona]!;
      specs.push({
        kind: "page",
        target: {
          name: page.name,
          base: server.base,
          paths: set.paths,
          headers: cookie(set.persona),
        },
        description: `${set.paths[0]!.replace(/[?].*$/, "").replace(/c[a-z0-9]{24}/g, ":id")}: ${set.note}`,
        as: `${persona.email} (${persona.role})`,
        expect: page.expect,
        goal: isDirectory
          ? { share: TARGETS.directoryShareOfLookup, p95Ms: TARGETS.directoryP95Ms }
          : { share: TARGETS.shareOfLookup, p95Ms: TARGETS.p95Ms },
      });
    }

    // One pass over every URL of every route first, so that no route pays for cold code paths
    // (the first one measured would otherwise); the second pass, per route, is the one reported.
    step("Checking every URL once");
    for (const spec of specs) await verify(spec.target, spec.expect);

    const measured: Measured[] = [];
    const total = specs.length + (only ? 0 : 6);
    for (const [i, spec] of specs.entries()) {
      measured.push(await measureTarget(server, spec, i + 1, total, spec.goal));
    }
    await raw.stop();
    const rssPeakMb = Math.max(
      ...measured
        .filter((m) => m.kind !== "ceiling" || m.target.base === server.base)
        .map((m) => Math.max(m.closed.rssPeakMb, m.fixed?.rssPeakMb ?? 0)),
    );

    // The cached pages again on a second server with their caches turned off, so the cost of
    // computing them (every cache miss) is on record next to the figures the caches give.
    if (!only) {
      await server.stop();
      server = await startServer({
        DIRECTORY_CACHE_ENTRIES: "0",
        POSTINGS_CACHE_ENTRIES: "0",
        DASHBOARD_CACHE_ENTRIES: "0",
        WORKSPACE_CACHE_ENTRIES: "0",
      });
      coldStarts.push(server.coldStartMs);
      const dashboard = inventory.pages.dashboard!;
      const postings = inventory.pages.postings!;
      const uncached: { target: Target; description: string; as: string; expect: string }[] = [
        {
          target: {
            name: "Directory search, cache off",
            base: server.base,
            paths: search.map((s) => s.path),
            headers: cookie("staff"),
          },
          description:
            "the same URLs with DIRECTORY_CACHE_ENTRIES=0 (a fresh server): every request computes its search",
          as: inventory.personas.staff!.email,
          expect: "Directory of expertise",
        },
        {
          target: {
            name: "Postings list, cache off",
            base: server.base,
            paths: postings.paths,
            headers: cookie(postings.persona),
          },
          description:
            "the same URLs with POSTINGS_CACHE_ENTRIES=0 (the same fresh server): every request computes its page",
          as: inventory.personas[postings.persona]!.email,
          expect: "Secondment postings",
        },
        {
          target: {
            name: "HR dashboard, cache off",
            base: server.base,
            paths: dashboard.paths,
            headers: cookie(dashboard.persona),
          },
          description:
            "the same URLs with DASHBOARD_CACHE_ENTRIES=0 (the same fresh server): every request computes the figures",
          as: inventory.personas[dashboard.persona]!.email,
          expect: "HR dashboard",
        },
        ...(["workspace", "page", "history"] as const).map((key) => {
          const spec = PAGES.find((p) => p.key === key)!;
          const pages = inventory.pages[key]!;
          return {
            target: {
              name: `${spec.name}, cache off`,
              base: server.base,
              paths: pages.paths,
              headers: cookie(pages.persona),
            },
            description:
              "the same URLs with WORKSPACE_CACHE_ENTRIES=0 (the same fresh server): every request reads the workspace's content",
            as: inventory.personas[pages.persona]!.email,
            expect: spec.expect,
          };
        }),
      ];
      for (const [i, row] of uncached.entries()) {
        measured.push(
          await measureTarget(
            server,
            { kind: "info", ...row },
            total - uncached.length + i + 1,
            total,
          ),
        );
      }
    }

    const lookup = measured.find((m) => m.target.name === "One PK lookup")!;
    const staticRow = measured.find((m) => m.target.name === "Static page")!;
    const rawRow = measured.find((m) => m.target.name === "Raw Node http")!;
    const pages = measured.filter((m) => m.kind === "page");
    const missed = pages.filter((m) => rowVerdict(m, lookup.closed.rps) !== "met");
    const coldStartMs = Math.max(...coldStarts);
    const summary = [
      `- Pages meeting both targets (throughput ≥ ${TARGETS.shareOfLookup * 100}% of one-lookup, directory ≥ ${TARGETS.directoryShareOfLookup * 100}%; p95 ≤ ${TARGETS.p95Ms} ms at ${RATE} req/s, directory ≤ ${TARGETS.directoryP95Ms} ms): **${pages.length - missed.length} of ${pages.length}**${missed.length ? ` (missed: ${missed.map((m) => m.target.name).join(", ")})` : ""}`,
      `- Server memory under load (peak RSS of the app process over every run): **${rssPeakMb} MB** (target < ${TARGETS.rssMb} MB): ${verdict(rssPeakMb < TARGETS.rssMb)}`,
      `- Cold start on the existing database, process start to first page served: **${coldStarts.map((c) => `${fmt(c)} ms`).join(", ")}** (target < ${fmt(TARGETS.coldStartMs)} ms): ${verdict(coldStartMs < TARGETS.coldStartMs)}`,
      `- Ceilings: raw Node ${fmt(rawRow.closed.rps)} req/s; the app's static page ${fmt(staticRow.closed.rps)} req/s (${fmt((staticRow.closed.rps / rawRow.closed.rps) * 100, 1)}% of raw Node); one lookup ${fmt(lookup.closed.rps)} req/s (${fmt((lookup.closed.rps / staticRow.closed.rps) * 100, 1)}% of the static page).`,
      ...measured
        .filter((m) => !m.fixed)
        .map(
          (m) =>
            `- ${m.target.name}: its closed-loop capacity (${fmt(m.closed.rps, 1)} req/s) is below the offered ${RATE} req/s, so at that rate the queue would only grow; the fixed-rate run is skipped.`,
        ),
    ].join("\n");

    const requests = measured.reduce((n, m) => n + m.closed.requests + (m.fixed?.sent ?? 0), 0);
    const failures = measured.reduce((n, m) => n + m.closed.failures + (m.fixed?.failures ?? 0), 0);
    const failed = failures / Math.max(1, requests) > MAX_FAILURE_SHARE;

    const cpus = os.cpus();
    const pglite = JSON.parse(
      fs.readFileSync("node_modules/@electric-sql/pglite/package.json", "utf8"),
    ) as { version: string };
    const args = process.argv.slice(2);
    const section = [
      marker("start"),
      "",
      `Measured ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC with \`npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}\`${process.env.BENCH_DATABASE_URL ? " and `BENCH_DATABASE_URL` set (PostgreSQL)" : ""}.`,
      "",
      `- Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()}; the load generator runs on the same machine`,
      `- Node ${process.version}, server started as \`npm start\` starts it (\`${Object.entries(
        NPM_START.env,
      )
        .map(([k, v]) => `${k}=${v} `)
        .join(
          "",
        )}node ${SERVER_NODE_FLAGS.join(" ")} ${BENCH_SERVER}\`); database: ${postgresUrl ? "PostgreSQL (a local server on the same machine)" : `embedded PGlite ${pglite.version}, inside the server process`}`,
      `- Data: ${describeCounts(inventory)}`,
      `- Load average before / after the run (other work on the machine skews the figures): ${loadBefore.map((l) => l.toFixed(2)).join(", ")} / ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(", ")}`,
      `- Each route: ${WARMUP_SECONDS} s warm-up, ${SECONDS} s closed loop at ${CONNECTIONS} connections, ${SECONDS} s at a fixed ${RATE} req/s`,
      "",
      table(measured),
      "",
      summary,
      "",
      "<details><summary>Details</summary>",
      "",
      "Closed loop (autocannon; its latency percentiles, under saturation):",
      "",
      closedDetail(measured),
      "",
      `Fixed rate (open-loop pacer; latency from each request's scheduled send time to the last byte):`,
      "",
      fixedDetail(measured),
      "",
      "Routes, the records they show and who asks:",
      "",
      ...measured.map((m) => `- ${m.target.name}, as ${m.as}: ${m.description}`),
      "",
      "Search URLs:",
      "",
      ...search.map((s) => `- \`${s.path}\``),
      "",
      "</details>",
      "",
      marker("end"),
    ].join("\n");

    console.log(`\n${table(measured)}\n\n${summary}\n`);
    const timeouts = measured.reduce((n, m) => n + m.closed.timeouts + (m.fixed?.timeouts ?? 0), 0);
    console.log(
      `${requests} requests, ${failures} failures (non-2xx or connection errors), ${timeouts} not answered within ${TIMEOUT_MS / 1000} s.`,
    );

    if (failed) {
      console.error(
        `More than ${MAX_FAILURE_SHARE * 100}% of requests failed: the figures are not valid and ${DOC} was left alone. Server log: ${server.log}`,
      );
      process.exitCode = 1;
    } else if (!opts["no-doc"] && !only && SCALE === 1) {
      await writeDoc(section);
      console.log(`Results written to ${DOC}.`);
    } else if (!opts["no-doc"]) {
      console.log(`${DOC} left alone: only the full data set and every page are written there.`);
    }
  } finally {
    await server.stop();
    await raw?.stop();
  }
}

/** Replaces the generated section of the doc, keeping the hand-written text around it. */
async function writeDoc(section: string) {
  const existing = fs.existsSync(DOC) ? fs.readFileSync(DOC, "utf8") : "";
  const start = existing.indexOf(marker("start"));
  const end = existing.indexOf(marker("end"));
  const next =
    start >= 0 && end > start
      ? existing.slice(0, start) + section + existing.slice(end + marker("end").length)
      : `${existing || "# Performance\n"}\n## Latest results\n\n${section}\n`;
  // Formatted as `npm run lint` expects (it checks docs too).
  const prettier = await import("prettier");
  const options = (await prettier.resolveConfig(DOC)) ?? {};
  fs.writeFileSync(DOC, await prettier.format(next, { ...options, filepath: DOC }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
