// `npm run perf:lighthouse`: Lighthouse performance and accessibility scores of the sign-in page,
// a directory search and a filtered postings list, against the production build.
//
// build (if missing) → seed a throwaway PGlite data directory with the demo data → start
// `node build/server.js` → sign in over HTTP → Lighthouse in Debian's Chromium, each page
// `--runs` times (the median run by performance score is reported, as Lighthouse's own docs
// advise against single runs) → print → rewrite the results section of docs/performance.md.
// Exits 1 when a page scores under 95 in either category. Not run in CI: a few minutes.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { desktopConfig, type Config, type Flags, type Result } from "lighthouse";
import { progress } from "../lib/progress";
import { freePort, spawnNode, waitUntilServing } from "../lib/server-process";
import { replaceDocSection } from "./doc";

const root = path.resolve(import.meta.dirname, "../..");
process.chdir(root);

const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    preset: { type: "string", default: "mobile" },
    build: { type: "boolean", default: false },
    "no-doc": { type: "boolean", default: false },
    json: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (opts.help) {
  console.log(`npm run perf:lighthouse [-- options]
  --runs N           Lighthouse runs per page; the median by performance score is kept (default 3)
  --preset NAME      mobile (Lighthouse's default: Moto G Power, slow 4G, 4x CPU slowdown,
                     simulated), desktop, or both (default mobile)
  --build            rebuild even if build/ is present
  --no-doc           do not rewrite the results in docs/performance.md
  --json DIR         also write each page's median Lighthouse report (JSON) into DIR
CHROMIUM_PATH=...    another Chromium than /usr/bin/chromium`);
  process.exit(0);
}

