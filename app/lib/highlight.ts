// ts_headline marks matches with these two characters (unlikely in text); the runs they delimit
// are rendered as text in <mark>, never as HTML, so a headline cannot inject markup.
export const MARK_START = "\u27E6";
export const MARK_END = "\u27E7";

/** ts_headline options marking matches with MARK_START and MARK_END. */
export const headlineOptions = (minWords: number) =>
  `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=${minWords}, MaxFragments=2, FragmentDelimiter=" … "`;

/** Splits ts_headline output into plain and highlighted runs (rendered as text, never as HTML). */
export function splitMarks(headline: string): { text: string; mark: boolean }[] {
  const parts: { text: string; mark: boolean }[] = [];
  let rest = headline;
  while (rest.length) {
    const start = rest.indexOf(MARK_START);
    if (start < 0) {
      parts.push({ text: rest, mark: false });
      break;
    }
    if (start > 0) parts.push({ text: rest.slice(0, start), mark: false });
    const end = rest.indexOf(MARK_END, start);
    const stop = end < 0 ? rest.length : end;
    parts.push({ text: rest.slice(start + 1, stop), mark: true });
    rest = end < 0 ? "" : rest.slice(end + 1);
  }
  return parts.filter((p) => p.text.length > 0);
}
