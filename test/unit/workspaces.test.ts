import { afterEach, describe, expect, test } from "vitest";
import { docxBytes, exeBytes, pdfBytes } from "#test/factories/postings";
import { checkWorkspaceFile } from "~/lib/files.server";
import { resetEnvCache } from "~/lib/env.server";
import { registrationHash, type SnapshotPage } from "~/modules/workspaces/registrations.server";
import { pageDiff } from "~/modules/workspaces/diff";
import {
  higherRole,
  labelAdmits,
  labelName,
  markupProblem,
  roleMay,
  ROLES,
  type WorkspaceAction,
} from "~/modules/workspaces/rules";
import {
  CommentSchema,
  InviteSchema,
  PageSaveSchema,
  PageSchema,
  RegistrationSchema,
  TaskSchema,
  ThreadSchema,
  WorkspaceSchema,
} from "~/modules/workspaces/schema";

const HTML = "cannot contain HTML. Write plain text or Markdown; put code in backticks.";

/** The messages a schema gives for one field, or [] when it accepts the input. */
function messages(schema: { safeParse: (v: unknown) => unknown }, input: object, field: string) {
  const result = schema.safeParse(input) as
    | { success: true }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  if (result.success) return [];
  return result.error.issues.filter((i) => i.path[0] === field).map((i) => i.message);
}

describe("handling labels", () => {
  test("JOINT admits every institute; an ONLY label admits its own institute alone", () => {
    expect(labelAdmits(null, "us")).toBe(true);
    expect(labelAdmits(null, "uk")).toBe(true);
    expect(labelAdmits("us", "us")).toBe(true);
    expect(labelAdmits("us", "uk")).toBe(false);
    expect(labelAdmits("uk", "us")).toBe(false);
  });

  test("labels are named as people write them", () => {
    expect(labelName(null)).toBe("JOINT");
    expect(labelName({ code: "US-AISI" })).toBe("US-AISI-ONLY");
    expect(labelName({ code: "UK-AISI" })).toBe("UK-AISI-ONLY");
  });
});

describe("what each role may do", () => {
  // Written out by hand: viewers read and comment, editors also edit, owners also manage.
  const ALLOWED: Record<(typeof ROLES)[number], WorkspaceAction[]> = {
    VIEWER: ["read", "comment"],
    EDITOR: ["read", "comment", "edit"],
    OWNER: ["read", "comment", "edit", "manage"],
  };
  const ACTIONS: WorkspaceAction[] = ["read", "comment", "edit", "manage"];

  for (const role of ROLES)
    for (const action of ACTIONS)
      test(`${role} ${ALLOWED[role].includes(action) ? "may" : "may not"} ${action}`, () => {
        expect(roleMay(role, action)).toBe(ALLOWED[role].includes(action));
      });

  test("a placement never lowers a role: the higher of two roles wins", () => {
    expect(higherRole("VIEWER", "EDITOR")).toBe("EDITOR");
    expect(higherRole("OWNER", "EDITOR")).toBe("OWNER");
    expect(higherRole("EDITOR", "EDITOR")).toBe("EDITOR");
  });
});

