import { beforeAll, describe, expect, test } from "vitest";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import { createSession } from "~/lib/session.server";
import { rotateScimToken, revokeScimToken } from "~/modules/scim/tokens.server";
import { ensureUser, uniqueEmail } from "#test/factories";
import { APP_URL, freshIp, setUpAccountsWorld, world } from "#test/support/accounts-world";
import { sessionCookieFor } from "#test/support/route-harness";
import {
  scimClient,
  type ScimBody as Body,
  type ScimSend as Send,
} from "#test/support/scim-client";

// The SCIM endpoint as an identity provider drives it: the request shapes below are the ones
// Microsoft Entra ID's and Okta's provisioning (and their SCIM validators) send.

setUpAccountsWorld();

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
let usToken: string;
let ukToken: string;

beforeAll(async () => {
  usToken = await rotateScimToken(world.admin, world.us.id, freshIp());
  ukToken = await rotateScimToken(world.admin, world.uk.id, freshIp());
});

/** One SCIM request, with the US institute's token unless told otherwise. */
const scim = scimClient(() => usToken);

const entraUser = (userName: string, extra: object = {}) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
  externalId: `ext-${userName}`,
  userName,
  active: true,
  displayName: "Provisioned Person",
  title: "Research engineer",
  emails: [{ primary: true, type: "work", value: userName }],
  name: { formatted: "Provisioned Person", familyName: "Person", givenName: "Provisioned" },
  ...extra,
});

async function provision(extra: object = {}) {
  const email = uniqueEmail("scim");
  const created = await scim("POST", "/Users", { body: entraUser(email, extra) });
  expect(created.status).toBe(201);
  return created.json;
}

