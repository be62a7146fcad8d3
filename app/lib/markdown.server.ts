import { micromark } from "micromark";
import { markdownSegments } from "./markdown-bounds";
import { withoutBidiControls } from "./validation";

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * Markdown from users (bios, pages) to HTML that is safe to insert: micromark escapes any raw HTML
 * in the source and drops link/image URLs with unsafe protocols (javascript:, data:, vbscript:).
 * Bidirectional overrides are dropped, so text stored before input dropped them cannot reorder it.
 * A block that would cost micromark more than a bounded amount of work (`markdown-bounds.ts`) is
 * shown as an escaped plain-text paragraph instead.
 *
 * `topHeading` is the level a "#" heading becomes, so a document shown under the page's own h1
 * (and section h2s) keeps one h1 per page and an unbroken outline. Every <hN> in micromark's
 * output is a markdown heading (raw HTML is escaped), so shifting them is safe.
 */
export function renderMarkdown(markdown: string, { topHeading = 1 } = {}): string {
  const html = markdownSegments(withoutBidiControls(markdown))
    .map(({ plain, text }) =>
      plain
        ? `<p>${escapeHtml(text.trim())}</p>`
        : micromark(text, { allowDangerousHtml: false, allowDangerousProtocol: false }),
    )
    .filter(Boolean)
    .join("\n");
  const shift = topHeading - 1;
  if (shift <= 0) return html;
  return html.replace(
    /<(\/?)h([1-6])>/g,
    (_, slash: string, level: string) => `<${slash}h${Math.min(6, Number(level) + shift)}>`,
  );
}