const RUNS = Number(opts.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error("--runs needs a whole number ≥ 1.");
const PRESETS = (opts.preset === "both" ? ["mobile", "desktop"] : [opts.preset!]) as Preset[];
for (const p of PRESETS)
  if (p !== "mobile" && p !== "desktop")
    throw new Error(`--preset is mobile, desktop or both, not "${p}".`);
type Preset = "mobile" | "desktop";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const TARGET = 95;
const SIGN_IN = { email: "sam.okafor@us-aisi.example", role: "STAFF, no MFA" };
const PAGES = [
  { name: "Sign-in", path: "/login", signedIn: false },
  { name: "Directory search", path: "/directory?q=evaluations", signedIn: true },
  { name: "Postings, filtered", path: "/postings?workMode=HYBRID", signedIn: true },
];

const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
const step = (message: string) => console.log(`• ${message}`);

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code}`)),
    );
  });
}

async function ensureBuild() {
  const built = fs.existsSync("build/server.js") && fs.existsSync("build/client/assets");
  if (built && !opts.build) return;
  step("Building the production server (npm run build)");
  await run("npm", ["run", "build"]);
}

async function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return;
  await run(process.execPath, ["scripts/ensure-chromium.mjs"]);
}

/** The demo seed in a throwaway data directory (never with NODE_ENV=production: it refuses). */
async function seed(dataDir: string) {
  step(`Seeding the demo data into ${dataDir}`);
  // Undefined variables are left out of the child's environment.
  const env = {
    ...process.env,
    NODE_ENV: "development" as const,
    DATABASE_URL: undefined,
    DATA_DIR: dataDir,
  };
  await run(process.execPath, [tsx, "prisma/seed.ts"], env);
}

type Server = { base: string; stop(): Promise<void> };

async function startServer(dataDir: string): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = path.join(dataDir, "server.log");
  step(`Starting the production server on ${base} (log: ${log})`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: String(port),
    APP_URL: base,
  };
  for (const name of ["DATABASE_URL", "SMTP_URL", "SECURE_COOKIES", "TRUST_PROXY"])
    delete env[name];
  const server = spawnNode(["build/server.js"], env, log);
  await waitUntilServing(server, `${base}/healthz`, log, { timeoutMs: 120_000, everyMs: 250 });
  return { base, stop: server.stop };
}

/** A session cookie for the demo user, from a same-origin form POST as a browser sends it. */
async function signIn(base: string): Promise<string> {
  const { DEMO_PASSWORD } = await import("../../prisma/demo");
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: SIGN_IN.email, password: DEMO_PASSWORD, redirectTo: "/" }),
  });
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => /^(__Host-)?session=./.test(c));
  if (res.status !== 302 || !session || res.headers.get("location")?.startsWith("/login"))
    throw new Error(`Signing in as ${SIGN_IN.email} failed (HTTP ${res.status}).`);
  return session;
}

type Measured = {
  page: (typeof PAGES)[number];
  preset: Preset;
  performance: number;
  accessibility: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  siMs: number;
  /** Scores of every run, to show the spread. */
  allPerformance: number[];
  failedAudits: string[];
};

const score = (lhr: Result, category: string) =>
  Math.round((lhr.categories[category]?.score ?? 0) * 100);
const metric = (lhr: Result, id: string) => lhr.audits[id]?.numericValue ?? NaN;

/** The audits that cost points in a category (score < 1), for the terminal and the doc. */
function failing(lhr: Result, category: string) {
  return (lhr.categories[category]?.auditRefs ?? [])
    .filter((ref) => ref.weight > 0)
    .map((ref) => lhr.audits[ref.id]!)
    .filter((a) => a.score !== null && a.score < 1)
    .map((a) => `${category}: ${a.id} (${a.displayValue ?? a.score})`);
}

function median(lhrs: Result[]): Result {
  const sorted = [...lhrs].sort((a, b) => score(a, "performance") - score(b, "performance"));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * One Lighthouse run in a Chromium of its own (as Lighthouse CI does: no state carried between
 * runs). Lighthouse 12 with this Chromium now and then loses a page load's trace (NO_NAVSTART or a
 * spurious interstitial); such a run is repeated, up to twice, and counted.
 */
let retried = 0;
async function measure(url: string, flags: Flags, config: Config | undefined): Promise<Result> {
  for (let attempt = 1; ; attempt++) {
    const chrome = await chromeLauncher.launch({
      chromePath: CHROMIUM,
      chromeFlags: [
        "--headless=new",
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-gpu",
        "--disable-dev-shm-usage",
      ],
      logLevel: "silent",
    });
    try {
      const result = await lighthouse(url, { ...flags, port: chrome.port }, config);
      const error = result ? result.lhr.runtimeError : { code: "NO_RESULT", message: "no result" };
      if (!error) return result!.lhr;
      if (attempt === 3)
        throw new Error(
          `Lighthouse failed on ${url} three times: ${error.message} (${error.code})`,
        );
      retried++;
    } finally {
      chrome.kill();
    }
  }
}

async function main() {
  const started = performance.now();
  await ensureBuild();
  await ensureChromium();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "exchange-lighthouse-"));
  let server: Server | undefined;
  try {
    await seed(dataDir);
    server = await startServer(dataDir);
    const cookie = await signIn(server.base);
    step(`Signed in as ${SIGN_IN.email} (${SIGN_IN.role})`);
    for (const page of PAGES) {
      const res = await fetch(server.base + page.path, {
        headers: page.signedIn ? { Cookie: cookie } : {},
        redirect: "manual",
      });
      if (res.status !== 200) throw new Error(`GET ${page.path} answered ${res.status}, not 200.`);
    }

    const chromiumVersion = execFileSync(CHROMIUM, ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    step(`${chromiumVersion}, presets: ${PRESETS.join(", ")}, ${RUNS} run(s) per page`);

    const bar = progress({
      label: "Lighthouse",
      total: PRESETS.length * PAGES.length * RUNS,
      unit: "runs",
    });
    const results: Measured[] = [];
    let lighthouseVersion = "";
    let benchmarkIndex: number[] = [];
    for (const preset of PRESETS) {
      const config: Config | undefined = preset === "desktop" ? desktopConfig : undefined;
      for (const page of PAGES) {
        const flags: Flags = {
          output: "json",
          // "silent": Lighthouse 12 logs trace-format errors about Chromium 156 that cost no audit we use.
          logLevel: "silent",
          onlyCategories: ["performance", "accessibility"],
          extraHeaders: page.signedIn ? { Cookie: cookie } : undefined,
        };
        const lhrs: Result[] = [];
        for (let i = 0; i < RUNS; i++) {
          const lhr = await measure(server.base + page.path, flags, config);
          const finalUrl = new URL(lhr.finalDisplayedUrl);
          if (finalUrl.pathname !== new URL(page.path, server.base).pathname)
            throw new Error(`${page.path} ended on ${finalUrl.pathname}: is the cookie accepted?`);
          lhrs.push(lhr);
          lighthouseVersion = lhr.lighthouseVersion;
          benchmarkIndex.push(lhr.environment.benchmarkIndex);
          bar.tick();
        }
        const lhr = median(lhrs);
        if (opts.json) {
          fs.mkdirSync(opts.json, { recursive: true });
          const name = `${preset}-${page.path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "")}.json`;
          fs.writeFileSync(path.join(opts.json, name), JSON.stringify(lhr));
        }
        results.push({
          page,
          preset,
          performance: score(lhr, "performance"),
          accessibility: score(lhr, "accessibility"),
          fcpMs: metric(lhr, "first-contentful-paint"),
          lcpMs: metric(lhr, "largest-contentful-paint"),
          tbtMs: metric(lhr, "total-blocking-time"),
          cls: metric(lhr, "cumulative-layout-shift"),
          siMs: metric(lhr, "speed-index"),
          allPerformance: lhrs.map((l) => score(l, "performance")),
          failedAudits: [...failing(lhr, "accessibility"), ...failing(lhr, "performance")],
        });
      }
    }
    bar.done();
    benchmarkIndex = benchmarkIndex.sort((a, b) => a - b);

    const cpus = os.cpus();
    const machine = [
      `${cpus[0]?.model.trim() ?? "unknown CPU"} × ${cpus.length} (${os.platform()} ${os.release()})`,
      chromiumVersion,
      `Node ${process.version}`,
      `Lighthouse ${lighthouseVersion}`,
      `Lighthouse CPU benchmark index ${Math.round(benchmarkIndex[0]!)}–${Math.round(benchmarkIndex[benchmarkIndex.length - 1]!)}`,
    ];

    const header = [
      "Page",
      "URL",
      "Preset",
      "Perf",
      "A11y",
      "FCP",
      "LCP",
      "TBT",
      "CLS",
      "SI",
      "Perf, all runs",
    ];
    const cells = (r: Measured) => [
      r.page.name,
      r.page.path,
      r.preset,
      String(r.performance),
      String(r.accessibility),
      `${(r.fcpMs / 1000).toFixed(1)} s`,
      `${(r.lcpMs / 1000).toFixed(1)} s`,
      `${Math.round(r.tbtMs)} ms`,
      r.cls.toFixed(3),
      `${(r.siMs / 1000).toFixed(1)} s`,
      r.allPerformance.join(", "),
    ];
    const table = [header, ...results.map(cells)];
    const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    console.log();
    for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join("  "));
    const repeats = retried
      ? ` ${retried} run(s) were repeated after Lighthouse lost the page load's trace.`
      : "";
    console.log(`\n${machine.join("; ")}.${repeats}`);
    const short = results.filter((r) => r.performance < TARGET || r.accessibility < TARGET);
    for (const r of results)
      if (r.failedAudits.length)
        console.log(
          `\n${r.page.path} (${r.preset}), audits that cost points:\n  ${r.failedAudits.join("\n  ")}`,
        );

    const minutes = ((performance.now() - started) / 60_000).toFixed(1);
    const section = `<!-- lighthouse:results:start -->

_Generated by \`npm run perf:lighthouse${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}\` on ${new Date().toISOString().slice(0, 10)} (${minutes} min); do not edit by hand._

Preset: ${PRESETS.map((p) => (p === "mobile" ? "**mobile**, Lighthouse's default (emulated Moto G Power, simulated slow 4G and 4× CPU slowdown)" : "**desktop** (Lighthouse's desktop config: no CPU slowdown, simulated 10 Mbit/s, 40 ms)")).join("; ")}. Each page ${RUNS} run(s); the median run by performance score is shown, with every run's score last. Target: ${TARGET} or more in both categories. ${short.length ? `**Not met** on ${short.map((r) => `${r.page.path} (${r.preset})`).join(", ")}.` : "**Met on every page.**"}

${[header, header.map((_, i) => (i >= 3 && i <= 9 ? "--:" : "---")), ...results.map((r) => cells(r).map((c, i) => (i === 1 ? `\`${c}\`` : c)))].map((row) => `| ${row.join(" | ")} |`).join("\n")}

Machine: ${machine.join("; ")}. Signed in as the demo seed's ${SIGN_IN.email} (${SIGN_IN.role}) for the directory and postings; the demo seed's data (90 directory profiles).${repeats}

<!-- lighthouse:results:end -->`;
    if (!opts["no-doc"]) {
      await replaceDocSection("lighthouse", section, "## Lighthouse");
      console.log("\nResults written to docs/performance.md.");
    }
    if (short.length) {
      console.error(
        `\nUnder ${TARGET}: ${short.map((r) => `${r.page.path} (${r.preset})`).join(", ")}`,
      );
      process.exitCode = 1;
    }
  } finally {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