const auditCount = () => db.auditEvent.count();
const expectScimError = (json: Body, status: number, scimType?: string) => {
  expect(json.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  expect(json.status).toBe(String(status));
  if (scimType) expect(json.scimType).toBe(scimType);
};

describe("discovery", () => {
  test("ServiceProviderConfig, Schemas and ResourceTypes answer in SCIM's media type", async () => {
    const config = await scim("GET", "/ServiceProviderConfig");
    expect(config.status).toBe(200);
    expect(config.headers.get("Content-Type")).toBe("application/scim+json");
    expect(config.json.patch.supported).toBe(true);
    expect(config.json.filter).toEqual({ supported: true, maxResults: 100 });
    expect(config.json.authenticationSchemes[0].type).toBe("oauthbearertoken");

    const schemas = await scim("GET", "/Schemas");
    expect(schemas.json.Resources.map((s: { id: string }) => s.id)).toEqual([
      "urn:ietf:params:scim:schemas:core:2.0:User",
      ENTERPRISE,
    ]);
    const types = await scim("GET", "/ResourceTypes");
    expect(types.json.Resources[0]).toMatchObject({ id: "User", endpoint: "/Users" });
    expect(types.json.Resources[0].meta.location).toBe(`${APP_URL}/scim/v2/ResourceTypes/User`);
  });

  test("a resource type the portal does not serve is a SCIM 404", async () => {
    const groups = await scim("GET", "/Groups");
    expect(groups.status).toBe(404);
    expectScimError(groups.json, 404);
    const post = await scim("POST", "/Groups", { body: { displayName: "x" } });
    expect(post.status).toBe(404);
  });
});

describe("bearer tokens", () => {
  test("no token, a wrong one or a session cookie is a 401 in SCIM's format", async () => {
    const admin = await sessionCookieFor(world.admin.id);
    const attempts: Send[] = [
      { token: null },
      { token: "scim_" + "a".repeat(32) },
      { token: usToken.slice(0, -1) },
      { token: null, headers: { Cookie: admin } },
      { token: null, headers: { Authorization: `Basic ${btoa(`x:${usToken}`)}` } },
    ];
    for (const send of attempts) {
      for (const path of ["/Users", "/ServiceProviderConfig", "/Groups"]) {
        const answer = await scim("GET", path, send);
        expect(answer.status, JSON.stringify(send)).toBe(401);
        expectScimError(answer.json, 401);
        expect(answer.headers.get("WWW-Authenticate")).toBe('Bearer realm="scim"');
      }
    }
    const before = await db.user.count();
    const post = await scim("POST", "/Users", { token: null, body: entraUser(uniqueEmail()) });
    expect(post.status).toBe(401);
    expect(await db.user.count()).toBe(before);
  });

  test("the token is stored hashed; rotating it stops the old one at once", async () => {
    const institute = await db.institute.create({
      data: {
        code: `R${clock.ms() % 100000}`,
        name: "Rotation",
        country: "FR",
        timeZone: "UTC",
        locale: "en-GB",
      },
    });
    const first = await rotateScimToken(world.admin, institute.id, freshIp());
    expect(first).toMatch(/^scim_[a-z2-7]{32}$/);
    const row = await db.scimToken.findUniqueOrThrow({ where: { instituteId: institute.id } });
    expect(row.tokenHash).not.toContain(first.slice(5));
    expect((await scim("GET", "/Users", { token: first })).status).toBe(200);

    const second = await rotateScimToken(world.admin, institute.id, freshIp());
    expect(second).not.toBe(first);
    expect((await scim("GET", "/Users", { token: first })).status).toBe(401);
    expect((await scim("GET", "/Users", { token: second })).status).toBe(200);
    const actions = await db.auditEvent.findMany({
      where: { targetId: institute.id },
      select: { action: true },
      orderBy: { seq: "asc" },
    });
    expect(actions.map((a) => a.action)).toEqual(["scim.token.created", "scim.token.rotated"]);

    await revokeScimToken(world.admin, institute.id, freshIp());
    expect((await scim("GET", "/Users", { token: second })).status).toBe(401);
  });

  test("only an administrator makes a token", async () => {
    await expect(rotateScimToken(world.usHr, world.us.id, freshIp())).rejects.toBeInstanceOf(
      Response,
    );
  });
});

describe("create, read and list", () => {
  test("POST provisions STAFF of the token's institute, with no password, audited", async () => {
    const before = await auditCount();
    const created = await provision();
    expect(created).toMatchObject({
      userName: expect.stringMatching(/^scim\./),
      displayName: "Provisioned Person",
      title: "Research engineer",
      active: true,
      meta: { resourceType: "User", location: `${APP_URL}/scim/v2/Users/${created.id}` },
    });
    const stored = await db.user.findUniqueOrThrow({
      where: { id: created.id },
      select: { instituteId: true, roles: true, password: true, scimExternalId: true },
    });
    expect(stored).toEqual({
      instituteId: world.us.id,
      roles: ["STAFF"],
      password: null,
      scimExternalId: `ext-${created.userName}`,
    });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { targetId: created.id },
      select: { action: true, instituteId: true },
    });
    expect(event).toEqual({ action: "scim.user.created", instituteId: world.us.id });
    expect(await auditCount()).toBe(before + 1);

    const read = await scim("GET", `/Users/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get("ETag")).toBe(read.json.meta.version);
    expect(read.json).toEqual(created);
  });

  test("a name from name parts, and a manager through the enterprise extension", async () => {
    const created = await provision({
      displayName: undefined,
      name: { givenName: "Ada", familyName: "Lovelace" },
      [ENTERPRISE]: { manager: { value: world.usManager.id } },
    });
    expect(created.displayName).toBe("Ada Lovelace");
    expect(created[ENTERPRISE].manager.value).toBe(world.usManager.id);
  });

  test("filter userName eq finds the person, in any case, and only in the token's institute", async () => {
    const created = await provision();
    const found = await scim(
      "GET",
      `/Users?filter=${encodeURIComponent(`userName eq "${created.userName.toUpperCase()}"`)}`,
    );
    expect(found.json).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(found.json.Resources[0].id).toBe(created.id);

    const byExternal = await scim(
      "GET",
      `/Users?filter=${encodeURIComponent(`externalId eq "ext-${created.userName}"`)}`,
    );
    expect(byExternal.json.Resources.map((r: { id: string }) => r.id)).toEqual([created.id]);

    // The UK person exists, but not for the US token: nothing, as for anyone unknown.
    for (const userName of [world.ukStaff.email, "nobody@test.example"]) {
      const none = await scim(
        "GET",
        `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
      );
      expect(none.json).toMatchObject({ totalResults: 0, Resources: [] });
    }
    // And the UK token sees its own.
    const uk = await scim(
      "GET",
      `/Users?filter=${encodeURIComponent(`userName eq "${world.ukStaff.email}"`)}`,
      { token: ukToken },
    );
    expect(uk.json.totalResults).toBe(1);
  });

  test("a list pages with startIndex and count, never past 100, and hides admins", async () => {
    const all = await scim("GET", "/Users");
    const total = all.json.totalResults as number;
    expect(total).toBeGreaterThanOrEqual(3);
    const ids = all.json.Resources.map((r: { id: string }) => r.id);
    expect(ids).not.toContain(world.admin.id);
    expect(ids).not.toContain(world.ukStaff.id);
    const page = await scim("GET", "/Users?startIndex=2&count=1");
    expect(page.json).toMatchObject({ totalResults: total, startIndex: 2, itemsPerPage: 1 });
    expect(page.json.Resources[0].id).toBe(ids[1]);
    const odd = await scim("GET", "/Users?startIndex=-5&count=100000");
    expect(odd.json.startIndex).toBe(1);
    expect(odd.json.itemsPerPage).toBe(Math.min(total, 100));
    const none = await scim("GET", "/Users?count=0");
    expect(none.json).toMatchObject({ totalResults: total, itemsPerPage: 0, Resources: [] });
  });

  test("bad filters are a 400 invalidFilter, never everyone", async () => {
    for (const filter of [
      'userName co "a"',
      'title eq "x"',
      "userName eq unquoted",
      'userName eq "a" or userName eq "b"',
      'userName eq "bad \\q escape"',
      "(",
      '"',
    ]) {
      const answer = await scim("GET", `/Users?filter=${encodeURIComponent(filter)}`);
      expect(answer.status, filter).toBe(400);
      expectScimError(answer.json, 400, "invalidFilter");
    }
  });

  test("a duplicate userName is a 409 uniqueness, and bad input a 400, with nothing written", async () => {
    const created = await provision();
    const before = { users: await db.user.count(), audit: await auditCount() };
    const dup = await scim("POST", "/Users", { body: entraUser(created.userName) });
    expect(dup.status).toBe(409);
    expectScimError(dup.json, 409, "uniqueness");
    // Someone of another institute holds the address: still a conflict, and still not written.
    const other = await scim("POST", "/Users", { body: entraUser(world.ukStaff.email) });
    expect(other.status).toBe(409);

    const bad: [Send, number][] = [
      [{ body: entraUser("not an address") }, 400],
      [{ body: { userName: 42 } }, 400],
      [{ body: entraUser(uniqueEmail(), { active: "maybe" }) }, 400],
      [{ body: entraUser(uniqueEmail(), { displayName: "x".repeat(500) }) }, 400],
      [{ body: entraUser(uniqueEmail(), { [ENTERPRISE]: { manager: world.ukStaff.id } }) }, 400],
      [{ body: [1, 2] }, 400],
      [{ raw: "{not json" }, 400],
      [{ raw: "{}", headers: { "Content-Type": "text/plain" } }, 415],
    ];
    for (const [send, status] of bad) {
      const answer = await scim("POST", "/Users", send);
      expect(answer.status, JSON.stringify(send)).toBe(status);
      expect(answer.json.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    }
    expect({ users: await db.user.count(), audit: await auditCount() }).toEqual(before);
  });

  test("with email domains configured, userName must be in one of them", async () => {
    await db.institute.update({
      where: { id: world.us.id },
      data: { emailDomains: ["us.example.gov"] },
    });
    try {
      const outside = await scim("POST", "/Users", { body: entraUser(uniqueEmail()) });
      expect(outside.status).toBe(400);
      expectScimError(outside.json, 400, "invalidValue");
      const inside = await scim("POST", "/Users", {
        body: entraUser(`person.${clock.ms()}@us.example.gov`),
      });
      expect(inside.status).toBe(201);
    } finally {
      await db.institute.update({ where: { id: world.us.id }, data: { emailDomains: [] } });
    }
  });
});

