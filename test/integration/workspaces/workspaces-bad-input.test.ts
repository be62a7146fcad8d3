import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { expectInertHtml, XSS_PAYLOADS } from "#test/fixtures/xss";
import { exeBytes, pdfBytes } from "#test/factories/postings";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { createSession, sessionCookieName } from "~/lib/session.server";
import { createPage } from "~/modules/workspaces/pages.server";
import { registerFindings } from "~/modules/workspaces/registrations.server";
import { createWorkspace } from "~/modules/workspaces/workspaces.server";
import * as discussion from "~/routes/workspaces/workspaces.$workspaceId.discussion._index";
import * as files from "~/routes/workspaces/workspaces.$workspaceId.files._index";
import * as members from "~/routes/workspaces/workspaces.$workspaceId.members";
import * as pageEdit from "~/routes/workspaces/workspaces.$workspaceId.pages.$pageId.edit";
import * as pageView from "~/routes/workspaces/workspaces.$workspaceId.pages.$pageId._index";
import * as pages from "~/routes/workspaces/workspaces.$workspaceId.pages._index";
import * as registration from "~/routes/workspaces/workspaces.$workspaceId.registrations.$registrationId";
import * as tasks from "~/routes/workspaces/workspaces.$workspaceId.tasks";
import * as newWorkspace from "~/routes/workspaces/workspaces.new";
import { createPipelineWorld, type World } from "#test/support/pipeline-world";
import { call, get, post, statusOf } from "#test/support/route-harness";

// The issue's bad input, sent through the pages' own actions as a browser would: each is refused
// with a message next to the field (or for the form), and nothing in the database changes.

let w: World;
let cookie: string;
let workspaceId: string;
let pageId: string;
let registrationId: string;

const TABLES = [
  "Workspace",
  "WorkspaceMember",
  "WorkspaceInvitation",
  "WorkspacePage",
  "PageVersion",
  "WorkspaceFile",
  "WorkspaceFileVersion",
  "StoredFile",
  "DiscussionThread",
  "Comment",
  "WorkspaceTask",
  "FindingsRegistration",
  "OutboxEmail",
  "AuditEvent",
] as const;

async function counts() {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}"`);
    out[table] = Number(row!.n);
  }
  return out;
}

/** Runs a request that must be refused: its status, its errors, and that no table changed. */
async function refused(run: () => Promise<unknown>) {
  const before = await counts();
  let result: unknown;
  const { status } = await statusOf(async () => (result = await run()));
  expect(await counts()).toEqual(before);
  const errors = (result as { data?: { errors?: unknown } })?.data?.errors;
  return { status, errors: errors as Record<string, string[]> | string[] };
}

const params = () => ({ workspaceId, pageId, registrationId });
const at = (path = "") => `/workspaces/${workspaceId}${path}`;

function upload(name: string, bytes: Uint8Array) {
  return post(at("/files"), cookie, {
    file: new File([Buffer.from(bytes)], name, { type: "application/pdf" }),
  });
}

beforeAll(async () => {
  w = await createPipelineWorld();
  const created = await createWorkspace(w.usStaff, {
    name: "Bad input workspace",
    purpose: "Where the bad input goes.",
    label: w.us.id,
    marking: "OFFICIAL",
    template: "GENERAL",
  });
  if (!created.ok) throw new Error("workspace");
  workspaceId = created.workspaceId;
  const page = await createPage(w.usStaff, workspaceId, { title: "Plan", body: "First text" });
  if (!page.ok) throw new Error("page");
  pageId = page.pageId;
  const registered = await registerFindings(w.usStaff, workspaceId, {
    title: "Frozen",
    pageIds: [pageId],
  });
  if (!registered.ok) throw new Error("registration");
  registrationId = registered.registrationId;
  const { token } = await createSession(w.usStaff.id, { mfaVerified: true });
  cookie = `${sessionCookieName()}=${token}`;
});

afterEach(() => {
  delete process.env.UPLOAD_MAX_BYTES;
  resetEnvCache();
});

describe("files", () => {
  test("a path-like name is refused", async () => {
    const r = await refused(() =>
      call(files.action, upload("../../etc/passwd", Buffer.from("root:x:0:0")), params()),
    );
    expect(r.status).toBe(400);
    expect(r.errors).toEqual({ file: [expect.stringContaining("cannot contain a path")] });
  });

  test("an executable named as a PDF is refused", async () => {
    const r = await refused(() => call(files.action, upload("report.pdf", exeBytes()), params()));
    expect(r.status).toBe(400);
    expect(r.errors).toEqual({ file: [expect.stringContaining("is not a .pdf file")] });
  });

  test("an empty file and a file over the limit are refused", async () => {
    const empty = await refused(() =>
      call(files.action, upload("empty.txt", new Uint8Array()), params()),
    );
    expect(empty.status).toBe(400);
    expect(empty.errors).toEqual({ file: ["The selected file is empty"] });
    process.env.UPLOAD_MAX_BYTES = "2048";
    resetEnvCache();
    const big = new Uint8Array(4096);
    big.set(pdfBytes().subarray(0, 5));
    const large = await refused(() => call(files.action, upload("big.pdf", big), params()));
    expect(large.status).toBe(400);
    expect(JSON.stringify(large.errors)).toMatch(/too large|or smaller/);
  });

  test("an unknown type is refused with the list of types allowed", async () => {
    const r = await refused(() =>
      call(files.action, upload("run.sh", Buffer.from("#!/bin/sh\nrm -rf /\n")), params()),
    );
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.errors)).toContain("Upload a file of one of these types: pdf");
  });
});

