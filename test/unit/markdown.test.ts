import { describe, expect, test } from "vitest";
import { renderMarkdown } from "~/lib/markdown.server";

test("markdown renders, and injected script or handlers come out inert", () => {
  expect(renderMarkdown("**Evaluations** lead")).toBe("<p><strong>Evaluations</strong> lead</p>");
  const hostile = renderMarkdown(
    '<script>alert(1)</script> <img src=x onerror="alert(1)"> [click](javascript:alert(1)) <a href="javascript:x">a</a>',
  );
  expect(hostile).not.toMatch(/<script/i);
  expect(hostile).not.toMatch(/<img/i);
  expect(hostile).not.toMatch(/href="javascript:/i);
  expect(hostile).not.toMatch(/<a href="javascript/i);
  expect(hostile).toContain("&lt;script&gt;");
  expect(renderMarkdown("[ok](https://example.org)")).toContain('href="https://example.org"');
});

// Known XSS vectors (after the OWASP filter-evasion cheat sheet): whatever the markdown, the HTML
// holds only the tags micromark itself writes, no event handler, and no script-capable URL.
const PAYLOADS = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
  '<img src=x onerror="alert(1)">',
  "<IMG SRC=JaVaScRiPt:alert('XSS')>",
  "<svg/onload=alert(1)>",
  "<body onload=alert(1)>",
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  "[x](javascript:alert(1))",
  "[x](JAVASCRIPT:alert(1))",
  "[x](  javascript:alert(1))",
  "[x](jav&#x61;script:alert(1))",
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "[x](vbscript:msgbox(1))",
  "![x](javascript:alert(1))",
  '![x](x" onerror="alert(1))',
  "[x]: javascript:alert(1)\n\n[link][x]",
  "<div style=\"background:url('javascript:alert(1)')\">x</div>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "<<script>script>alert(1)<</script>/script>",
  '"><script>alert(1)</script>',
  "`<script>alert(1)</script>`",
  "```\n<script>alert(1)</script>\n```",
  "<details open ontoggle=alert(1)>",
  '<a href="https://ok.example" onclick="alert(1)">x</a>',
];
const ALLOWED_TAGS = new Set([
  "p",
  "a",
  "img",
  "code",
  "pre",
  "em",
  "strong",
  "br",
  "ul",
  "ol",
  "li",
  "blockquote",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
]);

function decode(value: string) {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&colon;/gi, ":")
    .replace(/&amp;/g, "&");
}

test.each(PAYLOADS)("no script survives: %s", (payload) => {
  const html = renderMarkdown(payload);
  for (const [, tag, attrs] of html.matchAll(/<\/?([a-zA-Z0-9]+)([^>]*)>/g)) {
    expect(ALLOWED_TAGS.has(tag!.toLowerCase()), `tag <${tag}> in ${html}`).toBe(true);
    for (const [, name, value] of attrs!.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)) {
      expect(name!.toLowerCase().startsWith("on"), `handler ${name} in ${html}`).toBe(false);
      expect(["href", "src", "alt", "title", "class"]).toContain(name!.toLowerCase());
      const url = decode(value!)
        // eslint-disable-next-line no-control-regex -- browsers ignore these inside a scheme
        .replace(/[\s\u0000-\u001f]/g, "")
        .toLowerCase();
      expect(url, `${name}=${value} in ${html}`).not.toMatch(/^(javascript|vbscript|data):/);
    }
  }
});

describe("headings under a page's own title", () => {
  test("a document's # becomes the level asked for, and no level goes past h6", () => {
    const html = renderMarkdown("# Top\n\n## Second\n\n###### Sixth", { topHeading: 2 });
    expect(html).toContain("<h2>Top</h2>");
    expect(html).toContain("<h3>Second</h3>");
    expect(html).toContain("<h6>Sixth</h6>");
    expect(html).not.toContain("<h1>");
  });

  test("heading-like text the author typed as HTML stays escaped", () => {
    const html = renderMarkdown("<h1>raw</h1>", { topHeading: 2 });
    expect(html).toContain("&lt;h1&gt;raw&lt;/h1&gt;");
  });
});
