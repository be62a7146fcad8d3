// The postings vocabulary and its wording, without zod: imported by the schemas in ./schema and by
// pages that only show these values (the postings list ships no validation library for them).

export const CLEARANCE_LEVELS = [
  "NONE",
  "BASELINE",
  "SECURITY_CHECK",
  "DEVELOPED_VETTING",
] as const;
export type ClearanceLevel = (typeof CLEARANCE_LEVELS)[number];
export const CLEARANCE_LABELS: Record<ClearanceLevel, string> = {
  NONE: "None required",
  BASELINE: "Baseline (UK BPSS / US Public Trust)",
  SECURITY_CHECK: "Security check (UK SC / US Secret)",
  DEVELOPED_VETTING: "Developed vetting (UK DV / US Top Secret)",
};

export const WORK_MODES = ["ON_SITE", "HYBRID", "REMOTE"] as const;
export type WorkMode = (typeof WORK_MODES)[number];
export const WORK_MODE_LABELS: Record<WorkMode, string> = {
  ON_SITE: "On site",
  HYBRID: "Hybrid",
  REMOTE: "Remote",
};

export const DURATIONS = ["short", "medium", "long"] as const;
export const DURATION_LABELS: Record<(typeof DURATIONS)[number], string> = {
  short: "Up to 3 months",
  medium: "4 to 6 months",
  long: "More than 6 months",
};
