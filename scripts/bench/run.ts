import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Inventory } from "./inspect";
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

// `npm run bench`: directory search under load against two baselines of the same app.
// See docs/performance.md for what is measured and why; this file only orchestrates:
// build → seed or reuse the data → inspect it → start the production server → sign in →
// warm up → closed loop and fixed rate per target → print → write the results section.

const root = path.resolve(import.meta.dirname, "../..");
process.chdir(root);

const { values: opts } = parseArgs({
  options: {
    profiles: { type: "string", default: "20000" },
    "data-dir": { type: "string", default: "./data/bench" },
    connections: { type: "string", default: "32" },
    rate: { type: "string", default: "50" },
    seconds: { type: "string", default: "10" },
    "warmup-seconds": { type: "string", default: "3" },
    build: { type: "boolean", default: false },
    postgres: { type: "boolean", default: false },
    "no-doc": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (opts.help) {
  console.log(`npm run bench [-- options]
  --profiles N        profiles the database must hold; seeded if fewer (default 20000)
  --data-dir DIR      embedded (PGlite) data directory (default ./data/bench)
  --connections N     closed-loop connections (default 32)
  --rate N            fixed-rate requests per second (default 50)
  --seconds N         length of each measured run (default 10)
  --warmup-seconds N  closed-loop warm-up per target, not measured (default 3)
  --build             rebuild even if build/ is present
  --postgres          run against a throwaway PostgreSQL cluster (needs the server binaries, as
                      the integration tests do); seeded each time, removed afterwards
  --no-doc            do not rewrite the results in docs/performance.md
BENCH_DATABASE_URL=postgresql://... runs against that PostgreSQL instead of the embedded database.`);
  process.exit(0);
}

const PROFILES = Number(opts.profiles);
const CONNECTIONS = Number(opts.connections);
const RATE = Number(opts.rate);
const SECONDS = Number(opts.seconds);
const WARMUP_SECONDS = Number(opts["warmup-seconds"]);
const SIGN_IN = { email: "sam.okafor@us-aisi.example", role: "STAFF, no MFA" };
const MAX_FAILURE_SHARE = 0.01;
const TARGETS = { throughputShareOfLookup: 0.5, p95Ms: 50 };
const DOC = "docs/performance.md";
// Embedded and PostgreSQL results have a section each, so neither run overwrites the other.
const marker = (edge: "start" | "end") =>
  `<!-- bench:results${postgresUrl ? ":postgres" : ""}:${edge} -->`;

let postgresUrl = process.env.BENCH_DATABASE_URL || undefined;
const dataDir = path.resolve(opts["data-dir"]);
const tsx = path.join(root, "node_modules/.bin/tsx");

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

async function ensureBuild() {
  const serverBundle = "build/server/index.js";
  const built =
    fs.existsSync("build/server.js") &&
    fs.existsSync(serverBundle) &&
    // A build from before the baseline routes existed would answer them 404.
    fs.readFileSync(serverBundle, "utf8").includes("routes/bench.lookup");
  if (built && !opts.build) return;
  step("Building the production server (npm run build)");
  await run("npm", ["run", "build"]);
}

async function inspect(): Promise<Inventory> {
  const out = path.join(os.tmpdir(), `exchange-bench-inventory-${process.pid}.json`);
  await run(tsx, ["scripts/bench/inspect.ts", out], databaseEnv());
  const inventory = JSON.parse(fs.readFileSync(out, "utf8")) as Inventory;
  fs.rmSync(out, { force: true });
  return inventory;
}

async function ensureData(): Promise<Inventory> {
  step(`Checking ${postgresUrl ? "the PostgreSQL database" : dataDir}`);
  let inventory = await inspect();
  if (inventory.profiles >= PROFILES) {
    console.log(`  reusing it: ${inventory.profiles} profiles`);
    return inventory;
  }
  // The scale seed runs the demo seed first, then tops the directory up to N generated people.
  const seedScale = "scripts/seed-scale.ts";
  if (!fs.existsSync(seedScale)) {
    throw new Error(`${seedScale} is missing: cannot seed ${PROFILES} profiles.`);
  }
  step(`Seeding demo data and ${PROFILES} profiles (a few minutes, once)`);
  await run(tsx, [seedScale, "--profiles", String(PROFILES)], databaseEnv());
  inventory = await inspect();
  if (inventory.profiles < PROFILES) {
    throw new Error(`Seeding left ${inventory.profiles} profiles, fewer than ${PROFILES}.`);
  }
  return inventory;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => (port === 3210 ? freePort().then(resolve, reject) : resolve(port)));
    });
  });
}

