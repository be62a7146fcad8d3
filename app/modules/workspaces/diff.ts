export type DiffLine = { kind: "added" | "removed" | "same" | "skipped"; text: string };

/**
 * The most work one comparison may do (steps as counted by `lineEdits`), so that no page, however
 * large or rewritten, holds the server for long: about 10 ms. Within it fit a complete rewrite of
 * a page of up to about 700 lines and an edit of up to about 1,400 lines in a page of any allowed
 * size; beyond it the reader gets both versions instead of a line-by-line comparison.
 */
export const MAX_DIFF_STEPS = 1_000_000;

/** Counts the steps a comparison takes, for tests that check the bound. */
export type StepMeter = { steps: number };

type Edit = "same" | "added" | "removed";

/** No path reaches this diagonal inside the grid. */
const NONE = -1;

/**
 * Where a path on diagonal k (x - y = k) comes from, given the furthest x reached one edit earlier
 * on diagonal k + 1 (`above`) and k - 1 (`left`): +1 for a line added (one step down from
 * above), -1 for a line removed (one step right from the left), 0 when neither move stays inside
 * the n × m grid. Of two, the one reaching further; on a tie, down.
 */
function origin(above: number, left: number, k: number, n: number, m: number) {
  const down = above !== NONE && above - k <= m ? above : NONE;
  const right = left !== NONE && left < n ? left + 1 : NONE;
  if (down === NONE && right === NONE) return 0;
  return down >= right ? 1 : -1;
}

/**
 * The shortest edit script from `a` to `b` (Myers, "An O(ND) difference algorithm", 1986), or
 * null when finding it would take more than `budget` steps. A step is one diagonal visited or one
 * pair of lines compared, so the work is at most `budget`, whatever the input; the furthest points
 * kept for tracing back the path number fewer than the steps.
 */
function shortestEdits(a: Int32Array, b: Int32Array, budget: number, meter: StepMeter) {
  const n = a.length;
  const m = b.length;
  const offset = n + m + 1;
  const v = new Int32Array(2 * offset + 1).fill(NONE);
  const trace: Int32Array[] = [];
  const limit = meter.steps + budget;
  for (let d = 0; d <= n + m; d++) {
    for (let k = -d; k <= d; k += 2) {
      if (++meter.steps > limit) return null;
      let x: number;
      if (d === 0) x = 0;
      else {
        const from = origin(v[offset + k + 1]!, v[offset + k - 1]!, k, n, m);
        if (from === 0) {
          v[offset + k] = NONE;
          continue;
        }
        x = from === 1 ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      }
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        if (++meter.steps > limit) return null;
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x === n && y === m) {
        trace.push(v.slice(offset - d, offset + d + 1));
        return traceBack(trace, n, m);
      }
    }
    trace.push(v.slice(offset - d, offset + d + 1));
  }
  return null;
}

/** The edits along the path found, from the furthest points of each round. */
function traceBack(trace: Int32Array[], n: number, m: number): Edit[] {
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const round = trace[d - 1]!;
    const prev = (k: number) => (Math.abs(k) <= d - 1 ? round[k + d - 1]! : NONE);
    const k = x - y;
    const from = origin(prev(k + 1), prev(k - 1), k, n, m);
    const prevX = prev(k + from);
    const afterEdit = from === 1 ? prevX : prevX + 1;
    for (; x > afterEdit; x--, y--) edits.push("same");
    edits.push(from === 1 ? "added" : "removed");
    x = prevX;
    y = prevX - (k + from);
  }
  for (; x > 0; x--) edits.push("same");
  return edits.reverse();
}

/**
 * A lower bound on the edits from `a` to `b`: every line of either that the other lacks (counting
 * repeats) must be removed or added. Lines are numbered below `distinct`.
 */
function fewestEdits(a: Int32Array, b: Int32Array, distinct: number, meter: StepMeter) {
  const balance = new Int32Array(distinct);
  for (const id of a) balance[id] = balance[id]! + 1;
  for (const id of b) balance[id] = balance[id]! - 1;
  meter.steps += a.length + b.length + distinct;
  let edits = 0;
  for (const surplus of balance) edits += Math.abs(surplus);
  return edits;
}

/** The steps shortestEdits takes at least to find a path of `d` edits: the diagonals it visits. */
const searchCost = (d: number) => ((d + 1) * (d + 2)) / 2;

/**
 * The lines of `before` and `after` marked same, removed or added, or null when the two are too
 * different to compare within `budget` steps. Lines are numbered first, so that comparing two
 * costs the same however long they are; a common start and end are matched in one pass.
 */
export function lineEdits(
  before: string[],
  after: string[],
  { budget = MAX_DIFF_STEPS, meter = { steps: 0 } }: { budget?: number; meter?: StepMeter } = {},
): { kind: Edit; text: string }[] | null {
  const ids = new Map<string, number>();
  const idOf = (line: string) => {
    meter.steps++;
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const a = Int32Array.from(before, idOf);
  const b = Int32Array.from(after, idOf);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  meter.steps += head + tail + 2;
  const restA = a.subarray(head, a.length - tail);
  const restB = b.subarray(head, b.length - tail);
  const middle =
    searchCost(fewestEdits(restA, restB, ids.size, meter)) > budget
      ? null
      : shortestEdits(restA, restB, budget, meter);
  if (!middle) return null;
  const out: { kind: Edit; text: string }[] = [];
  for (let i = 0; i < head; i++) out.push({ kind: "same", text: before[i]! });
  let i = head;
  let j = head;
  for (const edit of middle) {
    if (edit === "added") out.push({ kind: edit, text: after[j++]! });
    else if (edit === "removed") out.push({ kind: edit, text: before[i++]! });
    else {
      out.push({ kind: edit, text: before[i++]! });
      j++;
    }
  }
  for (; i < before.length; i++) out.push({ kind: "same", text: before[i]! });
  return out;
}

/** A page body as lines: an empty body has none, and a final newline ends the last line. */
function linesOf(text: string) {
  const normal = text.replace(/\r\n?/g, "\n");
  return normal === "" ? [] : normal.replace(/\n$/, "").split("\n");
}

/**
 * A line diff between two versions of a page, for reading: unchanged stretches longer than
 * 2 × `context` lines are folded into one "skipped" line that says how many lines it hides. Null
 * when the versions are too different to compare line by line (see MAX_DIFF_STEPS).
 */
export function pageDiff(
  before: string,
  after: string,
  context = 3,
  options: { budget?: number; meter?: StepMeter } = {},
): DiffLine[] | null {
  const lines = lineEdits(linesOf(before), linesOf(after), options);
  if (!lines) return null;
  const out: DiffLine[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i]!.kind !== "same") {
      out.push(lines[i++]!);
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j]!.kind === "same") j++;
    const run = lines.slice(i, j);
    const keepHead = i === 0 ? 0 : context;
    const keepTail = j === lines.length ? 0 : context;
    if (run.length > keepHead + keepTail + 1) {
      out.push(...run.slice(0, keepHead));
      const hidden = run.length - keepHead - keepTail;
      out.push({ kind: "skipped", text: `${hidden} unchanged line${hidden === 1 ? "" : "s"}` });
      out.push(...run.slice(run.length - keepTail));
    } else out.push(...run);
    i = j;
  }
  return out;
}
