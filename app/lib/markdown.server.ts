import { micromark } from "micromark";

/**
 * Markdown from users (bios, pages) to HTML that is safe to insert: micromark escapes any raw HTML
 * in the source and drops link/image URLs with unsafe protocols (javascript:, data:, vbscript:).
 */
export function renderMarkdown(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: false, allowDangerousProtocol: false });
}