type Server = { base: string; process: ChildProcess; log: string; stop(): Promise<void> };

async function startServer(extraEnv: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = postgresUrl
    ? path.join(os.tmpdir(), `exchange-bench-server-${port}.log`)
    : path.join(dataDir, "server.log");
  const logStream = fs.createWriteStream(log);
  step(`Starting the production server on ${base} (log: ${path.relative(root, log)})`);
  const child = spawn(process.execPath, ["build/server.js"], {
    env: {
      ...databaseEnv(),
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_URL: base,
      BENCH_ROUTES: "1",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(logStream);
  child.stderr!.pipe(logStream);
  let exited: string | null = null;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", (code, signal) => {
      exited = signal ?? `exit ${code}`;
      resolve();
    }),
  );
  const stop = async () => {
    if (exited) return;
    child.kill("SIGTERM"); // the server closes the database cleanly on SIGTERM
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    await exit;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exited) {
      const tail = fs.readFileSync(log, "utf8").split("\n").slice(-30).join("\n");
      throw new Error(`The server stopped (${exited}) before it was ready:\n${tail}`);
    }
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error("The server was not ready within 3 minutes.");
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, process: child, log, stop };
}

async function signIn(base: string): Promise<string> {
  const { DEMO_PASSWORD } = await import("../../prisma/seed");
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: SIGN_IN.email, password: DEMO_PASSWORD, redirectTo: "/" }),
  });
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]!);
  const session = cookies.find((c) => /^(__Host-)?session=./.test(c));
  if (res.status !== 302 || !session || res.headers.get("location")?.startsWith("/login")) {
    throw new Error(`Signing in as ${SIGN_IN.email} failed (HTTP ${res.status}).`);
  }
  return session;
}

/**
 * Fetches every path once, one at a time: proves each answers 200 with the right page, warms
 * caches, and gives the unloaded latency.
 */
async function verify(target: Target, expect: string) {
  let bytes = 0;
  const times: number[] = [];
  for (const p of target.paths) {
    const started = performance.now();
    const res = await fetch(target.base + p, { headers: target.headers, redirect: "manual" });
    const body = await res.text();
    times.push(performance.now() - started);
    if (res.status !== 200 || !body.includes(expect)) {
      throw new Error(`${target.name}: GET ${p} answered ${res.status} without "${expect}".`);
    }
    bytes += Buffer.byteLength(body);
  }
  times.sort((a, b) => a - b);
  return {
    pageKb: Math.round(bytes / target.paths.length / 1024),
    aloneMedianMs: times[Math.floor(times.length / 2)]!,
    aloneMaxMs: times[times.length - 1]!,
  };
}

type Measured = {
  target: Target;
  description: string;
  pageKb: number;
  aloneMedianMs: number;
  aloneMaxMs: number;
  closed: ClosedLoopResult;
  /** Null when the closed loop showed the route cannot serve the fixed rate at all. */
  fixed: FixedRateResult | null;
};

const NOT_RUN = "not run (capacity below the rate)";

const ms = (n: number) =>
  Number.isFinite(n) ? `${fmt(n, 1)} ms` : `> ${TIMEOUT_MS / 1000} s (timed out)`;

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "–";

function table(rows: Measured[]) {
  const head = [
    "Route",
    `req/s (${CONNECTIONS} conn.)`,
    `p50 @ ${RATE}/s`,
    `p95 @ ${RATE}/s`,
    `p99 @ ${RATE}/s`,
    "Alone (median)",
    "Peak RSS",
    "Page",
    "Failures",
    "Timeouts",
  ];
  const body = rows.map((r) => [
    `${r.target.name}`,
    fmt(r.closed.rps, 1),
    r.fixed ? ms(r.fixed.latency.p50) : NOT_RUN,
    r.fixed ? ms(r.fixed.latency.p95) : NOT_RUN,
    r.fixed ? ms(r.fixed.latency.p99) : NOT_RUN,
    ms(r.aloneMedianMs),
    `${Math.max(r.closed.rssPeakMb, r.fixed?.rssPeakMb ?? 0)} MB`,
    `${r.pageKb} KB`,
    String(r.closed.failures + (r.fixed?.failures ?? 0)),
    String(r.closed.timeouts + (r.fixed?.timeouts ?? 0)),
  ]);
  return [head, head.map(() => "---"), ...body]
    .map((cells) => `| ${cells.join(" | ")} |`)
    .join("\n");
}

