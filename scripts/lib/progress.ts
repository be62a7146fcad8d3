// A terminal progress bar for long scripts (the scale generator, the benchmark). On a terminal it
// redraws one line in place; when the output is a file or a pipe (CI logs) it prints a plain line
// at each tenth of the way instead, so logs stay readable.

export type Progress = {
  /** Adds `n` (default 1) to the count done. */
  tick(n?: number): void;
  /** Sets the count done. */
  set(done: number): void;
  /** Finishes the bar with a summary line (the time taken, and `note` if given). */
  done(note?: string): void;
};

export type ProgressOptions = {
  label: string;
  total: number;
  /** What is counted, for the summary ("rows", "requests"). */
  unit?: string;
  stream?: NodeJS.WriteStream;
  /** Redraws at most this often on a terminal. */
  everyMs?: number;
  now?: () => number;
};

const WIDTH = 24;

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "–";
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return `${m} min ${String(s).padStart(2, "0")} s`;
}

/** The bar's text for `done` of `total` after `elapsed` seconds (exported for tests). */
export function progressLine(
  label: string,
  done: number,
  total: number,
  elapsed: number,
  unit = "",
): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * WIDTH);
  const bar = `${"█".repeat(filled)}${"░".repeat(WIDTH - filled)}`;
  const rate = elapsed > 0 ? done / elapsed : 0;
  const left = rate > 0 && done < total ? (total - done) / rate : NaN;
  const eta = done >= total ? formatDuration(elapsed) : `${formatDuration(left)} left`;
  const count = `${done.toLocaleString("en-GB")}/${total.toLocaleString("en-GB")}${unit ? ` ${unit}` : ""}`;
  return `${label} ${bar} ${String(Math.floor(share * 100)).padStart(3)}% ${count} · ${eta}`;
}

export function progress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stdout;
  const now = options.now ?? (() => performance.now());
  const everyMs = options.everyMs ?? 100;
  const interactive = Boolean(stream.isTTY);
  const started = now();
  let count = 0;
  let lastDraw = -Infinity;
  let lastTenth = -1;
  let finished = false;
  const elapsed = () => (now() - started) / 1000;

  const draw = (force = false) => {
    if (finished) return;
    const line = progressLine(options.label, count, options.total, elapsed(), options.unit);
    if (interactive) {
      const t = now();
      if (!force && t - lastDraw < everyMs) return;
      lastDraw = t;
      stream.write(`\r${line}\x1b[K`);
      return;
    }
    // The last tenth is left to done(), which prints the finished line once.
    const tenth = options.total > 0 ? Math.min(9, Math.floor((count / options.total) * 10)) : 0;
    if (tenth > lastTenth || force) {
      lastTenth = tenth;
      stream.write(`${line}\n`);
    }
  };

  draw(true);
  return {
    tick(n = 1) {
      count += n;
      draw();
    },
    set(value) {
      count = value;
      draw();
    },
    done(note) {
      if (finished) return;
      count = Math.max(count, options.total);
      const line = progressLine(options.label, count, options.total, elapsed(), options.unit);
      finished = true;
      stream.write(
        `${interactive ? "\r" : ""}${line}${note ? ` · ${note}` : ""}${interactive ? "\x1b[K" : ""}\n`,
      );
    },
  };
}
