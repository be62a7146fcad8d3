import { describe, expect, test } from "vitest";
import { SignInSchema } from "~/modules/accounts/schema";
import { markupProblem } from "~/modules/workspaces/rules";
import { CommentSchema, PageSchema } from "~/modules/workspaces/schema";

// Text fields checked with regular expressions, fed the largest body the server reads (2 MiB of
// form) shaped to make a backtracking expression retry at every position. Each check must stay
// linear: the expressions these replace took hours on such input, so a one-second limit leaves a
// margin of thousands either way and does not depend on the machine.

const FORM_MAX = 2 * 1024 * 1024;
const LIMIT_MS = 1_000;

function timed<T>(work: () => T) {
  const started = performance.now();
  const result = work();
  return { result, ms: performance.now() - started };
}

describe("checks that stay linear on hostile text", () => {
  test("a sign-in with a 2 MiB address of dots is refused at once", () => {
    const email = `a@${".".repeat(FORM_MAX)}@`;
    const { result, ms } = timed(() => SignInSchema.safeParse({ email, password: "x" }));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain(
      "Email address must be 254 characters or fewer",
    );
    expect(ms).toBeLessThan(LIMIT_MS);
  });

  test("addresses are still checked for a name, an @ and a dot inside the domain", () => {
    const ok = (email: string) => SignInSchema.safeParse({ email, password: "x" }).success;
    expect(ok("ada@example.gov")).toBe(true);
    expect(ok("ada@sub.example.gov")).toBe(true);
    expect(ok("ada@example")).toBe(false);
    expect(ok("ada@.gov")).toBe(false);
    expect(ok("ada@example.")).toBe(false);
    expect(ok("@example.gov")).toBe(false);
    expect(ok("ada@exa@mple.gov")).toBe(false);
    expect(ok(`a@${".".repeat(240)}@`)).toBe(false);
  });

  test("a 2 MiB title or comment of backticks is refused at once for its length", () => {
    const ticks = "`".repeat(FORM_MAX);
    const title = timed(() => PageSchema.safeParse({ title: ticks, body: "" }));
    expect(title.result.error?.issues.map((i) => i.message)).toEqual([
      "A title must be 200 characters or fewer",
    ]);
    expect(title.ms).toBeLessThan(LIMIT_MS);
    const comment = timed(() => CommentSchema.safeParse({ body: ticks }));
    expect(comment.result.success).toBe(false);
    expect(comment.ms).toBeLessThan(LIMIT_MS);
  });

  test("looking for markup outside code is linear in the text, backticks or not", () => {
    // Only ever given a title or comment (at most 10,000 characters); 256 KiB took minutes before.
    const size = 256 * 1024;
    for (const text of ["`".repeat(size), "``a".repeat(size / 4), "```\n~~~\n".repeat(size / 8)]) {
      const { result, ms } = timed(() => markupProblem(text, "A comment"));
      expect(result).toBeNull();
      expect(ms).toBeLessThan(LIMIT_MS);
    }
    const { result } = timed(() => markupProblem(`${"`".repeat(size)}<b>`, "A comment"));
    expect(result).not.toBeNull();
  });
});