describe("replace, patch and delete", () => {
  test("PUT replaces the attributes; a stale If-Match is a 412", async () => {
    const created = await provision();
    const replaced = await scim("PUT", `/Users/${created.id}`, {
      body: entraUser(created.userName, { displayName: "Renamed", title: undefined }),
      headers: { "If-Match": created.meta.version },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.json.displayName).toBe("Renamed");
    expect(replaced.json.title).toBeUndefined();
    expect(replaced.json.meta.version).not.toBe(created.meta.version);

    const stale = await scim("PUT", `/Users/${created.id}`, {
      body: entraUser(created.userName, { displayName: "Lost update" }),
      headers: { "If-Match": created.meta.version },
    });
    expect(stale.status).toBe(412);
    expect((await scim("GET", `/Users/${created.id}`)).json.displayName).toBe("Renamed");
  });

  test("two writes at once: one If-Match version wins, and no PATCH is lost", async () => {
    const created = await provision();
    const [first, second] = await Promise.all(
      ["One", "Two"].map((displayName) =>
        scim("PUT", `/Users/${created.id}`, {
          body: entraUser(created.userName, { displayName }),
          headers: { "If-Match": created.meta.version },
        }),
      ),
    );
    expect([first!.status, second!.status].sort()).toEqual([200, 412]);
    const winner = first!.status === 200 ? first! : second!;
    expect((await scim("GET", `/Users/${created.id}`)).json.displayName).toBe(
      winner.json.displayName,
    );

    // Without If-Match, each PATCH applies to the person as the other left them.
    await Promise.all([
      scim("PATCH", `/Users/${created.id}`, {
        body: { Operations: [{ op: "replace", path: "title", value: "Both kept" }] },
      }),
      scim("PATCH", `/Users/${created.id}`, {
        body: { Operations: [{ op: "replace", path: "displayName", value: "Both kept" }] },
      }),
    ]);
    expect((await scim("GET", `/Users/${created.id}`)).json).toMatchObject({
      title: "Both kept",
      displayName: "Both kept",
    });
  });

  test("PATCH active False (Entra's shape) deactivates and ends every session at once", async () => {
    const created = await provision();
    await createSession(created.id, { mfaVerified: true });
    await createSession(created.id, { mfaVerified: true });
    expect(await db.session.count({ where: { userId: created.id } })).toBe(2);
    const patched = await scim("PATCH", `/Users/${created.id}`, {
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "Replace", path: "active", value: "False" }],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.active).toBe(false);
    expect(await db.session.count({ where: { userId: created.id } })).toBe(0);
    const stored = await db.user.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.deactivatedAt).not.toBeNull();
    const actions = await db.auditEvent.findMany({
      where: { targetId: created.id },
      orderBy: { seq: "asc" },
      select: { action: true },
    });
    expect(actions.map((a) => a.action)).toEqual(["scim.user.created", "user.deactivated"]);

    // Okta's shape: no path, the attributes in the value.
    const back = await scim("PATCH", `/Users/${created.id}`, {
      body: { Operations: [{ op: "replace", value: { active: true } }] },
    });
    expect(back.json.active).toBe(true);
  });

  test("PATCH changes names, title and manager, and removes them", async () => {
    const created = await provision();
    const patched = await scim("PATCH", `/Users/${created.id}`, {
      body: {
        Operations: [
          { op: "Replace", path: "displayName", value: "Grace Hopper" },
          { op: "Add", path: "title", value: "Admiral" },
          { op: "Replace", path: `${ENTERPRISE}:manager`, value: world.usManager.id },
          { op: "Replace", path: 'emails[type eq "work"].value', value: created.userName },
          { op: "Add", path: "phoneNumbers", value: [{ value: "+1 555" }] },
        ],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ displayName: "Grace Hopper", title: "Admiral" });
    expect(patched.json[ENTERPRISE].manager.value).toBe(world.usManager.id);
    const removed = await scim("PATCH", `/Users/${created.id}`, {
      body: {
        Operations: [
          { op: "Remove", path: "title" },
          { op: "Remove", path: `${ENTERPRISE}:manager` },
        ],
      },
    });
    expect(removed.json.title).toBeUndefined();
    expect(removed.json[ENTERPRISE]).toBeUndefined();
  });

  test("a bad PATCH is a 400 and changes nothing", async () => {
    const created = await provision();
    const before = {
      audit: await auditCount(),
      user: await db.user.findUnique({ where: { id: created.id } }),
    };
    const bad = [
      { Operations: [{ op: "explode", path: "title", value: "x" }] },
      { Operations: [] },
      { Operations: "replace" },
      { Operations: [{ op: "replace", path: "active", value: "sometimes" }] },
      { Operations: [{ op: "remove", path: "userName" }] },
      { Operations: [{ op: "remove" }] },
      { Operations: [{ op: "replace", path: "title]]", value: "x" }] },
      // The first operation is fine; the second is not: neither is applied.
      {
        Operations: [
          { op: "replace", path: "title", value: "Half" },
          { op: "replace", path: "userName", value: "not an address" },
        ],
      },
    ];
    for (const body of bad) {
      const answer = await scim("PATCH", `/Users/${created.id}`, { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expectScimError(answer.json, 400);
    }
    expect({
      audit: await auditCount(),
      user: await db.user.findUnique({ where: { id: created.id } }),
    }).toEqual(before);
  });

  test("DELETE deactivates, ends sessions, keeps the account and its audit trail; then 404", async () => {
    const created = await provision();
    await createSession(created.id, { mfaVerified: true });
    const deleted = await scim("DELETE", `/Users/${created.id}`);
    expect(deleted.status).toBe(204);
    const stored = await db.user.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.deactivatedAt).not.toBeNull();
    expect(stored.scimDeletedAt).not.toBeNull();
    expect(await db.session.count({ where: { userId: created.id } })).toBe(0);
    const actions = await db.auditEvent.findMany({
      where: { targetId: created.id },
      orderBy: { seq: "asc" },
      select: { action: true },
    });
    expect(actions.map((a) => a.action)).toEqual(["scim.user.created", "scim.user.deleted"]);
    for (const method of ["GET", "DELETE"]) {
      const gone = await scim(method, `/Users/${created.id}`);
      expect(gone.status).toBe(404);
      expectScimError(gone.json, 404);
    }
  });

  test("another institute's person, an admin or garbage is a 404 to every method, nothing written", async () => {
    const ukPerson = await ensureUser(db, {
      email: uniqueEmail("uk.other"),
      displayName: "UK Other",
      instituteId: world.uk.id,
    });
    const before = {
      audit: await auditCount(),
      user: await db.user.findUnique({ where: { id: ukPerson.id } }),
    };
    for (const id of [ukPerson.id, world.admin.id, "does-not-exist", "%00", "x".repeat(100)]) {
      for (const [method, body] of [
        ["GET", undefined],
        ["PUT", entraUser(uniqueEmail())],
        ["PATCH", { Operations: [{ op: "replace", path: "active", value: false }] }],
        ["DELETE", undefined],
      ] as const) {
        const answer = await scim(method, `/Users/${encodeURIComponent(id)}`, { body });
        expect(answer.status, `${method} ${id}`).toBe(404);
        expectScimError(answer.json, 404);
      }
    }
    expect({
      audit: await auditCount(),
      user: await db.user.findUnique({ where: { id: ukPerson.id } }),
    }).toEqual(before);
  });
});
