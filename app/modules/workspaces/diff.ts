import { diffLines } from "diff";

const withFinalNewline = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);

export type DiffLine = { kind: "added" | "removed" | "same" | "skipped"; text: string };

/**
 * A line diff between two versions of a page, for reading: unchanged stretches longer than
 * 2 × `context` lines are folded into one "skipped" line that says how many lines it hides.
 */
export function pageDiff(before: string, after: string, context = 3): DiffLine[] {
  const lines: DiffLine[] = [];
  // Bodies are stored trimmed; a final newline on both keeps an unchanged last line unchanged.
  for (const part of diffLines(withFinalNewline(before), withFinalNewline(after))) {
    const kind = part.added ? "added" : part.removed ? "removed" : "same";
    const text = part.value.endsWith("\n") ? part.value.slice(0, -1) : part.value;
    for (const line of text.split("\n")) lines.push({ kind, text: line });
  }
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
