import { describe, expect, test } from "vitest";
import { lineEdits, MAX_DIFF_STEPS, pageDiff, type StepMeter } from "~/modules/workspaces/diff";
import { PAGE_BODY_MAX } from "~/modules/workspaces/schema";

// The line comparison behind page history and stale saves: correct on small cases, and bounded in
// the work it does on any input (counted in steps, so the test does not depend on the machine).

const edits = (before: string[], after: string[]) =>
  lineEdits(before, after)?.map(
    (l) => `${l.kind === "same" ? " " : l.kind === "added" ? "+" : "-"}${l.text}`,
  );

/** Length of a longest common subsequence, by the textbook table (small inputs only). */
function lcs(a: string[], b: string[]) {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** A small deterministic generator (mulberry32), so that the random cases are the same each run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("line edits on small cases", () => {
  test("empty, identical and one-sided texts", () => {
    expect(edits([], [])).toEqual([]);
    expect(edits([], ["a", "b"])).toEqual(["+a", "+b"]);
    expect(edits(["a", "b"], [])).toEqual(["-a", "-b"]);
    expect(edits(["a", "b", "c"], ["a", "b", "c"])).toEqual([" a", " b", " c"]);
  });

  test("insertions and deletions at either end", () => {
    expect(edits(["b", "c"], ["a", "b", "c"])).toEqual(["+a", " b", " c"]);
    expect(edits(["a", "b"], ["a", "b", "c"])).toEqual([" a", " b", "+c"]);
    expect(edits(["a", "b", "c"], ["b", "c"])).toEqual(["-a", " b", " c"]);
    expect(edits(["a", "b", "c"], ["a", "b"])).toEqual([" a", " b", "-c"]);
  });

  test("a replaced line reads as removed then added", () => {
    expect(edits(["a", "b", "c"], ["a", "B", "c"])).toEqual([" a", "-b", "+B", " c"]);
    expect(edits(["x"], ["y"])).toEqual(["-x", "+y"]);
  });

  test("a moved line is one removal and one addition", () => {
    expect(edits(["a", "b", "c", "d"], ["b", "c", "d", "a"])).toEqual([
      "-a",
      " b",
      " c",
      " d",
      "+a",
    ]);
  });

  test("on random texts, the edits rebuild both versions and are as few as possible", () => {
    const next = random(27);
    const text = (length: number) =>
      Array.from({ length }, () => "abcd".charAt(Math.floor(next() * 4)));
    for (let round = 0; round < 500; round++) {
      const a = text(Math.floor(next() * 12));
      const b = text(Math.floor(next() * 12));
      const result = lineEdits(a, b)!;
      expect(result.filter((l) => l.kind !== "added").map((l) => l.text)).toEqual(a);
      expect(result.filter((l) => l.kind !== "removed").map((l) => l.text)).toEqual(b);
      const changed = result.filter((l) => l.kind !== "same").length;
      expect(changed, `${a.join("")} → ${b.join("")}`).toBe(a.length + b.length - 2 * lcs(a, b));
    }
  });

  test("page bodies: a final newline and Windows line ends change nothing", () => {
    expect(pageDiff("a\r\nb", "a\nb\n")).toEqual([{ kind: "skipped", text: "2 unchanged lines" }]);
    expect(pageDiff("", "")).toEqual([]);
    expect(pageDiff("", "new")).toEqual([{ kind: "added", text: "new" }]);
  });
});

describe("the work one comparison may do", () => {
  /** Steps for one comparison, and whether it gave a diff. */
  function measure(before: string[], after: string[], budget?: number) {
    const meter: StepMeter = { steps: 0 };
    const result = lineEdits(before, after, { meter, budget });
    return { steps: meter.steps, compared: result !== null };
  }
  /** The bound: a few passes over both texts, plus at most the budget. */
  const bound = (before: string[], after: string[], budget = MAX_DIFF_STEPS) =>
    5 * (before.length + after.length) + budget;

  // The worst cases for the search: nothing in common, and lines that almost line up.
  const distinct = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i}`);
  const interleaved = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 ? "x" : "y"));

  test.each([1_000, 6_000, PAGE_BODY_MAX / 2])(
    "two versions of %i lines with nothing in common stay within the bound",
    (n) => {
      const before = distinct(n, "a");
      const after = distinct(n, "b");
      const { steps } = measure(before, after);
      expect(steps).toBeGreaterThan(0);
      expect(steps).toBeLessThanOrEqual(bound(before, after));
    },
  );

  test("the largest page, one-character lines shifted by one, stays within the bound", () => {
    // 100,000 characters: 50,000 lines of one character each, every line different from the other
    // version's line at the same place.
    const before = interleaved(PAGE_BODY_MAX / 2);
    const after = ["z", ...interleaved(PAGE_BODY_MAX / 2 - 1).reverse()];
    const { steps } = measure(before, after);
    expect(steps).toBeLessThanOrEqual(bound(before, after));
  });

  test("the work grows at most linearly: ten times the lines, at most ten times the steps", () => {
    const budget = 50_000;
    const small = measure(distinct(2_000, "a"), distinct(2_000, "b"), budget).steps;
    const large = measure(distinct(20_000, "a"), distinct(20_000, "b"), budget).steps;
    expect(large).toBeLessThanOrEqual(10 * small);
  });

  test("versions with nothing in common are found too different in one pass, without a search", () => {
    const before = distinct(PAGE_BODY_MAX / 2, "a");
    const after = distinct(PAGE_BODY_MAX / 2, "b");
    const { steps, compared } = measure(before, after);
    expect(compared).toBe(false);
    expect(steps).toBeLessThanOrEqual(5 * (before.length + after.length));
  });

  test("the same lines in reverse order (the search's worst case) stop at the budget", () => {
    const before = distinct(PAGE_BODY_MAX / 10, "");
    const after = [...before].reverse();
    const { steps, compared } = measure(before, after);
    expect(compared).toBe(false);
    expect(steps).toBeGreaterThan(MAX_DIFF_STEPS);
    expect(steps).toBeLessThanOrEqual(bound(before, after));
  });

  test("past the budget the answer is 'too different', not a partial diff", () => {
    expect(measure(distinct(3_000, "a"), distinct(3_000, "b")).compared).toBe(false);
    expect(pageDiff(distinct(3_000, "a").join("\n"), distinct(3_000, "b").join("\n"))).toBeNull();
  });

  test("a few edits in the largest page still compare line by line", () => {
    const before = distinct(PAGE_BODY_MAX / 10, "");
    const after = [...before];
    for (let i = 100; i < after.length; i += 1_000) after[i] = `changed ${i}`;
    const { steps, compared } = measure(before, after);
    expect(compared).toBe(true);
    expect(steps).toBeLessThanOrEqual(bound(before, after));
  });

  test("a complete rewrite of an ordinary page still compares line by line", () => {
    const { compared } = measure(distinct(600, "old line "), distinct(600, "new line "));
    expect(compared).toBe(true);
  });
});
