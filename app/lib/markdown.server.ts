import { micromark } from "micromark";
import { withoutBidiControls } from "./validation";

/**
 * Markdown from users (bios, pages) to HTML that is safe to insert: micromark escapes any raw HTML
 * in the source and drops link/image URLs with unsafe protocols (javascript:, data:, vbscript:).
 * Bidirectional overrides are dropped, so text stored before input dropped them cannot reorder it.
 *
 * `topHeading` is the level a "#" heading becomes, so a document shown under the page's own h1
 * (and section h2s) keeps one h1 per page and an unbroken outline. Every <hN> in micromark's
 * output is a markdown heading (raw HTML is escaped), so shifting them is safe.
 */
export function renderMarkdown(markdown: string, { topHeading = 1 } = {}): string {
  const html = micromark(withoutBidiControls(markdown), {
    allowDangerousHtml: false,
    allowDangerousProtocol: false,
  });
  const shift = topHeading - 1;
  if (shift <= 0) return html;
  return html.replace(
    /<(\/?)h([1-6])>/g,
    (_, slash: string, level: string) => `<${slash}h${Math.min(6, Number(level) + shift)}>`,
  );
}
