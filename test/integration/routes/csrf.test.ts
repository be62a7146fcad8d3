import { describe, expect, test } from "vitest";
import { loader as rootLoader } from "~/root";
import { call, sessionCookieFor } from "#test/support/route-harness";
import {
  ACTION_FILES,
  before,
  MODULES,
  outcomeOf,
  setUpFuzzWorld,
  specs,
  world,
  writesSince,
} from "#test/support/fuzz/harness";
import { type Params } from "#test/support/fuzz/specs";

// The second CSRF layer: a state-changing request that says nothing of where it came from
// (neither Origin nor Sec-Fetch-Site, as an old browser or a header-stripping proxy sends it)
// must carry the form token of the browser's own session, or it is refused with a 403 and
// nothing is written. Browsers that do say keep working without a token.

setUpFuzzWorld();

const BASE = "http://localhost";

function form(path: string, headers: Record<string, string>, fields: Record<string, string>) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return new Request(BASE + path, { method: "POST", body, headers });
}

/** The token and cookies a page rendered for this browser carries (the root loader's). */
async function pageFor(cookie: string | null) {
  const result = (await rootLoader({
    request: new Request(BASE + "/", { headers: cookie ? { Cookie: cookie } : {} }),
    params: {},
    context: { cspNonce: "", clientAddress: "203.0.113.9" },
  })) as unknown as { data: { csrf: string }; init?: { headers?: Headers } };
  const set = result.init?.headers?.getSetCookie() ?? [];
  const issued = set.map((c) => c.split(";")[0]!).filter((c) => /^(__Host-)?csrf=/.test(c));
  return { token: result.data.csrf, cookie: [cookie, ...issued].filter(Boolean).join("; ") };
}

async function run(file: string, request: Request, params: Params = {}) {
  const mark = await before();
  const { status } = await outcomeOf(() => call(MODULES[file]!.action, request, params));
  return { status, writes: await writesSince(mark) };
}

const newWorkspace = {
  name: "Forged workspace",
  purpose: "A form sent with no word of where it came from.",
  label: "JOINT",
  marking: "OFFICIAL",
  template: "GENERAL",
};

describe("a signed-in form POST with neither Origin nor Sec-Fetch-Site", () => {
  test("without the token: 403 with a plain message, and nothing written", async () => {
    const cookie = await sessionCookieFor(world.people.usStaff.id);
    const mark = await before();
    const request = form("/workspaces/new", { Cookie: cookie }, newWorkspace);
    let thrown: unknown;
    try {
      await call(MODULES["workspaces.new.tsx"]!.action, request);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Response);
    const response = thrown as Response;
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/may have come from another site.*reload the page/i);
    expect(await writesSince(mark)).toEqual({});
  });

  test("with its own session's token: goes through", async () => {
    const { token, cookie } = await pageFor(await sessionCookieFor(world.people.usStaff.id));
    const answer = await run(
      "workspaces.new.tsx",
      form("/workspaces/new", { Cookie: cookie }, { ...newWorkspace, csrf: token }),
    );
    expect(answer.status).toBe(302);
    expect(answer.writes).toHaveProperty("Workspace");
  });

  test("with another session's token (even the same person's): 403, nothing written", async () => {
    const other = await pageFor(await sessionCookieFor(world.people.usStaff.id));
    const cookie = await sessionCookieFor(world.people.usStaff.id);
    for (const token of [other.token, "", "x".repeat(43)])
      expect(
        await run(
          "workspaces.new.tsx",
          form("/workspaces/new", { Cookie: cookie }, { ...newWorkspace, csrf: token }),
        ),
        JSON.stringify(token),
      ).toEqual({ status: 403, writes: {} });
  });

  test("a browser that says Sec-Fetch-Site: same-origin, or a same-origin Origin, needs no token", async () => {
    const cookie = await sessionCookieFor(world.people.usStaff.id);
    const sameOrigin: Record<string, string>[] = [
      { "Sec-Fetch-Site": "same-origin" },
      { Origin: BASE },
    ];
    for (const headers of sameOrigin) {
      const answer = await run(
        "workspaces.new.tsx",
        form("/workspaces/new", { Cookie: cookie, ...headers }, newWorkspace),
      );
      expect(answer.status, JSON.stringify(headers)).toBe(302);
      expect(answer.writes).toHaveProperty("Workspace");
    }
  });

  test("a cross-site one is refused even with a good token", async () => {
    const { token, cookie } = await pageFor(await sessionCookieFor(world.people.usStaff.id));
    const crossSite: Record<string, string>[] = [
      { "Sec-Fetch-Site": "cross-site" },
      { Origin: "https://evil.example" },
    ];
    for (const headers of crossSite)
      expect(
        await run(
          "workspaces.new.tsx",
          form("/workspaces/new", { Cookie: cookie, ...headers }, { ...newWorkspace, csrf: token }),
        ),
        JSON.stringify(headers),
      ).toEqual({ status: 403, writes: {} });
  });
});

