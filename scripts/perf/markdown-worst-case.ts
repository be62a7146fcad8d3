// Render time of the worst markdown we know of, at 12.5k to 100k characters (the page size limit).
//   npx tsx scripts/perf/markdown-worst-case.ts           renderMarkdown (bounded)
//   npx tsx scripts/perf/markdown-worst-case.ts --before  micromark alone, as rendering was
// Families marked "at limit" are built from blocks just inside MARKDOWN_BLOCK_LIMITS, so they are
// the most work the bounded renderer still hands to micromark. With --before, a family stops once
// one size takes over 10 s (the next would take four times as long).
import { micromark } from "micromark";
import { MARKDOWN_BLOCK_LIMITS as LIMITS } from "~/lib/markdown-bounds";
import { renderMarkdown } from "~/lib/markdown.server";

const SIZES = [12_500, 25_000, 50_000, 100_000];

/** `unit` repeated to `size` characters. */
const fill = (unit: string, size: number) => unit.repeat(Math.floor(size / unit.length));

/** Blocks of `unit` repeated `times`, separated by blank lines, to `size` characters. */
const blocks = (unit: string, times: number, size: number) =>
  fill(unit.repeat(times) + "\n\n", size);

const FAMILIES: Record<string, (size: number) => string> = {
  "baseline: prose": (n) => blocks("Some words of a *page* with a [link](/x). ", 6, n),
  "baseline: tight list": (n) => fill("- an item\n", n),
  "link openers [a](": (n) => fill("[a](", n),
  "labels [a]": (n) => fill("[a]", n),
  "emphasis **_": (n) => fill("**_", n),
  "emphasis *_": (n) => fill("*_", n),
  "lazy lines in a list item": (n) => "- a\n" + fill("b\n", n - 4),
  "lazy lines in a quote": (n) => "> a\n" + fill("b\n", n - 4),
  "nested lists - - -": (n) => fill("- ", n) + "a",
  "nested lists 1. 1. 1.": (n) => fill("1. ", n) + "a",
  "nested quotes > > >": (n) => fill("> ", n) + "a",
  "at limit: emphasis *_": (n) => blocks("*_", LIMITS.emphasis / 2, n),
  "at limit: link openers [a](": (n) => blocks("[a](", LIMITS.brackets, n),
  "lazy lines, blocks of 50": (n) => blocks("- a\n" + "b\n".repeat(50), 1, n),
  "nested list items": (n) => fill("- a\n  - b\n", n),
  "at limit: nested lists": (n) => blocks("1. ".repeat(LIMITS.containers) + "a\n", 100, n),
};

const before = process.argv.includes("--before");
const render = before ? (s: string) => micromark(s) : (s: string) => renderMarkdown(s);
console.log(before ? "micromark alone (before)" : "renderMarkdown (after)");
console.log(["family".padEnd(30), ...SIZES.map((s) => `${s / 1000}k`.padStart(10))].join(""));
for (const [name, make] of Object.entries(FAMILIES)) {
  const cells: string[] = [];
  for (const size of SIZES) {
    if (cells.some((cell) => cell.startsWith(">"))) {
      cells.push("skipped");
      continue;
    }
    const source = make(size);
    const start = performance.now();
    render(source);
    const ms = performance.now() - start;
    cells.push(ms > 10_000 ? `>${(ms / 1000).toFixed(0)} s` : `${ms.toFixed(0)} ms`);
  }
  console.log([name.padEnd(30), ...cells.map((c) => c.padStart(10))].join(""));
}