describe("markup in titles and comments", () => {
  test("script tags and tags with event handlers are refused", () => {
    expect(markupProblem("<script>alert(1)</script>", "A comment")).toBe(`A comment ${HTML}`);
    expect(markupProblem('Look <img src=x onerror="alert(1)"> here', "A comment")).toBe(
      `A comment ${HTML}`,
    );
    expect(markupProblem("<SCRIPT SRC=//xss.example/x.js></SCRIPT>", "A title")).toBe(
      `A title ${HTML}`,
    );
    expect(markupProblem("<svg/onload=alert(1)>", "A title")).toBe(`A title ${HTML}`);
    // An unterminated tag still counts: browsers complete it.
    expect(markupProblem("<img src=x onerror=alert(1)//", "A title")).toBe(`A title ${HTML}`);
    expect(markupProblem("<!-- hidden -->", "A title")).toBe(`A title ${HTML}`);
  });

  test("script links are refused, however they are capitalised", () => {
    expect(markupProblem("[click](javascript:alert(1))", "A comment")).toBe(
      "A comment cannot contain script links.",
    );
    expect(markupProblem("see JavaScript :alert(1)", "A comment")).toBe(
      "A comment cannot contain script links.",
    );
    expect(markupProblem("[x](vbscript:msgbox(1))", "A comment")).toBe(
      "A comment cannot contain script links.",
    );
    expect(markupProblem("[x](data:text/html,<b>x</b>)", "A comment")).not.toBeNull();
    expect(markupProblem("[x](data: text/html;base64,PHNjcmlwdD4=)", "A comment")).toBe(
      "A comment cannot contain script links.",
    );
  });

  test("markup shown as code, in backticks or a fenced block, is allowed", () => {
    expect(markupProblem("The payload was `<script>alert(1)</script>`", "A comment")).toBeNull();
    expect(markupProblem("Use ``<img onerror=x>`` to test", "A comment")).toBeNull();
    expect(markupProblem("```html\n<script>alert(1)</script>\n```\nIt ran.", "A comment")).toBe(
      null,
    );
    expect(markupProblem("~~~\n<img src=x onerror=alert(1)>\n~~~", "A comment")).toBeNull();
    expect(markupProblem("```\n[x](javascript:alert(1))\n```", "A comment")).toBeNull();
  });

  test("markup after a code span or block is still refused", () => {
    expect(markupProblem("`code` then <script>alert(1)</script>", "A comment")).toBe(
      `A comment ${HTML}`,
    );
    expect(markupProblem("```\nok\n```\n<img src=x onerror=alert(1)>", "A comment")).toBe(
      `A comment ${HTML}`,
    );
    // An unclosed backtick is not a code span.
    expect(markupProblem("` <script>alert(1)</script>", "A comment")).toBe(`A comment ${HTML}`);
  });

  test("ordinary prose is allowed", () => {
    expect(markupProblem("Refusal rate fell to 3% (p < 0.05) in run 2", "A comment")).toBeNull();
    expect(markupProblem("**Bold** and [a link](https://example.org)", "A comment")).toBeNull();
    expect(markupProblem("Plan: A -> B, then B => C", "A title")).toBeNull();
  });

  test("a comparison written with a spaced '<' is prose, not markup", () => {
    // "<" followed by a space never starts a tag in HTML; researchers write comparisons like this.
    expect(markupProblem("Latency < baseline on every run", "A comment")).toBeNull();
  });
});

