import { expect, test } from "vitest";
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
