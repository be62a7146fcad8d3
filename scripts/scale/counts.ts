// How much the scale generator makes: issue 9's figures at --scale 1, every one multiplied by F at
// --scale F (rounded, at least 1), so tests can run the same code on a hundredth of the data.

export const FULL_COUNTS = {
  /** Generated directory people (users, passwords, profiles), beside the demo seed's 99. */
  people: 20_000,
  postings: 1_000,
  applications: 30_000,
  placements: 2_000,
  workspaces: 300,
  pageVersions: 20_000,
  tasks: 10_000,
  auditEvents: 200_000,
  notifications: 50_000,
} as const;

export type Counts = { -readonly [K in keyof typeof FULL_COUNTS]: number };

export function scaledCounts(scale: number): Counts {
  if (!(scale > 0) || scale > 10) throw new Error(`--scale must be above 0 and at most 10.`);
  const out = {} as Counts;
  for (const [key, n] of Object.entries(FULL_COUNTS) as [keyof Counts, number][]) {
    out[key] = Math.max(1, Math.round(n * scale));
  }
  // Every application stage needs a few applications; every workspace a page.
  out.applications = Math.max(out.applications, 60);
  out.postings = Math.max(out.postings, 5);
  out.placements = Math.min(out.placements, Math.floor(out.applications / 5));
  out.workspaces = Math.max(out.workspaces, 2);
  out.pageVersions = Math.max(out.pageVersions, 60);
  return out;
}

/** The value of `--scale F` (or `--scale=F`), if given. */
export function scaleArgument(argv: readonly string[]): number | undefined {
  const i = argv.findIndex((a) => a === "--scale" || a.startsWith("--scale="));
  if (i === -1) return undefined;
  const arg = argv[i]!;
  const raw = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[i + 1];
  const n = Number(raw);
  if (!raw || !Number.isFinite(n) || n <= 0 || n > 10) {
    throw new Error(
      `--scale needs a number above 0 and at most 10 (e.g. 0.01), not "${raw ?? ""}".`,
    );
  }
  return n;
}