describe("form schemas refuse bad input with a message", () => {
  test("HTML in a workspace name, page title, subject or task is refused", () => {
    const workspace = {
      name: "<b>Joint</b> evals",
      purpose: "Testing",
      label: "JOINT",
      marking: "OFFICIAL",
      template: "GENERAL",
    };
    expect(messages(WorkspaceSchema, workspace, "name")).toEqual([`A name ${HTML}`]);
    expect(messages(PageSchema, { title: "<script>x</script>", body: "" }, "title")).toEqual([
      `A title ${HTML}`,
    ]);
    expect(
      messages(ThreadSchema, { title: "<img src=x onerror=alert(1)>", body: "hi" }, "title"),
    ).toEqual([`A subject ${HTML}`]);
    expect(messages(TaskSchema, { title: "<a href=x>do</a>" }, "title")).toEqual([
      `A task ${HTML}`,
    ]);
    expect(messages(RegistrationSchema, { title: "<i>x</i>", pageIds: ["p1"] }, "title")).toEqual([
      `A title ${HTML}`,
    ]);
  });

  test("comments refuse HTML and script links, but a page body is a document and may hold markup", () => {
    expect(messages(CommentSchema, { body: "Nice <script>alert(1)</script>" }, "body")).toEqual([
      `A comment ${HTML}`,
    ]);
    expect(messages(CommentSchema, { body: "[x](javascript:alert(1))" }, "body")).toEqual([
      "A comment cannot contain script links.",
    ]);
    expect(messages(CommentSchema, { body: "Ran `<script>` as input" }, "body")).toEqual([]);
    expect(messages(CommentSchema, { body: "   " }, "body")).toEqual(["Enter your comment"]);
    expect(
      PageSchema.parse({ title: "Payloads", body: "<script>alert(1)</script>" }).body,
    ).toContain("<script>");
  });

  test("control characters and line breaks in titles are refused", () => {
    expect(messages(PageSchema, { title: "Plan\u0007", body: "" }, "title")).toEqual([
      "A title contains characters that are not allowed",
    ]);
    expect(messages(PageSchema, { title: "Plan\nB", body: "" }, "title")).toEqual([
      "A title contains characters that are not allowed",
    ]);
    expect(messages(TaskSchema, { title: "Do\u0000it" }, "title")).toEqual([
      "A task contains characters that are not allowed",
    ]);
    expect(messages(PageSchema, { title: "Plan", body: "a\u001bb" }, "body")).toEqual([
      "The page contains characters that are not allowed",
    ]);
    expect(messages(CommentSchema, { body: "ok\u0008" }, "body")).toEqual([
      "Your comment contains characters that are not allowed",
    ]);
    // Titles are trimmed; a blank one is missing.
    expect(PageSchema.parse({ title: "  Plan  ", body: "" }).title).toBe("Plan");
    expect(messages(PageSchema, { title: "   ", body: "" }, "title")).toEqual(["Enter a title"]);
  });

  test("a label that is not JOINT or an id is refused; a stale base version is a number", () => {
    const base = { name: "Evals", purpose: "Testing", marking: "CUI", template: "GENERAL" };
    expect(messages(WorkspaceSchema, { ...base, label: "' OR 1=1 --" }, "label")).toEqual([
      "Choose a handling label from the list",
    ]);
    expect(messages(WorkspaceSchema, { ...base, label: "" }, "label")).toContain(
      "Choose a handling label",
    );
    expect(
      messages(WorkspaceSchema, { ...base, label: "JOINT", marking: "SECRET" }, "marking"),
    ).toEqual(["Choose a protective marking"]);
    expect(
      messages(PageSaveSchema, { title: "T", body: "", baseVersion: "abc" }, "baseVersion"),
    ).toEqual(["Reload the page and try again"]);
    expect(PageSaveSchema.parse({ title: "T", body: "", baseVersion: "3" }).baseVersion).toBe(3);
  });

  test("invitations need a real address and a role; registrations need pages", () => {
    expect(InviteSchema.parse({ email: "  Jun@Example.JP ", role: "EDITOR" }).email).toBe(
      "jun@example.jp",
    );
    expect(messages(InviteSchema, { email: "not-an-email", role: "EDITOR" }, "email")).toEqual([
      "Enter an email address in the right format, like name@example.gov",
    ]);
    expect(messages(InviteSchema, { email: "a@b.org", role: "ADMIN" }, "role")).toEqual([
      "Choose a role",
    ]);
    expect(messages(RegistrationSchema, { title: "Findings", pageIds: [] }, "pageIds")).toEqual([
      "Choose at least one page to register",
    ]);
  });
});

