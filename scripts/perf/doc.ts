// Rewrites one generated section of docs/performance.md, between
// `<!-- NAME:results:start -->` and `<!-- NAME:results:end -->`, keeping the hand-written text
// around it (as scripts/bench/run.ts does for the benchmark's section).
import fs from "node:fs";
import path from "node:path";

export const DOC = path.resolve(import.meta.dirname, "../../docs/performance.md");

/**
 * `section` must start and end with the markers. When the doc has no such section yet, it is
 * appended under `heading`.
 */
export async function replaceDocSection(name: string, section: string, heading: string) {
  const start = `<!-- ${name}:results:start -->`;
  const end = `<!-- ${name}:results:end -->`;
  const existing = fs.existsSync(DOC) ? fs.readFileSync(DOC, "utf8") : "# Performance\n";
  const from = existing.indexOf(start);
  const to = existing.indexOf(end);
  const next =
    from >= 0 && to > from
      ? existing.slice(0, from) + section + existing.slice(to + end.length)
      : `${existing.trimEnd()}\n\n${heading}\n\n${section}\n`;
  // Formatted as `npm run lint` expects (it checks docs too).
  const prettier = await import("prettier");
  const options = (await prettier.resolveConfig(DOC)) ?? {};
  fs.writeFileSync(DOC, await prettier.format(next, { ...options, filepath: DOC }));
}
