// What every phase of the scale generator is given.
import { progress, type Progress } from "../lib/progress";
import type { Counts } from "./counts";
import { demoPeople, type People } from "./people";
import type { Tx } from "./sql";

export type Phase = {
  tx: Tx;
  /** The instant the generated history runs up to. */
  now: Date;
  counts: Counts;
  people: People;
  demo: ReturnType<typeof demoPeople>;
  /** Expertise areas: id and name. */
  areas: { id: string; name: string }[];
  /** A progress bar for one part of the phase (scripts/lib/progress.ts). */
  bar: (label: string, total: number, unit?: string) => Progress;
};

export function barFactory(stream: NodeJS.WriteStream | undefined) {
  return (label: string, total: number, unit = "rows") =>
    progress({ label: label.padEnd(14), total, unit, ...(stream ? { stream } : {}) });
}
