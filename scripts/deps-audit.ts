/**
 * `npm run audit:deps`: fails when a production dependency has a known high or critical advisory
 * that security/audit-exceptions.json does not explain.
 *
 * It first asks `npm audit --omit=dev --json`. Where the registry's audit endpoint refuses or does
 * not answer (here it answers 405 to the bulk-advisory POST), it falls back to an offline check:
 * every production package in package-lock.json against the hand-kept list in
 * security/advisories.json. The summary says which of the two ran.
 *
 *   --offline             skip npm audit (also DEPS_AUDIT_OFFLINE=1)
 *   --lockfile <path>     default package-lock.json
 *   --advisories <path>   default security/advisories.json
 *   --exceptions <path>   default security/audit-exceptions.json
 *
 * Exit codes: 0 clean, 1 open high/critical findings, 2 the inputs could not be read.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import {
  applyExceptions,
  countBySeverity,
  findingsFromNpmAudit,
  isBlocking,
  isNpmAuditReport,
  matchAdvisories,
  parseLockfile,
  selectProductionPackages,
  SEVERITIES,
  validateAdvisoryList,
  validateExceptions,
  type Finding,
} from "./deps-audit-lib.ts";

const NPM_AUDIT_TIMEOUT_MS = 30_000;
const root = resolve(import.meta.dirname, "..");

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  const value = at === -1 ? undefined : process.argv[at + 1];
  return resolve(root, value ?? fallback);
}

const paths = {
  lockfile: option("--lockfile", "package-lock.json"),
  advisories: option("--advisories", "security/advisories.json"),
  exceptions: option("--exceptions", "security/audit-exceptions.json"),
};
const forceOffline = process.argv.includes("--offline") || process.env.DEPS_AUDIT_OFFLINE === "1";
const show = (path: string) => relative(root, path) || path;
const log = (line = "") => console.log(line);

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

type NpmAuditOutcome = { report: unknown } | { unavailable: string };

function runNpmAudit(): NpmAuditOutcome {
  const result = spawnSync("npm", ["audit", "--omit=dev", "--json"], {
    cwd: root,
    encoding: "utf8",
    timeout: NPM_AUDIT_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    return {
      unavailable:
        code === "ETIMEDOUT"
          ? `no answer within ${NPM_AUDIT_TIMEOUT_MS / 1000} s`
          : result.error.message,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    const said = (result.stderr || result.stdout).trim().split("\n").at(-1) ?? "";
    return { unavailable: `no JSON report (exit ${result.status}): ${said}` };
  }
  // npm audit exits 1 when it finds anything, so the exit code says nothing about availability.
  if (isNpmAuditReport(parsed)) return { report: parsed };
  const error = parsed as { message?: string; error?: { summary?: string } } | null;
  return {
    unavailable: error?.message || error?.error?.summary || `exit ${result.status}, no report`,
  };
}

function describe(f: Finding): string {
  const a = f.advisory;
  const fixed = a.fixed ? `, fixed in ${a.fixed}` : "";
  const where = f.paths.length > 1 ? ` (${f.paths.length} copies)` : "";
  return `${a.severity.toUpperCase().padEnd(8)} ${a.id} ${f.name}@${f.version}${where}: ${a.title}${fixed} <${a.source}>`;
}

function main(): number {
  let lock;
  let exceptions;
  try {
    lock = parseLockfile(readFileSync(paths.lockfile, "utf8"));
    exceptions = validateExceptions(readJson(paths.exceptions));
  } catch (error) {
    console.error(`deps-audit: cannot read inputs: ${(error as Error).message}`);
    return 2;
  }

  const production = selectProductionPackages(lock);
  const unique = new Set(production.map((p) => `${p.name}@${p.version}`));
  const optional = production.filter((p) => p.optional).length;
  const devOptional = production.filter((p) => p.devOptional).length;

  let mode: string;
  let findings: Finding[];
  const npm: NpmAuditOutcome = forceOffline
    ? { unavailable: "skipped (--offline)" }
    : runNpmAudit();
  if ("report" in npm) {
    mode = "online: npm audit --omit=dev";
    findings = findingsFromNpmAudit(npm.report as Parameters<typeof findingsFromNpmAudit>[0], lock);
  } else {
    let list;
    try {
      list = validateAdvisoryList(readJson(paths.advisories));
    } catch (error) {
      console.error(
        `deps-audit: cannot use ${show(paths.advisories)}: ${(error as Error).message}`,
      );
      return 2;
    }
    mode =
      `offline: ${show(paths.advisories)}, ${list.advisories.length} advisories dated ${list.date}` +
      ` (npm audit unavailable: ${npm.unavailable})`;
    findings = matchAdvisories(production, list.advisories);
  }

  const { open, excepted, unused } = applyExceptions(findings, exceptions);
  const blocking = open.filter(isBlocking);
  const counts = countBySeverity(open);

  log(`deps-audit: mode: ${mode}`);
  log(
    `deps-audit: production packages checked: ${production.length} lockfile entries, ` +
      `${unique.size} distinct name@version (${optional} optional, ${devOptional} devOptional) ` +
      `from ${show(paths.lockfile)}`,
  );
  log(
    `deps-audit: findings: ${[...SEVERITIES]
      .reverse()
      .map((s) => `${counts[s]} ${s}`)
      .join(", ")}` + (excepted.length ? ` (+${excepted.length} explained by exceptions)` : ""),
  );
  for (const f of open) log(`  ${describe(f)}`);
  if (excepted.length === 0) {
    log(`deps-audit: exceptions used: none (${exceptions.length} in ${show(paths.exceptions)})`);
  } else {
    log(`deps-audit: exceptions used: ${excepted.length}`);
    for (const { finding, exception } of excepted) {
      log(`  ${describe(finding)}`);
      log(`      explained (reviewed ${exception.reviewed}): ${exception.reason}`);
    }
  }
  for (const e of unused) {
    log(`deps-audit: note: exception for ${e.advisory} matches nothing any more; remove it`);
  }

  if (blocking.length > 0) {
    log(
      `deps-audit: FAIL: ${blocking.length} high/critical finding(s) not explained in ` +
        `${show(paths.exceptions)}`,
    );
    return 1;
  }
  log("deps-audit: OK: no unexplained high or critical advisories in production dependencies");
  return 0;
}

process.exitCode = main();
