import { describe, expect, test } from "vitest";
import { expectInertHtml, XSS_PAYLOADS } from "#test/fixtures/xss";
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

test.each(XSS_PAYLOADS)("no script survives: %s", (payload) => {
  expectInertHtml(renderMarkdown(payload));
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

test("bidirectional overrides stored in markdown do not reach the page", () => {
  const html = renderMarkdown("See invoice\u202Egpj.exe and \u2066this\u2069 **\u202Dnow**");
  expect(html).toBe("<p>See invoicegpj.exe and this <strong>now</strong></p>");
});