describe("page differences", () => {
  const lines = (n: number, prefix = "line") =>
    Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);

  test("a changed line shows as removed then added, with the lines around it", () => {
    expect(pageDiff("a\nb\nc", "a\nB\nc")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "added", text: "B" },
      { kind: "same", text: "c" },
    ]);
  });

  test("a line added at the end shows as that one line added", () => {
    // Page bodies are stored trimmed, so the last line never ends with a newline.
    expect(pageDiff("a\nb", "a\nb\nc")).toEqual([
      { kind: "same", text: "a" },
      { kind: "same", text: "b" },
      { kind: "added", text: "c" },
    ]);
  });

  test("a removed line in the middle", () => {
    expect(pageDiff("a\nb\nc\n", "a\nc\n")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "same", text: "c" },
    ]);
  });

  test("long unchanged stretches fold into one line that says how many it hides", () => {
    const before = lines(20);
    const after = [...before];
    after[1] = "changed 2";
    after[17] = "changed 18";
    const diff = pageDiff(before.join("\n"), after.join("\n"));
    expect(diff).toEqual([
      { kind: "same", text: "line 1" },
      { kind: "removed", text: "line 2" },
      { kind: "added", text: "changed 2" },
      { kind: "same", text: "line 3" },
      { kind: "same", text: "line 4" },
      { kind: "same", text: "line 5" },
      { kind: "skipped", text: "9 unchanged lines" },
      { kind: "same", text: "line 15" },
      { kind: "same", text: "line 16" },
      { kind: "same", text: "line 17" },
      { kind: "removed", text: "line 18" },
      { kind: "added", text: "changed 18" },
      { kind: "same", text: "line 19" },
      { kind: "same", text: "line 20" },
    ]);
  });

  test("leading and trailing unchanged runs keep only the context next to the change", () => {
    const before = lines(12);
    const after = [...before];
    after[6] = "changed 7";
    const diff = pageDiff(before.join("\n"), after.join("\n"), 2);
    expect(diff).toEqual([
      { kind: "skipped", text: "4 unchanged lines" },
      { kind: "same", text: "line 5" },
      { kind: "same", text: "line 6" },
      { kind: "removed", text: "line 7" },
      { kind: "added", text: "changed 7" },
      { kind: "same", text: "line 8" },
      { kind: "same", text: "line 9" },
      { kind: "skipped", text: "3 unchanged lines" },
    ]);
  });

  test("a run only one line longer than the context is shown, not folded into '1 unchanged line'", () => {
    const diff = pageDiff("x\n1\n2\n3\n4\n5\n6\n7\ny", "X\n1\n2\n3\n4\n5\n6\n7\nY");
    expect(diff!.filter((l) => l.kind === "skipped")).toEqual([]);
    expect(diff!.filter((l) => l.kind === "same")).toHaveLength(7);
  });

  test("identical texts show nothing changed", () => {
    const text = lines(10).join("\n");
    const diff = pageDiff(text, text);
    expect(diff!.every((l) => l.kind === "same" || l.kind === "skipped")).toBe(true);
    expect(diff).toEqual([{ kind: "skipped", text: "10 unchanged lines" }]);
  });
});

describe("files a workspace accepts", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
  });

  const png = () =>
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]);
  const text = (s: string) => new TextEncoder().encode(s);
  const PATH = "The file name cannot contain a path (/ or \\) or start with a dot";

  test("a name with a path or a leading dot is refused", () => {
    expect(checkWorkspaceFile({ name: "../../etc/passwd", bytes: text("root:x:0:0") })).toEqual({
      error: PATH,
    });
    expect(checkWorkspaceFile({ name: "..\\..\\boot.ini", bytes: text("x") })).toEqual({
      error: PATH,
    });
    expect(checkWorkspaceFile({ name: "notes/../../x.txt", bytes: text("x") })).toEqual({
      error: PATH,
    });
    expect(checkWorkspaceFile({ name: ".htaccess.txt", bytes: text("x") })).toEqual({
      error: PATH,
    });
    expect(checkWorkspaceFile({ name: "notes\u0000.txt", bytes: text("x") })).toEqual({
      error: "The file name must be plain text of 150 characters or fewer",
    });
  });

  test("an executable renamed .pdf is refused by its content", () => {
    expect(checkWorkspaceFile({ name: "report.pdf", bytes: exeBytes() })).toEqual({
      error: "The file's content is not a .pdf file; check you chose the right one",
    });
    expect(checkWorkspaceFile({ name: "report.png", bytes: pdfBytes() })).toEqual({
      error: "The file's content is not a .png file; check you chose the right one",
    });
  });

  test("types that can carry script, and executables, are refused by extension", () => {
    for (const name of ["page.html", "logo.svg", "run.exe", "macro.docm", "noextension"])
      expect(checkWorkspaceFile({ name, bytes: text("hello") }).error).toMatch(
        /^Upload a file of one of these types: pdf, docx/,
      );
  });

  test("an empty file is refused", () => {
    expect(checkWorkspaceFile({ name: "empty.txt", bytes: new Uint8Array() })).toEqual({
      error: "The selected file is empty",
    });
  });

  test("a file over the upload limit is refused, naming the limit", () => {
    process.env.UPLOAD_MAX_BYTES = "2048";
    resetEnvCache();
    expect(checkWorkspaceFile({ name: "big.txt", bytes: new Uint8Array(2049).fill(0x61) })).toEqual(
      {
        error: "The file must be 2 KB or smaller",
      },
    );
    expect(
      checkWorkspaceFile({ name: "fits.txt", bytes: new Uint8Array(2048).fill(0x61) }).error,
    ).toBeUndefined();
  });

  test("PNG, text, PDF and DOCX with matching content are accepted, stored under a plain name", () => {
    expect(checkWorkspaceFile({ name: "chart.png", bytes: png() })).toEqual({
      filename: "chart.png",
      contentType: "image/png",
    });
    expect(checkWorkspaceFile({ name: "notes.txt", bytes: text("Run 3: 12% refusals\n") })).toEqual(
      {
        filename: "notes.txt",
        contentType: "text/plain; charset=utf-8",
      },
    );
    expect(checkWorkspaceFile({ name: "Report.PDF", bytes: pdfBytes() })).toEqual({
      filename: "Report.pdf",
      contentType: "application/pdf",
    });
    expect(checkWorkspaceFile({ name: "plan.docx", bytes: docxBytes() })).toEqual({
      filename: "plan.docx",
      contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    });
  });

  test("binary content named .txt is refused", () => {
    expect(checkWorkspaceFile({ name: "notes.txt", bytes: exeBytes() })).toEqual({
      error: "The file's content is not a .txt file; check you chose the right one",
    });
    // Not UTF-8 at all.
    expect(
      checkWorkspaceFile({ name: "data.csv", bytes: new Uint8Array([0xff, 0xfe, 0x41]) }),
    ).toEqual({
      error: "The file's content is not a .csv file; check you chose the right one",
    });
  });
});

