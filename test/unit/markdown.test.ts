import { micromark } from "micromark";
import { describe, expect, test } from "vitest";
import { expectInertHtml, XSS_PAYLOADS } from "#test/fixtures/xss";
import {
  blockCost,
  blocksOf,
  MARKDOWN_BLOCK_LIMITS,
  markdownSegments,
} from "~/lib/markdown-bounds";
import { renderMarkdown } from "~/lib/markdown.server";
import { PAGE_BODY_MAX } from "~/modules/workspaces/schema";

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

describe("bounded work on hostile markdown", () => {
  const realistic = [
    "# Secondment plan\n\nWelcome to the **evaluations** team. See [the handbook](https://example.org/handbook) and _ask_ if unsure.\n\n## Weeks\n\n1. Induction\n2. Shadowing\n   - with `red-team` leads\n   - **pairing** on [evals][e]\n3. Own project\n\n> Note: keep *all* notes in the workspace.\n\n```ts\nconst x = a_b * c_d;\n```\n\n[e]: https://example.org/evals\n",
    "Line one\r\nline two with ![logo](https://example.org/l.png)\r\n\r\n- a\r\n- b\r\n\r\n---\r\n\r\n    indented code\r\n",
    "| not | a table |\n| --- | --- |\n| in | commonmark |\n\n* item *one*\n* item __two__\n\n<https://example.org> and \\*escaped\\*",
  ];

  test.each(realistic)("a normal document renders exactly as micromark renders it: %#", (doc) => {
    expect(markdownSegments(doc)).toEqual([{ plain: false, text: doc }]);
    expect(renderMarkdown(doc)).toBe(micromark(doc));
  });

  const hostile: Record<string, string> = {
    "link openers": "[a](".repeat(25_000),
    labels: "[a]".repeat(33_333),
    "emphasis runs": "**_".repeat(33_333),
    "nested lists on one line": "- ".repeat(49_999) + "a",
    "nested ordered lists": "1. ".repeat(33_333) + "a",
    "lazy lines in a list item": "- a\n" + "b\n".repeat(49_998),
    "lazy lines in a quote": "> a\n" + "b\n".repeat(49_998),
    "nested list items": "- a\n  - b\n".repeat(10_000),
  };

  test.each(Object.entries(hostile))("%s: shown as escaped text", (_, doc) => {
    expect(doc.length).toBeLessThanOrEqual(PAGE_BODY_MAX);
    const html = renderMarkdown(doc + "\n\n**after** <b>");
    expect(html).toContain("<strong>after</strong> &lt;b&gt;");
    expect(html).toContain(`<p>${doc.slice(0, 20).replace(/>/g, "&gt;")}`);
  });

  test.each(Object.entries(hostile))(
    "%s: micromark is handed only blocks within the limits and the walk-back budget",
    (_, doc) => {
      let walkBack = 0;
      let offset = 0;
      for (const { plain, text } of markdownSegments(doc)) {
        if (!plain) {
          for (const block of blocksOf(text)) {
            const cost = blockCost(block.lines, offset + block.offset);
            expect(cost.withinLimits).toBe(true);
            walkBack += cost.walkBack;
          }
        }
        offset += text.length;
      }
      expect(walkBack).toBeLessThanOrEqual(MARKDOWN_BLOCK_LIMITS.walkBack);
    },
  );

  test("only the hostile block falls back; the blocks around it keep their formatting", () => {
    const html = renderMarkdown(`# Title\n\n${"*_".repeat(200)}\n\n[link](https://example.org)`);
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain(`<p>${"*_".repeat(200)}</p>`);
    expect(html).toContain('<a href="https://example.org">link</a>');
  });

  test("fenced code is not counted: a listing full of underscores stays a listing", () => {
    const lines = "def __init__(self):\n    self.__a_b__ = c_d * e_f\n".repeat(30);
    const listing = `${lines}\n${lines}`;
    for (const fence of ["```", "~~~~"]) {
      const doc = `# Run\n\n${fence}python\n${listing}${fence}\n\nAfter *this*.\n`;
      expect(markdownSegments(doc)).toEqual([{ plain: false, text: doc }]);
      expect(renderMarkdown(doc)).toBe(micromark(doc));
    }
    const unclosed = "```\n" + "a_b *c* [d](".repeat(2_000);
    expect(renderMarkdown(unclosed)).toBe(micromark(unclosed));
  });

  const hiddenFences: Record<string, string> = {
    "after raw HTML that runs past the blank line": "<!--\n\n```\n-->\n",
    "indented into a list item": "- a\n\n  ```\n",
    "right after a paragraph line": "text\n```\n",
    "a backtick in the info string (not a fence)": "```a`b\n",
  };
  test.each(Object.entries(hiddenFences))(
    "a fence micromark may not open is counted like text: %s",
    (_, prefix) => {
      const doc = prefix + "[a](".repeat(20_000) + "\n";
      const hostile = markdownSegments(doc).filter((s) => s.text.includes("[a]([a]("));
      expect(hostile.length).toBeGreaterThan(0);
      expect(hostile.every((s) => s.plain)).toBe(true);
    },
  );
});
