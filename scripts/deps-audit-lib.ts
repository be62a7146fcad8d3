/**
 * Pure logic behind `npm run audit:deps` (scripts/deps-audit.ts): read a package-lock.json, pick
 * the packages that ship in production, match them against a vendored list of advisories, and
 * set aside the findings that security/audit-exceptions.json explains. Nothing here touches the
 * network or the process; the CLI does the I/O, so the unit tests can drive every step.
 */
import semver from "semver";

export const SEVERITIES = ["info", "low", "moderate", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severities that fail the check unless an exception explains them. */
export const BLOCKING: readonly Severity[] = ["high", "critical"];

export interface Advisory {
  /** GHSA id where one exists, else the CVE id. */
  id: string;
  cve: string | null;
  /** npm package name the range applies to (one entry per package for multi-package advisories). */
  package: string;
  /** Vulnerable versions, as a semver range (`||` for several branches). */
  vulnerable: string;
  severity: Severity;
  title: string;
  /** First fixed version(s), for people; the check itself only reads `vulnerable`. */
  fixed: string | null;
  /** Where the range and severity were read. */
  source: string;
  note?: string;
}

export interface AdvisoryList {
  date: string;
  advisories: Advisory[];
}

export interface AuditException {
  /** The advisory's id (GHSA) or its CVE id. */
  advisory: string;
  /** Narrows the exception to one package, for advisories listed against several. */
  package?: string;
  reason: string;
  /** YYYY-MM-DD */
  reviewed: string;
}

export interface InstalledPackage {
  name: string;
  version: string;
  /** Where it sits in the lockfile, e.g. node_modules/express/node_modules/qs. */
  path: string;
  /** Installed only where the platform allows (optional dependency somewhere in the prod tree). */
  optional: boolean;
  /** Both a dev dependency and an optional prod dependency: `npm --omit=dev` still installs it. */
  devOptional: boolean;
}

export interface Finding {
  advisory: Advisory;
  name: string;
  version: string;
  paths: string[];
}

// ---------------------------------------------------------------------------------------------
// Lockfile

interface LockEntry {
  name?: string;
  version?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  link?: boolean;
  dependencies?: Record<string, LockEntry>;
}

export interface Lockfile {
  lockfileVersion?: number;
  packages?: Record<string, LockEntry>;
  /** lockfileVersion 1 only. */
  dependencies?: Record<string, LockEntry>;
}

export function parseLockfile(text: string): Lockfile {
  const lock = JSON.parse(text) as Lockfile;
  if (typeof lock !== "object" || lock === null) throw new Error("lockfile is not a JSON object");
  if (!lock.packages && !lock.dependencies) {
    throw new Error("lockfile has neither `packages` (v2/v3) nor `dependencies` (v1)");
  }
  return lock;
}

/** The package name an installed path stands for: node_modules/a/node_modules/@s/b -> @s/b. */
export function nameFromPath(path: string): string {
  const at = path.lastIndexOf("node_modules/");
  return at === -1 ? path : path.slice(at + "node_modules/".length);
}

/**
 * Every package `npm install --omit=dev` would install, as npm's own `--omit=dev` sees it: entries
 * flagged `dev` are left out; `devOptional` ones (dev somewhere, optional in prod) stay, as do
 * `optional` ones, including platform-specific binaries that are not installed on this machine
 * (checking them costs nothing and they are installed elsewhere). Links to workspace folders are
 * skipped: the folders are this repository's own code, not registry packages.
 */
export function selectProductionPackages(lock: Lockfile): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  if (lock.packages) {
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === "" || !path.includes("node_modules/")) continue;
      if (entry.link || entry.dev) continue;
      if (!entry.version) continue;
      out.push({
        name: entry.name ?? nameFromPath(path),
        version: entry.version,
        path,
        optional: entry.optional === true,
        devOptional: entry.devOptional === true,
      });
    }
    return out;
  }
  const walk = (deps: Record<string, LockEntry>, prefix: string) => {
    for (const [name, entry] of Object.entries(deps)) {
      const path = `${prefix}node_modules/${name}`;
      if (!entry.dev && entry.version) {
        // v1 aliases record the version as "npm:real-name@1.2.3".
        const alias = /^npm:(@?[^@]+)@(.+)$/.exec(entry.version);
        out.push({
          name: alias ? alias[1]! : name,
          version: alias ? alias[2]! : entry.version,
          path,
          optional: entry.optional === true,
          devOptional: false,
        });
      }
      if (entry.dependencies && !entry.dev) walk(entry.dependencies, `${path}/`);
    }
  };
  walk(lock.dependencies ?? {}, "");
  return out;
}