describe("titles and comments", () => {
  test("HTML in a page title is refused; the page list is unchanged", async () => {
    const r = await refused(() =>
      call(
        pages.action,
        post(at("/pages"), cookie, { title: "<script>alert(1)</script>", body: "x" }),
        params(),
      ),
    );
    expect(r.status).toBe(400);
    expect(r.errors).toEqual({ title: [expect.stringContaining("cannot contain HTML")] });
  });

  test("HTML and script links in comments and thread subjects are refused", async () => {
    for (const body of ['<img src=x onerror="alert(1)">', "[x](javascript:alert(1))"]) {
      const r = await refused(() =>
        call(
          discussion.action,
          post(at("/discussion"), cookie, { title: "A subject", body }),
          params(),
        ),
      );
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.errors)).toMatch(/cannot contain (HTML|script links)/);
    }
    const subject = await refused(() =>
      call(
        discussion.action,
        post(at("/discussion"), cookie, { title: "<b onmouseover=alert(1)>hi</b>", body: "ok" }),
        params(),
      ),
    );
    expect(subject.errors).toEqual({ title: [expect.stringContaining("cannot contain HTML")] });
  });

  test("HTML in a task title and in a workspace name is refused", async () => {
    const task = await refused(() =>
      call(
        tasks.action,
        post(at("/tasks"), cookie, { intent: "create", title: "<svg/onload=alert(1)>" }),
        params(),
      ),
    );
    expect(task.errors).toEqual({ title: [expect.stringContaining("cannot contain HTML")] });
    const created = await refused(() =>
      call(
        newWorkspace.action,
        post("/workspaces/new", cookie, {
          name: "<iframe src=x>",
          purpose: "p",
          label: "JOINT",
          marking: "OFFICIAL",
          template: "GENERAL",
        }),
      ),
    );
    expect(created.errors).toEqual({ name: [expect.stringContaining("cannot contain HTML")] });
  });
});

describe("pages", () => {
  test("every known XSS payload saved as a page renders inert on the page", async () => {
    for (const payload of XSS_PAYLOADS) {
      const saved = await statusOf(() =>
        call(
          pages.action,
          post(at("/pages"), cookie, { title: "Payload", body: `# Heading\n\n${payload}` }),
          params(),
        ),
      );
      expect(saved.status, payload).toBe(302);
      const id = saved.location!.split("/").pop()!;
      const view = (await call(pageView.loader, get(at(`/pages/${id}`), cookie), {
        ...params(),
        pageId: id,
      })) as { view: { page: { html: string } } };
      expectInertHtml(view.view.page.html);
    }
  });

  test("a save from a stale version is refused with 409 and both texts; nothing is written", async () => {
    const save = (text: string, baseVersion: number) =>
      call(
        pageEdit.action,
        post(at(`/pages/${pageId}/edit`), cookie, {
          title: "Plan",
          body: text,
          baseVersion: String(baseVersion),
        }),
        params(),
      );
    const first = await statusOf(() => save("Second text", 1));
    expect(first.status).toBe(302);
    const r = await refused(() => save("My stale text", 1));
    expect(r.status).toBe(409);
    expect(JSON.stringify(r.errors)).toContain("saved this page (version 2)");
    const page = await db.workspacePage.findUniqueOrThrow({ where: { id: pageId } });
    expect(page.body).toBe("Second text");
  });
});

describe("membership", () => {
  test("inviting an excluded institute's user or an unknown address is refused", async () => {
    const invite = (email: string) =>
      call(
        members.action,
        post(at("/members"), cookie, { intent: "invite", email, role: "EDITOR" }),
        params(),
      );
    const excluded = await refused(() => invite(w.applicant.email));
    expect(excluded.status).toBe(400);
    expect(excluded.errors).toEqual({
      email: [expect.stringContaining("staff of other institutes cannot be invited")],
    });
    const unknown = await refused(() => invite("nobody@nowhere.example"));
    expect(unknown.errors).toEqual({
      email: ["Nobody with an active portal account has that address"],
    });
    const garbage = await refused(() => invite("not an address"));
    expect(garbage.errors).toEqual({ email: [expect.stringContaining("right format")] });
  });

  test("narrowing needs a label from the list; a made-up one is refused", async () => {
    const r = await refused(() =>
      call(
        members.action,
        post(at("/members"), cookie, {
          intent: "settings",
          name: "Bad input workspace",
          purpose: "Where the bad input goes.",
          label: w.uk.id,
          marking: "OFFICIAL",
          version: "0",
        }),
        params(),
      ),
    );
    expect(r.status).toBe(400);
    expect(r.errors).toEqual({ label: [expect.stringContaining("your own institute")] });
  });
});

describe("registrations", () => {
  test("posting to a registration is refused with a message, and it stays as registered", async () => {
    const before = await db.findingsRegistration.findUniqueOrThrow({
      where: { id: registrationId },
    });
    const r = await refused(() =>
      call(
        registration.action,
        post(at(`/registrations/${registrationId}`), cookie, {
          title: "Changed",
          snapshot: "[]",
          contentHash: "0".repeat(64),
        }),
        params(),
      ),
    );
    expect(r.status).toBe(405);
    expect(r.errors).toEqual([expect.stringContaining("cannot be changed or deleted")]);
    expect(
      await db.findingsRegistration.findUniqueOrThrow({ where: { id: registrationId } }),
    ).toEqual(before);
  });
});
