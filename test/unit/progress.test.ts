import { describe, expect, it } from "vitest";
import { formatDuration, progress, progressLine } from "../../scripts/lib/progress";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return {
    writes,
    stream: { isTTY, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream,
  };
}

describe("progress bar", () => {
  it("shows share, counts and time left", () => {
    const line = progressLine("Users", 5_000, 20_000, 10, "rows");
    expect(line).toContain(" 25% 5,000/20,000 rows");
    expect(line).toContain("30 s left");
    expect(line.match(/█/g)).toHaveLength(6);
    expect(progressLine("Users", 20_000, 20_000, 75)).toContain("100% 20,000/20,000 · 1 min 15 s");
  });

  it("formats durations", () => {
    expect(formatDuration(4.25)).toBe("4.3 s");
    expect(formatDuration(42.4)).toBe("42 s");
    expect(formatDuration(125)).toBe("2 min 05 s");
    expect(formatDuration(NaN)).toBe("–");
  });

  it("prints a line per tenth when the output is not a terminal", () => {
    let t = 0;
    const { writes, stream } = fakeStream(false);
    const bar = progress({ label: "Rows", total: 100, stream, now: () => t });
    for (let i = 0; i < 100; i++) {
      t += 10;
      bar.tick();
    }
    bar.done("ok");
    // 0%, then 10% … 90%, then the finished line (once, with the note).
    expect(writes).toHaveLength(11);
    expect(writes.filter((w) => w.includes("100%"))).toHaveLength(1);
    expect(writes.every((w) => w.endsWith("\n") && !w.includes("\r"))).toBe(true);
    expect(writes.at(-1)).toContain("100% 100/100 · 1.0 s · ok");
  });

  it("redraws one line in place on a terminal, at most every everyMs", () => {
    let t = 0;
    const { writes, stream } = fakeStream(true);
    const bar = progress({ label: "Rows", total: 1000, stream, now: () => t, everyMs: 100 });
    for (let i = 0; i < 1000; i++) {
      t += 1;
      bar.tick();
    }
    bar.done();
    expect(writes.every((w) => w.startsWith("\r"))).toBe(true);
    expect(writes.length).toBeGreaterThan(5);
    expect(writes.length).toBeLessThan(20);
    expect(writes.at(-1)?.endsWith("100% 1,000/1,000 · 1.0 s\u001b[K\n")).toBe(true);
  });
});
