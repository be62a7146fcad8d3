/**
 * Which parts of a markdown document are safe to hand to micromark. micromark's work grows with
 * the square of some counts: emphasis delimiters (`*`, `_`) and link brackets (`[`, `]`) inside
 * one block of text (a run of lines with no blank line between them); and, for each line that
 * opens a nested list or quote or continues a paragraph lazily inside one, with the length of
 * what came before it (micromark walks back over its events at each such line). Blocks past the
 * limits below are shown as plain text instead, so no document up to the page size limit buys
 * more than a bounded amount of work, and a document within them is handed to micromark whole
 * and renders exactly as before. `scripts/perf/markdown-worst-case.ts` measures the cost.
 */
export const MARKDOWN_BLOCK_LIMITS = {
  /** Unescaped `*` and `_` characters in one block. */
  emphasis: 150,
  /** Unescaped `[` and `]` characters in one block. */
  brackets: 300,
  /** Block quote and list markers at the start of one line. */
  containers: 8,
  /**
   * For the whole document, the sum over nested lines of their offset in the document, plus the
   * sum over lazy lines of their offset in their block: the walk-back work micromark may do.
   */
  walkBack: 4_000_000,
} as const;

export type MarkdownSegment = { plain: boolean; text: string };

/** Lines with their own line ending kept, so that joining them gives back the input. */
function linesOf(source: string): string[] {
  return source.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

const isBlank = (line: string) => /^[ \t]*(?:\r\n|\r|\n)?$/.test(line);
const THEMATIC_BREAK = /^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*(?:\r\n|\r|\n)?$/;

/** Markers that open or continue a block quote or list item at the start of `line`. */
export function containerMarkers(line: string): number {
  if (THEMATIC_BREAK.test(line)) return 0;
  let count = 0;
  let i = 0;
  for (;;) {
    while (line[i] === " " || line[i] === "\t") i++;
    const afterMarker = (end: number) => end >= line.length || /[ \t\r\n]/.test(line[end]!);
    if (line[i] === ">") {
      i++;
    } else if ((line[i] === "-" || line[i] === "+" || line[i] === "*") && afterMarker(i + 1)) {
      i++;
    } else {
      const ordinal = /^\d{1,9}[.)]/.exec(line.slice(i, i + 11));
      if (!ordinal || !afterMarker(i + ordinal[0].length)) return count;
      i += ordinal[0].length;
    }
    count++;
  }
}

/** Counts of the characters that cost micromark most, skipping backslash-escaped ones. */
function delimiters(line: string) {
  let emphasis = 0;
  let brackets = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\") i++;
    else if (c === "*" || c === "_") emphasis++;
    else if (c === "[" || c === "]") brackets++;
  }
  return { emphasis, brackets };
}

const LEADING_INDENT = /^[ \t]*/;

/**
 * What one block (lines with no blank line between them, starting `offset` characters into the
 * document) costs: whether it is within the per-block limits, and its walk-back work.
 */
export function blockCost(block: string[], offset: number) {
  const limits = MARKDOWN_BLOCK_LIMITS;
  let emphasis = 0;
  let brackets = 0;
  let walkBack = 0;
  let withinBlock = 0;
  // A block that starts indented may be inside a list item opened before a blank line.
  let inContainer = LEADING_INDENT.exec(block[0] ?? "")![0].length > 0;
  for (const line of block) {
    const markers = containerMarkers(line);
    if (markers > limits.containers) return { withinLimits: false, walkBack };
    const indented = LEADING_INDENT.exec(line)![0].length > 0;
    if (markers > 1 || (markers === 1 && indented)) walkBack += offset + withinBlock;
    else if (markers === 0 && inContainer) walkBack += withinBlock;
    if (markers > 0) inContainer = true;
    const counts = delimiters(line);
    emphasis += counts.emphasis;
    brackets += counts.brackets;
    withinBlock += line.length;
  }
  return {
    withinLimits: emphasis <= limits.emphasis && brackets <= limits.brackets,
    walkBack,
  };
}

/** The blocks of `source` with their offsets: runs of non-blank lines, each line with its ending. */
export function blocksOf(source: string): { lines: string[]; offset: number }[] {
  const blocks: { lines: string[]; offset: number }[] = [];
  let offset = 0;
  let current: string[] = [];
  let start = 0;
  for (const line of linesOf(source)) {
    if (isBlank(line)) {
      if (current.length) blocks.push({ lines: current, offset: start });
      current = [];
    } else {
      if (!current.length) start = offset;
      current.push(line);
    }
    offset += line.length;
  }
  if (current.length) blocks.push({ lines: current, offset: start });
  return blocks;
}

/** A fence that opens fenced code: three or more backticks (no backtick after) or tildes. */
const FENCE_OPEN = /^(`{3,})[^`\r\n]*(?:\r\n|\r|\n)?$|^(~{3,})/;

/** Whether `line` closes a fence opened by `fence`; as lenient as micromark or more so. */
function closesFence(line: string, fence: string): boolean {
  const match = /^[ \t]{0,3}(`{3,}|~{3,})[ \t]*(?:\r\n|\r|\n)?$/.exec(line);
  return !!match && match[1]![0] === fence[0] && match[1]!.length >= fence.length;
}

/**
 * `source` cut into the parts micromark may render and the blocks to show as plain text. A
 * document within the limits comes back as one markdown segment holding the whole input.
 *
 * Fenced code is literal text to micromark, so its lines are not counted and never fall back: a
 * code listing full of `_` stays a listing. Only fences micromark certainly opens at the top level
 * are recognised: unindented, after a blank line or at the start, in a document with no raw HTML
 * (an HTML block can run past blank lines and hide a fence from micromark). Any other fence is
 * counted like text, which can only cost it its formatting.
 */
export function markdownSegments(source: string): MarkdownSegment[] {
  const segments: MarkdownSegment[] = [];
  const fencesTrusted = !/^ {0,3}</m.test(source);
  let markdown = "";
  let walkBack = 0;
  let offset = 0;
  let block: string[] = [];
  let blockOffset = 0;
  let fence: string | null = null;
  let atTopLevel = true;
  const endBlock = () => {
    if (!block.length) return;
    const cost = blockCost(block, blockOffset);
    if (cost.withinLimits && walkBack + cost.walkBack <= MARKDOWN_BLOCK_LIMITS.walkBack) {
      walkBack += cost.walkBack;
      markdown += block.join("");
    } else {
      if (markdown) segments.push({ plain: false, text: markdown });
      markdown = "";
      segments.push({ plain: true, text: block.join("") });
    }
    block = [];
  };
  for (const line of linesOf(source)) {
    offset += line.length;
    if (fence) {
      markdown += line;
      if (closesFence(line, fence)) {
        fence = null;
        atTopLevel = true;
      }
      continue;
    }
    const opens = fencesTrusted && atTopLevel ? FENCE_OPEN.exec(line) : null;
    if (opens) {
      markdown += line;
      fence = opens[1] ?? opens[2]!;
    } else if (isBlank(line)) {
      endBlock();
      markdown += line;
      atTopLevel = true;
    } else {
      if (!block.length) blockOffset = offset - line.length;
      block.push(line);
      atTopLevel = false;
    }
  }
  endBlock();
  if (markdown || !segments.length) segments.push({ plain: false, text: markdown });
  return segments;
}