describe("a signed-out form (forgot password) with neither header", () => {
  const forgot = (headers: Record<string, string>, extra: Record<string, string> = {}) =>
    form("/forgot-password", headers, { email: world.people.resetUser.email, ...extra });

  test("the first page sets a csrf cookie; its token then goes through", async () => {
    const page = await pageFor(null);
    expect(page.cookie).toMatch(/^csrf=[a-z2-7]{32}$/);
    const answer = await run(
      "forgot-password.tsx",
      forgot({ Cookie: page.cookie }, { csrf: page.token }),
    );
    expect(answer.status).toBeLessThan(400);
    expect(answer.writes).not.toEqual({});
  });

  test("without the token, without the cookie, or with another browser's: 403, nothing written", async () => {
    const mine = await pageFor(null);
    const theirs = await pageFor(null);
    for (const [headers, extra] of [
      [{ Cookie: mine.cookie }, {}],
      [{}, { csrf: mine.token }],
      [{ Cookie: mine.cookie }, { csrf: theirs.token }],
    ] as const)
      expect(await run("forgot-password.tsx", forgot(headers, extra))).toEqual({
        status: 403,
        writes: {},
      });
  });
});

test("every action refuses a tokenless POST with neither header, before writing anything", async () => {
  const answers: string[] = [];
  for (const file of ACTION_FILES) {
    const spec = specs[file]!;
    const prepared = (await spec.prepare?.()) ?? {};
    const actor = spec.actors[0]!;
    const cookie =
      actor === "prepared"
        ? prepared.cookie!
        : actor === "anonymous"
          ? null
          : await sessionCookieFor(world.people[actor].id);
    const params: Params = {};
    for (const [name, values] of Object.entries(spec.params ?? {})) {
      const first = values[0]!;
      params[name] = typeof first === "string" ? first : prepared.late![first.late]!;
    }
    const request = form(spec.path(params), cookie ? { Cookie: cookie } : {}, {});
    const { status, writes } = await run(file, request, params);
    answers.push(`${status} ${JSON.stringify(writes)} ${file}`);
  }
  // SCIM's endpoints take a bearer token and never a cookie, so a forged form cannot act through
  // them: without the token they refuse with 401, writing nothing.
  const refused = (a: string) =>
    a.startsWith("403 {}") || (a.startsWith("401 {}") && a.endsWith(".ts") && a.includes(" scim."));
  expect(answers.filter((a) => !refused(a))).toEqual([]);
  expect(answers.length).toBeGreaterThan(30);
});

test("an action that takes no fields (sign out): a bodyless POST needs Origin or the token too", async () => {
  const cookie = await sessionCookieFor(world.people.usStaff.id);
  const bare = (headers: Record<string, string>) =>
    new Request(BASE + "/logout", { method: "POST", headers: { Cookie: cookie, ...headers } });
  expect(await run("logout.tsx", bare({}))).toEqual({ status: 403, writes: {} });
  const signedOut = await run("logout.tsx", bare({ Origin: BASE }));
  expect(signedOut.status).toBe(302);
  expect(signedOut.writes).toHaveProperty("Session");
});
