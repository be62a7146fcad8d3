import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  applyExceptions,
  findingsFromNpmAudit,
  isBlocking,
  isNpmAuditReport,
  matchAdvisories,
  parseLockfile,
  selectProductionPackages,
  validateAdvisoryList,
  validateExceptions,
  type AuditException,
  type Finding,
  type Lockfile,
} from "../../scripts/deps-audit-lib.ts";

const repo = (path: string) => new URL(`../../${path}`, import.meta.url);
const readJson = (path: string): unknown => JSON.parse(readFileSync(repo(path), "utf8"));

const list = validateAdvisoryList(readJson("security/advisories.json"));

/** A v3 lockfile from `path -> entry` pairs (the root entry is added). */
function lockfile(packages: Record<string, Record<string, unknown>>): Lockfile {
  return parseLockfile(
    JSON.stringify({
      name: "fixture",
      lockfileVersion: 3,
      packages: { "": { name: "fixture" }, ...packages },
    }),
  );
}

function audit(lock: Lockfile, exceptions: AuditException[] = []) {
  return applyExceptions(
    matchAdvisories(selectProductionPackages(lock), list.advisories),
    exceptions,
  );
}

const ids = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.advisory.id} ${f.name}@${f.version}`).sort();

// express 4.19.0 as it was installed before the September 2024 security releases.
const oldExpress = lockfile({
  "node_modules/express": { version: "4.19.0" },
  "node_modules/path-to-regexp": { version: "0.1.7" },
  "node_modules/body-parser": { version: "1.20.2" },
  "node_modules/send": { version: "0.18.0" },
  "node_modules/serve-static": { version: "1.15.0" },
  "node_modules/cookie": { version: "0.6.0" },
  "node_modules/qs": { version: "6.11.0" },
});

describe("the advisory list", () => {
  test("is well formed: dated, valid semver ranges, known severities, a source for each", () => {
    expect(list.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(list.advisories.length).toBeGreaterThan(30);
  });

  test("a malformed entry is refused rather than silently matching nothing", () => {
    const entry = { ...list.advisories[0]!, vulnerable: "before 1.2" };
    expect(() => validateAdvisoryList({ date: "2026-01-01", advisories: [entry] })).toThrow(
      /not a semver range/,
    );
    const noSource = { ...list.advisories[0]!, source: "" };
    expect(() => validateAdvisoryList({ date: "2026-01-01", advisories: [noSource] })).toThrow(
      /source/,
    );
  });

  test("the exceptions file is valid, and an exception without a reason is refused", () => {
    expect(() => validateExceptions(readJson("security/audit-exceptions.json"))).not.toThrow();
    expect(() =>
      validateExceptions({
        exceptions: [{ advisory: "GHSA-x", reason: "", reviewed: "2026-01-01" }],
      }),
    ).toThrow(/reason/);
    expect(() =>
      validateExceptions({
        exceptions: [{ advisory: "GHSA-x", reason: "not reachable here", reviewed: "soon" }],
      }),
    ).toThrow(/reviewed/);
  });
});

describe("matching installed versions against the list", () => {
  test("express 4.19.0 with path-to-regexp 0.1.7 is flagged, high findings included", () => {
    const { open } = audit(oldExpress);
    expect(ids(open)).toEqual(
      expect.arrayContaining([
        "GHSA-9wv6-86v2-598j path-to-regexp@0.1.7",
        "GHSA-rhx6-c78j-4q9w path-to-regexp@0.1.7",
        "GHSA-37ch-88jc-xwx2 path-to-regexp@0.1.7",
        "GHSA-qwcr-r2fm-qrc7 body-parser@1.20.2",
        "GHSA-qw6h-vgh9-j6wx express@4.19.0",
        "GHSA-m6fv-jmcg-4jfg send@0.18.0",
        "GHSA-cm22-4g7w-348p serve-static@1.15.0",
        "GHSA-pxg6-pf52-xh8x cookie@0.6.0",
      ]),
    );
    const blocking = open.filter(isBlocking);
    expect(blocking.map((f) => f.name)).toContain("path-to-regexp");
    expect(blocking.every((f) => ["high", "critical"].includes(f.advisory.severity))).toBe(true);
  });

  test("the fixed versions we install are not flagged", () => {
    const { open } = audit(
      lockfile({
        "node_modules/express": { version: "4.22.3" },
        "node_modules/path-to-regexp": { version: "0.1.13" },
        "node_modules/body-parser": { version: "1.20.9" },
        "node_modules/send": { version: "0.19.2" },
        "node_modules/serve-static": { version: "1.16.3" },
        "node_modules/cookie": { version: "0.7.2" },
        "node_modules/qs": { version: "6.16.2" },
        "node_modules/@remix-run/node": { version: "2.17.5" },
        "node_modules/@remix-run/router": { version: "1.23.3" },
        "node_modules/diff": { version: "8.0.4" },
        "node_modules/undici": { version: "6.29.1" },
      }),
    );
    expect(open).toEqual([]);
  });

  test("a dev-only package is ignored; optional and devOptional ones are checked", () => {
    const lock = lockfile({
      "node_modules/path-to-regexp": { version: "0.1.7", dev: true },
      "node_modules/cross-spawn": { version: "7.0.3", optional: true },
      "node_modules/zod": { version: "3.22.2", devOptional: true },
    });
    const names = selectProductionPackages(lock).map((p) => p.name);
    expect(names).toEqual(["cross-spawn", "zod"]);
    expect(ids(audit(lock).open)).toEqual([
      "CVE-2023-4316 zod@3.22.2",
      "CVE-2024-21538 cross-spawn@7.0.3",
    ]);
  });

  test("nested copies, scoped names, aliases and workspace links are read as npm installs them", () => {
    const packages = selectProductionPackages(
      lockfile({
        "node_modules/express/node_modules/path-to-regexp": { version: "0.1.7" },
        "node_modules/router/node_modules/path-to-regexp": { version: "0.1.7" },
        "node_modules/@remix-run/node": { version: "2.17.1" },
        "node_modules/my-alias": { name: "qs", version: "6.10.1" },
        "node_modules/local-pkg": { resolved: "packages/local-pkg", link: true },
        "packages/local-pkg": { version: "1.0.0" },
      }),
    );
    expect(packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      "path-to-regexp@0.1.7",
      "path-to-regexp@0.1.7",
      "@remix-run/node@2.17.1",
      "qs@6.10.1",
    ]);
    const findings = matchAdvisories(packages, list.advisories);
    const twoCopies = findings.find((f) => f.advisory.id === "GHSA-9wv6-86v2-598j");
    expect(twoCopies?.paths).toHaveLength(2);
    expect(ids(findings)).toContain("GHSA-9583-h5hc-x8cw @remix-run/node@2.17.1");
    expect(ids(findings)).toContain("GHSA-hrpp-h998-j3pp qs@6.10.1");
  });

  test("a v1 lockfile is read too", () => {
    const lock = parseLockfile(
      JSON.stringify({
        lockfileVersion: 1,
        dependencies: {
          express: {
            version: "4.19.0",
            dependencies: { "path-to-regexp": { version: "0.1.7" } },
          },
          vitest: { version: "1.0.0", dev: true },
        },
      }),
    );
    expect(selectProductionPackages(lock).map((p) => p.path)).toEqual([
      "node_modules/express",
      "node_modules/express/node_modules/path-to-regexp",
    ]);
  });
});

describe("exceptions", () => {
  const reviewed = "2026-11-27";

  test("an exception silences exactly its advisory, and no other on the same package", () => {
    const exception = {
      advisory: "GHSA-rhx6-c78j-4q9w",
      reason: "fixture: routes never put two parameters in one segment",
      reviewed,
    };
    const before = audit(oldExpress).open;
    const { open, excepted, unused } = audit(oldExpress, [exception]);
    expect(excepted.map((e) => e.finding.advisory.id)).toEqual(["GHSA-rhx6-c78j-4q9w"]);
    expect(open).toHaveLength(before.length - 1);
    expect(ids(open)).toContain("GHSA-9wv6-86v2-598j path-to-regexp@0.1.7");
    expect(ids(open)).toContain("GHSA-37ch-88jc-xwx2 path-to-regexp@0.1.7");
    expect(unused).toEqual([]);
  });

  test("an exception may name the CVE, may be narrowed to one package, and is reported when unused", () => {
    const byCve = { advisory: "CVE-2024-45590", reason: "fixture: by CVE id", reviewed };
    const otherPackage = {
      advisory: "GHSA-9wv6-86v2-598j",
      package: "express",
      reason: "fixture: narrowed to a package that is not affected",
      reviewed,
    };
    const stale = { advisory: "GHSA-0000-0000-0000", reason: "fixture: long fixed", reviewed };
    const { open, excepted, unused } = audit(oldExpress, [byCve, otherPackage, stale]);
    expect(excepted.map((e) => e.finding.name)).toEqual(["body-parser"]);
    expect(ids(open)).toContain("GHSA-9wv6-86v2-598j path-to-regexp@0.1.7");
    expect(unused).toEqual([otherPackage, stale]);
  });
});

describe("npm audit reports (online mode)", () => {
  test("advisories in the report become findings, with versions from the lockfile", () => {
    const report = {
      auditReportVersion: 2,
      vulnerabilities: {
        "path-to-regexp": {
          name: "path-to-regexp",
          severity: "high",
          via: [
            {
              source: 1101850,
              name: "path-to-regexp",
              title: "path-to-regexp outputs backtracking regular expressions",
              url: "https://github.com/advisories/GHSA-9wv6-86v2-598j",
              severity: "high",
              range: "<0.1.10",
            },
          ],
          nodes: ["node_modules/path-to-regexp"],
        },
        express: { name: "express", severity: "high", via: ["path-to-regexp"], nodes: [] },
      },
    };
    expect(isNpmAuditReport(report)).toBe(true);
    expect(isNpmAuditReport({ message: "405 Method Not Allowed", statusCode: 405 })).toBe(false);
    const findings = findingsFromNpmAudit(report, oldExpress);
    expect(ids(findings)).toEqual(["GHSA-9wv6-86v2-598j path-to-regexp@0.1.7"]);
    const exception = {
      advisory: "GHSA-9wv6-86v2-598j",
      reason: "fixture: explained",
      reviewed: "2026-11-27",
    };
    expect(applyExceptions(findings, [exception]).open).toEqual([]);
  });
});

describe("this repository", () => {
  test("package-lock.json has no unexplained high or critical finding", () => {
    const lock = parseLockfile(readFileSync(repo("package-lock.json"), "utf8"));
    const exceptions = validateExceptions(readJson("security/audit-exceptions.json"));
    const production = selectProductionPackages(lock);
    expect(production.length).toBeGreaterThan(250);
    const { open } = audit(lock, exceptions);
    expect(ids(open.filter(isBlocking))).toEqual([]);
  });
});