// ---------------------------------------------------------------------------------------------
// Advisory list and exceptions

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Throws on the first malformed entry, so a typo in a range can never silently match nothing. */
export function validateAdvisoryList(value: unknown): AdvisoryList {
  const list = value as Partial<AdvisoryList> | null;
  if (!list || typeof list !== "object") throw new Error("advisory list is not an object");
  if (typeof list.date !== "string" || !DATE.test(list.date)) {
    throw new Error("advisory list needs `date` as YYYY-MM-DD");
  }
  if (!Array.isArray(list.advisories)) throw new Error("advisory list needs an `advisories` array");
  const seen = new Set<string>();
  list.advisories.forEach((a, i) => {
    const where = `advisories[${i}] (${a?.id ?? "?"} ${a?.package ?? "?"})`;
    for (const key of ["id", "package", "vulnerable", "severity", "title", "source"] as const) {
      if (typeof a?.[key] !== "string" || a[key].length === 0) {
        throw new Error(`${where}: \`${key}\` is missing`);
      }
    }
    if (!SEVERITIES.includes(a.severity)) throw new Error(`${where}: unknown severity`);
    if (semver.validRange(a.vulnerable) === null) {
      throw new Error(`${where}: \`vulnerable\` is not a semver range: ${a.vulnerable}`);
    }
    if (!/^https:\/\//.test(a.source)) throw new Error(`${where}: \`source\` must be a URL`);
    const key = `${a.id} ${a.package}`;
    if (seen.has(key)) throw new Error(`${where}: listed twice`);
    seen.add(key);
  });
  return list as AdvisoryList;
}

export function validateExceptions(value: unknown): AuditException[] {
  const file = value as { exceptions?: unknown } | null;
  const list = Array.isArray(value) ? value : file?.exceptions;
  if (!Array.isArray(list)) throw new Error("exceptions file needs an `exceptions` array");
  list.forEach((e: Partial<AuditException> | null, i) => {
    const where = `exceptions[${i}]`;
    if (typeof e?.advisory !== "string" || e.advisory.length === 0) {
      throw new Error(`${where}: \`advisory\` is missing`);
    }
    if (typeof e.reason !== "string" || e.reason.trim().length < 10) {
      throw new Error(`${where} (${e.advisory}): \`reason\` must explain the exception`);
    }
    if (typeof e.reviewed !== "string" || !DATE.test(e.reviewed)) {
      throw new Error(`${where} (${e.advisory}): \`reviewed\` must be YYYY-MM-DD`);
    }
  });
  return list as AuditException[];
}

// ---------------------------------------------------------------------------------------------
// Matching

/** One finding per advisory and name@version, with every lockfile path where that copy sits. */
export function matchAdvisories(
  packages: readonly InstalledPackage[],
  advisories: readonly Advisory[],
): Finding[] {
  const byName = new Map<string, Advisory[]>();
  for (const a of advisories) byName.set(a.package, [...(byName.get(a.package) ?? []), a]);
  const findings = new Map<string, Finding>();
  for (const pkg of packages) {
    const candidates = byName.get(pkg.name);
    if (!candidates) continue;
    // Git or file dependencies carry no registry version; they cannot be matched by range.
    if (semver.valid(pkg.version) === null) continue;
    for (const advisory of candidates) {
      if (!semver.satisfies(pkg.version, advisory.vulnerable, { includePrerelease: true })) {
        continue;
      }
      const key = `${advisory.id} ${pkg.name}@${pkg.version}`;
      const found = findings.get(key);
      if (found) found.paths.push(pkg.path);
      else findings.set(key, { advisory, name: pkg.name, version: pkg.version, paths: [pkg.path] });
    }
  }
  return [...findings.values()].sort(compareFindings);
}

function compareFindings(a: Finding, b: Finding): number {
  const bySeverity =
    SEVERITIES.indexOf(b.advisory.severity) - SEVERITIES.indexOf(a.advisory.severity);
  if (bySeverity !== 0) return bySeverity;
  return `${a.name} ${a.advisory.id}`.localeCompare(`${b.name} ${b.advisory.id}`);
}

export function exceptionCovers(exception: AuditException, finding: Finding): boolean {
  const ids = [finding.advisory.id, finding.advisory.cve].filter(Boolean);
  if (!ids.includes(exception.advisory)) return false;
  return exception.package === undefined || exception.package === finding.name;
}

export interface ExceptionResult {
  /** Findings no exception explains. */
  open: Finding[];
  /** Findings an exception explains, with that exception. */
  excepted: { finding: Finding; exception: AuditException }[];
  /** Exceptions that explain nothing any more: candidates for removal. */
  unused: AuditException[];
}

export function applyExceptions(
  findings: readonly Finding[],
  exceptions: readonly AuditException[],
): ExceptionResult {
  const used = new Set<AuditException>();
  const open: Finding[] = [];
  const excepted: ExceptionResult["excepted"] = [];
  for (const finding of findings) {
    const exception = exceptions.find((e) => exceptionCovers(e, finding));
    if (exception) {
      used.add(exception);
      excepted.push({ finding, exception });
    } else {
      open.push(finding);
    }
  }
  return { open, excepted, unused: exceptions.filter((e) => !used.has(e)) };
}

export function isBlocking(finding: Finding): boolean {
  return BLOCKING.includes(finding.advisory.severity);
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.advisory.severity] += 1;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// npm audit (online mode)

interface NpmAuditVia {
  source?: number;
  name?: string;
  title?: string;
  url?: string;
  severity?: string;
  range?: string;
}

interface NpmAuditReport {
  auditReportVersion?: number;
  vulnerabilities?: Record<
    string,
    { name?: string; severity?: string; via?: (string | NpmAuditVia)[]; nodes?: string[] }
  >;
}

/** True when `npm audit --json` printed a report (as opposed to an error object). */
export function isNpmAuditReport(value: unknown): value is NpmAuditReport {
  const report = value as NpmAuditReport | null;
  return (
    !!report &&
    typeof report === "object" &&
    typeof report.vulnerabilities === "object" &&
    report.vulnerabilities !== null
  );
}

/**
 * Turns an `npm audit --json` report (auditReportVersion 2) into findings in the same shape as the
 * offline check, so exceptions and the summary work alike. Only advisories are kept: a `via` that
 * is a string just points at another vulnerable package, which has its own entry. Versions come
 * from the lockfile, through the `nodes` npm lists.
 */
export function findingsFromNpmAudit(report: NpmAuditReport, lock: Lockfile): Finding[] {
  const findings = new Map<string, Finding>();
  for (const [key, vuln] of Object.entries(report.vulnerabilities ?? {})) {
    const name = vuln.name ?? key;
    for (const via of vuln.via ?? []) {
      if (typeof via === "string") continue;
      const severity = (SEVERITIES as readonly string[]).includes(via.severity ?? "")
        ? (via.severity as Severity)
        : "high";
      const ghsa = via.url ? /GHSA(-[0-9a-z]{4}){3}/.exec(via.url)?.[0] : undefined;
      const advisory: Advisory = {
        id: ghsa ?? `npm-${via.source ?? "?"}`,
        cve: null,
        package: via.name ?? name,
        vulnerable: via.range ?? "*",
        severity,
        title: via.title ?? "(no title)",
        fixed: null,
        source: via.url ?? "https://www.npmjs.com/advisories",
      };
      const nodes = vuln.nodes?.length ? vuln.nodes : [`node_modules/${name}`];
      for (const node of nodes) {
        const version = lock.packages?.[node]?.version ?? "?";
        const id = `${advisory.id} ${advisory.package}@${version}`;
        const found = findings.get(id);
        if (found) found.paths.push(node);
        else findings.set(id, { advisory, name: advisory.package, version, paths: [node] });
      }
    }
  }
  return [...findings.values()].sort(compareFindings);
}