function closedDetail(rows: Measured[]) {
  const head = ["Route", "Requests", "Seconds", "p50", "p97.5", "p99", "Status codes"];
  const body = rows.map((r) => [
    r.target.name,
    String(r.closed.requests),
    fmt(r.closed.seconds, 1),
    `${r.closed.latency.p50} ms`,
    `${r.closed.latency.p97_5} ms`,
    `${r.closed.latency.p99} ms`,
    JSON.stringify(r.closed.statusCodes),
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
  target: Target,
  description: string,
  expect: string,
): Promise<Measured> {
  step(`${target.name}: ${target.paths.length} URLs`);
  const alone = await verify(target, expect);
  const serverPid = server.process.pid;
  console.log(`  warming up (${WARMUP_SECONDS} s, ${CONNECTIONS} connections)`);
  await closedLoop(target, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
  await settle(server.base);
  console.log(`  closed loop: ${CONNECTIONS} connections for ${SECONDS} s`);
  const closed = await closedLoop(target, {
    connections: CONNECTIONS,
    seconds: SECONDS,
    serverPid,
  });
  console.log(
    `    ${fmt(closed.rps, 1)} req/s, ${closed.failures} failures, ${closed.timeouts} timeouts`,
  );
  await settle(server.base);
  if (closed.rps < RATE) {
    // Offered more than it can serve, the queue only grows; the run would measure its own length.
    console.log(`  fixed rate: skipped (capacity ${fmt(closed.rps, 1)} < ${RATE} req/s)`);
    return { target, description, ...alone, closed, fixed: null };
  }
  console.log(`  fixed rate: ${RATE} req/s for ${SECONDS} s`);
  const fixed = await fixedRate(target, { rate: RATE, seconds: SECONDS, serverPid });
  console.log(
    `    p50 ${ms(fixed.latency.p50)}, p95 ${ms(fixed.latency.p95)}, p99 ${ms(fixed.latency.p99)}, ${fixed.failures} failures, ${fixed.timeouts} timeouts`,
  );
  await settle(server.base);
  return { target, description, ...alone, closed, fixed };
}

async function measure() {
  const loadBefore = os.loadavg();
  const startedAt = new Date();
  await ensureBuild();
  const inventory = await ensureData();
  let server = await startServer();
  const cleanUp = () => void server.stop();
  process.once("SIGINT", cleanUp);
  process.once("SIGTERM", cleanUp);
  try {
    step(`Signing in as ${SIGN_IN.email} (${SIGN_IN.role})`);
    const cookie = await signIn(server.base);
    const search = searchPaths(inventory);
    const targets: { target: Target; description: string; expect: string }[] = [
      {
        target: {
          name: "Static page",
          base: server.base,
          paths: Array.from({ length: 40 }, (_, i) => `/bench/static?seed=${i}`),
          headers: { Accept: "text/html" },
        },
        description:
          "/bench/static: results-page markup in the normal layout, no database, no cookie",
        expect: "Benchmark baseline",
      },
      {
        target: {
          name: "One PK lookup",
          base: server.base,
          paths: inventory.institutes.map((i) => `/bench/lookup?id=${i.id}`),
          headers: { Accept: "text/html" },
        },
        description: "/bench/lookup: the same page plus one Institute.findUnique by id, no cookie",
        expect: "Benchmark lookup",
      },
      {
        target: {
          name: "Directory search",
          base: server.base,
          paths: search.map((s) => s.path),
          headers: { Accept: "text/html", Cookie: cookie },
        },
        description: `/directory with ${search.length} distinct queries and facets, signed in (session lookup included), result cache on as by default: the first pass over the URLs fills it, so the runs are served from it (each request still reads the session and the directory version)`,
        expect: "Directory of expertise",
      },
    ];

    // One pass over every URL of every route first, so that no route pays for cold code paths
    // (the first one measured would otherwise); the second pass, per route, is the one reported.
    step("Checking every URL once");
    for (const { target, expect } of targets) await verify(target, expect);

    const measured: Measured[] = [];
    for (const { target, description, expect } of targets) {
      measured.push(await measureTarget(server, target, description, expect));
    }

    // The same search URLs on a second server with the result cache turned off, so the cost of
    // computing a search (every cache miss) is on record next to the figures the cache gives.
    await server.stop();
    server = await startServer({ DIRECTORY_CACHE_ENTRIES: "0" });
    const uncachedCookie = await signIn(server.base);
    const uncached: Target = {
      name: "Directory search, cache off",
      base: server.base,
      paths: search.map((s) => s.path),
      headers: { Accept: "text/html", Cookie: uncachedCookie },
    };
    await verify(uncached, "Directory of expertise");
    measured.push(
      await measureTarget(
        server,
        uncached,
        "the same URLs with DIRECTORY_CACHE_ENTRIES=0 (a fresh server): every request computes its search",
        "Directory of expertise",
      ),
    );

    const [staticPage, lookup, directory, directoryUncached] = measured as [
      Measured,
      Measured,
      Measured,
      Measured,
    ];
    const searchShare = directory.closed.rps / lookup.closed.rps;
    const ratios = [
      `- Search ÷ one-lookup throughput: **${fmt(searchShare * 100, 1)}%** (target ≥ ${TARGETS.throughputShareOfLookup * 100}%): ${searchShare >= TARGETS.throughputShareOfLookup ? "met" : "**missed**"}`,
      `- Search p95 at ${RATE} req/s: **${directory.fixed ? ms(directory.fixed.latency.p95) : NOT_RUN}** (target ≤ ${TARGETS.p95Ms} ms): ${directory.fixed && directory.fixed.latency.p95 <= TARGETS.p95Ms ? "met" : "**missed**"}`,
      `- With the cache off (every search computed): ${fmt(directoryUncached.closed.rps, 1)} req/s, ${fmt((directoryUncached.closed.rps / lookup.closed.rps) * 100, 1)}% of one-lookup; a single search alone takes ${ms(directoryUncached.aloneMedianMs)} (median), ${ms(directoryUncached.aloneMaxMs)} (slowest URL).`,
      ...measured
        .filter((m) => !m.fixed)
        .map(
          (m) =>
            `- ${m.target.name}: its closed-loop capacity (${fmt(m.closed.rps, 1)} req/s) is below the offered ${RATE} req/s, so at that rate the queue would only grow; the fixed-rate run is skipped.`,
        ),
      `- Search ÷ static throughput: ${fmt((directory.closed.rps / staticPage.closed.rps) * 100, 1)}%; one-lookup ÷ static: ${fmt((lookup.closed.rps / staticPage.closed.rps) * 100, 1)}%`,
      `- Search ÷ one-lookup p95 at ${RATE} req/s: ${directory.fixed && lookup.fixed && Number.isFinite(directory.fixed.latency.p95) ? `${fmt(directory.fixed.latency.p95 / lookup.fixed.latency.p95, 1)}×` : "–"}`,
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
      `- Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()}`,
      `- Node ${process.version}; database: ${postgresUrl ? "PostgreSQL" : `embedded PGlite ${pglite.version}`}, ${fmt(inventory.profiles)} profiles over ${inventory.institutes.length} institutes`,
      `- Load average before / after the run (other work on the machine skews the figures): ${loadBefore.map((l) => l.toFixed(2)).join(", ")} / ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(", ")}`,
      `- Searches as ${SIGN_IN.email} (${SIGN_IN.role}); ${search.length} distinct search URLs in rotation`,
      `- Each target: ${WARMUP_SECONDS} s warm-up, ${SECONDS} s closed loop at ${CONNECTIONS} connections, ${SECONDS} s at a fixed ${RATE} req/s`,
      "",
      table(measured),
      "",
      ratios,
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
      "Routes:",
      "",
      ...measured.map((m) => `- ${m.target.name}: ${m.description}`),
      "",
      "Search URLs:",
      "",
      ...search.map((s) => `- ${s.kind}: \`${s.path}\``),
      "",
      "</details>",
      "",
      marker("end"),
    ].join("\n");

    console.log(`\n${table(measured)}\n\n${ratios}\n`);
    const timeouts = measured.reduce((n, m) => n + m.closed.timeouts + (m.fixed?.timeouts ?? 0), 0);
    console.log(
      `${requests} requests, ${failures} failures (non-2xx or connection errors), ${timeouts} not answered within ${TIMEOUT_MS / 1000} s.`,
    );

    if (failed) {
      console.error(
        `More than ${MAX_FAILURE_SHARE * 100}% of requests failed: the figures are not valid and ${DOC} was left alone. Server log: ${server.log}`,
      );
      process.exitCode = 1;
    } else if (!opts["no-doc"]) {
      await writeDoc(section);
      console.log(`Results written to ${DOC}.`);
    }
  } finally {
    await server.stop();
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