describe("registration hash", () => {
  const page = (overrides: Partial<SnapshotPage> = {}): SnapshotPage => ({
    pageId: "p1",
    title: "Findings",
    version: 3,
    body: "The model refused 12 of 40 prompts.",
    ...overrides,
  });
  const base = {
    title: "Round 1 findings",
    // A fixed instant: the hash covers whatever time it is given.
    registeredAt: new Date("2027-03-01T10:00:00Z"),
    pages: [page(), page({ pageId: "p2", title: "Method", version: 1, body: "Three runs." })],
  };

  test("the same content always gives the same hash", () => {
    const copy = {
      ...base,
      registeredAt: new Date(base.registeredAt.getTime()),
      pages: base.pages.map((p) => ({ ...p })),
    };
    expect(registrationHash(copy)).toBe(registrationHash(base));
    expect(registrationHash(base)).toMatch(/^[0-9a-f]{64}$/);
    // Key order in the stored JSON (JSONB reorders keys) does not matter.
    const reordered = base.pages.map((p) => ({
      body: p.body,
      version: p.version,
      title: p.title,
      pageId: p.pageId,
    }));
    expect(registrationHash({ ...base, pages: reordered })).toBe(registrationHash(base));
  });

  test("any change to the registration changes the hash", () => {
    const h = registrationHash(base);
    const variants = [
      { ...base, title: "Round 1 findings." },
      { ...base, registeredAt: new Date("2027-03-01T10:00:01Z") },
      { ...base, pages: [page({ body: "The model refused 13 of 40 prompts." }), base.pages[1]!] },
      { ...base, pages: [page({ version: 4 }), base.pages[1]!] },
      { ...base, pages: [page({ title: "Findings (draft)" }), base.pages[1]!] },
      { ...base, pages: [page({ pageId: "p9" }), base.pages[1]!] },
      { ...base, pages: [base.pages[1]!, base.pages[0]!] },
      { ...base, pages: [base.pages[0]!] },
    ];
    const hashes = variants.map(registrationHash);
    for (const other of hashes) expect(other).not.toBe(h);
    expect(new Set(hashes).size).toBe(variants.length);
  });

  test("text cannot be moved between fields without changing the hash", () => {
    const a = registrationHash({ ...base, pages: [page({ title: "A", body: "B C" })] });
    const b = registrationHash({ ...base, pages: [page({ title: "A B", body: "C" })] });
    expect(a).not.toBe(b);
  });
});
