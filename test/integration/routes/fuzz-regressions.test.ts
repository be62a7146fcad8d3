import { describe, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { buildRequest } from "#test/support/fuzz/inputs";
import { FUZZ_PASSWORD, type PersonaKey } from "#test/support/fuzz/world";
import { call, sessionCookieFor } from "#test/support/route-harness";
import {
  before,
  MODULES,
  outcomeOf,
  setUpFuzzWorld,
  world,
  writesSince,
} from "#test/support/fuzz/harness";
import { type Params } from "#test/support/fuzz/specs";

setUpFuzzWorld();

// --- what the fuzzer found ----------------------------------------------------------------------

// Each bug the fuzzer found, as a fixed case, so that it stays fixed whatever the seed.
describe("inputs that once crashed an action", () => {
  const run = async (file: string, request: Request, params: Params = {}) => {
    const mark = await before();
    const { status } = await outcomeOf(() => call(MODULES[file]!.action, request, params));
    return { status, writes: await writesSince(mark) };
  };
  const form = async (who: PersonaKey | null, path: string, fields: Record<string, string>) =>
    buildRequest({
      path,
      cookie: who ? await sessionCookieFor(world.people[who].id) : null,
      fields: Object.entries(fields).map(([name, v]) => ({ name, values: [v] })),
      mode: "multipart",
      cut: 0,
      resolve: () => "",
      uploadMax: getEnv().UPLOAD_MAX_BYTES,
    });

  test("a body that is not a form: 415 or 400, not a TypeError", async () => {
    const cookie = await sessionCookieFor(world.people.usStaff.id);
    const plain = new Request("http://localhost/workspaces/new", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "text/plain", "Sec-Fetch-Site": "same-origin" },
      body: "name=x",
    });
    expect(await run("workspaces.new.tsx", plain)).toEqual({ status: 415, writes: {} });
    const cut = new Request("http://localhost/workspaces/new", {
      method: "POST",
      headers: {
        Cookie: cookie,
        "Content-Type": "multipart/form-data; boundary=b",
        "Sec-Fetch-Site": "same-origin",
      },
      body: '--b\r\nContent-Disposition: form-data; name="na',
    });
    expect(await run("workspaces.new.tsx", cut)).toEqual({ status: 400, writes: {} });
  });

  test("a NUL byte in a route param or a posted id: 404, not a database error", async () => {
    const ws = world.workspaces.contentWs;
    const req = await form("wsOwner", `/workspaces/${ws}/tasks`, { intent: "create", title: "T" });
    expect(await run("workspaces.$workspaceId.tasks.tsx", req, { workspaceId: "\u0000" })).toEqual({
      status: 404,
      writes: {},
    });
    const comment = await form("wsOwner", `/workspaces/${ws}/pages/${world.pageIds[0]}`, {
      intent: "comment",
      threadId: "a\u0000b",
      body: "Hello",
    });
    expect(
      await run("workspaces.$workspaceId.pages.$pageId._index.tsx", comment, {
        workspaceId: ws,
        pageId: world.pageIds[0]!,
      }),
    ).toEqual({ status: 404, writes: {} });
  });

  test("impossible and year-0 dates: a message next to the field, not a RangeError", async () => {
    const ws = world.workspaces.contentWs;
    // Fixed: days that exist in no year, whatever the clock reads.
    for (const dueOn of ["0000-00-00", "0000-01-01", "2027-02-30"]) {
      const req = await form("wsOwner", `/workspaces/${ws}/tasks`, {
        intent: "create",
        title: "Dated task",
        dueOn,
      });
      expect(await run("workspaces.$workspaceId.tasks.tsx", req, { workspaceId: ws })).toEqual({
        status: 400,
        writes: {},
      });
    }
  });

  test("a redirect target with a non-ASCII character: sent home, not a broken header", async () => {
    await db.throttle.deleteMany({});
    const req = await form(null, "/login", {
      email: world.people.loginUser.email,
      password: FUZZ_PASSWORD,
      redirectTo: "/postings\uFFFD",
    });
    const mark = await before();
    const answer = (await call(MODULES["login.tsx"]!.action, req)) as Response;
    expect(answer.status).toBe(302);
    expect(answer.headers.get("Location")).toBe("/");
    expect(Object.keys(await writesSince(mark)).sort()).toEqual(["AuditEvent", "Session"]);
  });

  test("LIKE pattern characters in a name are text, not a pattern", async () => {
    // "%" used to match every existing name ("already exists"); a final backslash crashed.
    for (const name of ["%", "Ends with a backslash \\"]) {
      const req = await form("hostHr", "/checklists", { name, homeInstituteId: "" });
      const { status, writes } = await run("checklists._index.tsx", req);
      expect(status).toBe(302);
      expect(writes.ChecklistTemplate).toBe("INSERT×1");
    }
  });
});
