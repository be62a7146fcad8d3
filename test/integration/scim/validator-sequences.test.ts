import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import { createSession } from "~/lib/session.server";
import { rotateScimToken } from "~/modules/scim/tokens.server";
import { uniqueEmail } from "#test/factories";
import { APP_URL, freshIp, setUpAccountsWorld, world } from "#test/support/accounts-world";
import { scimClient, type ScimAnswer, type ScimBody } from "#test/support/scim-client";

// The request sequences the two common identity providers' SCIM checkers send, replayed in order
// against the route handlers, each step asserting what the checker asserts and then what the
// portal must have done. Each sequence runs in an institute of its own, with its own token, so
// that its lists hold only what it made (and, for Okta, one person provisioned beforehand, as
// Okta's instructions ask).
//
// Microsoft Entra ID: the SCIM Validator (scimvalidator.microsoft.com) and the provisioning service
// itself. The validator makes each attribute up independently: userName and the work address are
// on different domains, and name.formatted is not the displayName. It sends PATCH values as
// "Replace"/"Add" with paths, or as one operation whose value has dotted attribute paths as keys,
// and booleans as the strings "True"/"False".
//
// Okta: the "Okta SCIM 2.0 SPEC Test" Runscope suite (its required steps, by their names), then
// what Okta's provisioning sends: a full PUT for a profile change, and PATCH { active } to
// deactivate or reactivate. Its userName keeps capitals and is compared exactly.

setUpAccountsWorld();

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** An institute with no one in it yet, and its SCIM token. */
async function freshInstitute(name: string) {
  const institute = await db.institute.create({
    data: {
      code: `${name.slice(0, 1)}${clock.ms().toString(36)}`,
      name,
      country: "GB",
      timeZone: "UTC",
      locale: "en-GB",
    },
  });
  return { id: institute.id, token: await rotateScimToken(world.admin, institute.id, freshIp()) };
}

/** What every checker asserts of a User resource, wherever it appears. */
function expectUserResource(json: ScimBody) {
  expect(json.schemas).toContain(CORE);
  expect(json.id).toEqual(expect.any(String));
  expect(json.id).not.toBe("");
  expect(json.meta).toMatchObject({
    resourceType: "User",
    location: `${APP_URL}/scim/v2/Users/${json.id}`,
    version: expect.stringMatching(/^W\/".+"$/),
  });
  expect(new Date(json.meta.created).toISOString()).toBe(json.meta.created);
  expect(new Date(json.meta.lastModified).toISOString()).toBe(json.meta.lastModified);
}

/** A ListResponse (RFC 7644 3.4.2) with these numbers. */
function expectList(answer: ScimAnswer, totalResults: number, startIndex = 1) {
  expect(answer.status).toBe(200);
  expect(answer.json.schemas).toEqual([LIST]);
  expect(answer.json).toMatchObject({
    totalResults,
    startIndex,
    itemsPerPage: answer.json.Resources.length,
  });
  expect(Array.isArray(answer.json.Resources)).toBe(true);
  for (const resource of answer.json.Resources) expectUserResource(resource);
}

/** An error in SCIM's format (RFC 7644 3.12): status as a string, a detail, the scimType if any. */
function expectError(answer: ScimAnswer, status: number, scimType?: string) {
  expect(answer.status).toBe(status);
  expect(answer.json.schemas).toEqual([ERROR]);
  expect(answer.json.status).toBe(String(status));
  expect(answer.json.detail).toEqual(expect.any(String));
  expect(answer.json.detail).not.toBe("");
  if (scimType) expect(answer.json.scimType).toBe(scimType);
  else expect(answer.json.scimType).toBeUndefined();
}

/** The work address in a resource, as Entra reads it: emails[type eq "work"].value. */
const workEmail = (json: ScimBody) =>
  (json.emails as { type?: string; value: string }[] | undefined)?.find((e) => e.type === "work")
    ?.value;

const auditActions = async (userId: string) =>
  (
    await db.auditEvent.findMany({
      where: { targetId: userId },
      orderBy: { seq: "asc" },
      select: { action: true },
    })
  ).map((e) => e.action);

describe("Microsoft Entra ID: SCIM Validator and provisioning service", () => {
  let token: string;
  const scim = scimClient(() => token);
  const local = uniqueEmail("dale.mohr").split("@")[0]!;
  // Made up independently, as the validator does.
  const sent = {
    schemas: [CORE, ENTERPRISE],
    externalId: randomUUID(),
    userName: `${local}@romaguera.example`,
    active: true,
    displayName: "XKWLCONOGMVT",
    title: "Research engineer",
    name: { formatted: "Aric", familyName: "Nia", givenName: "Sandy" },
    emails: [{ primary: true, type: "work", value: `${local}@prohaska.example` }],
    meta: { resourceType: "User" },
    roles: [],
    [ENTERPRISE]: { department: "Evaluations", employeeNumber: "99887766" },
  };
  let managerId: string;
  let id: string;
  let created: ScimBody;
  // Entra's filter, encoded as it sends it: spaces as "+".
  const byUserName = (userName: string) =>
    `/Users?filter=userName+eq+%22${encodeURIComponent(userName)}%22`;

  beforeAll(async () => {
    token = (await freshInstitute("Entra")).token;
    // The manager is provisioned first, as Entra does, so that the person can name them.
    const manager = await scim("POST", "/Users", {
      body: {
        schemas: [CORE, ENTERPRISE],
        externalId: randomUUID(),
        userName: uniqueEmail("manager"),
        active: true,
        displayName: "Casey Manager",
        name: { givenName: "Casey", familyName: "Manager" },
      },
    });
    expect(manager.status).toBe(201);
    managerId = manager.json.id;
  });

  test("Test Connection: a filter for a random userName is an empty list", async () => {
    const answer = await scim("GET", byUserName(randomUUID()));
    expectList(answer, 0);
    expect(answer.json.Resources).toEqual([]);
  });

  test("POST /Users: creates the person and returns every attribute as sent", async () => {
    const before = await db.auditEvent.count();
    const answer = await scim("POST", "/Users", {
      body: { ...sent, [ENTERPRISE]: { ...sent[ENTERPRISE], manager: { value: managerId } } },
    });
    expect(answer.status).toBe(201);
    created = answer.json;
    id = created.id;
    expectUserResource(created);
    expect(answer.headers.get("Location")).toBe(created.meta.location);
    expect(answer.headers.get("ETag")).toBe(created.meta.version);
    expect(created).toMatchObject({
      externalId: sent.externalId,
      userName: sent.userName,
      active: true,
      displayName: sent.displayName,
      title: sent.title,
      name: sent.name,
    });
    expect(workEmail(created)).toBe(sent.emails[0]!.value);
    expect(created.schemas).toContain(ENTERPRISE);
    expect(created[ENTERPRISE]).toMatchObject({
      department: "Evaluations",
      manager: { value: managerId },
    });

    const stored = await db.user.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({
      email: sent.userName,
      displayName: sent.displayName,
      jobTitle: sent.title,
      team: "Evaluations",
      lineManagerId: managerId,
      scimExternalId: sent.externalId,
      deactivatedAt: null,
      roles: ["STAFF"],
    });
    expect(await auditActions(id)).toEqual(["scim.user.created"]);
    expect(await db.auditEvent.count()).toBe(before + 1);
  });

  test("GET /Users?filter=userName eq: finds the person, as created", async () => {
    const answer = await scim("GET", byUserName(sent.userName));
    expectList(answer, 1);
    expect(answer.json.Resources[0]).toEqual(created);
  });

  test("GET /Users?filter=userName eq with another case, and with excludedAttributes", async () => {
    const upper = await scim("GET", byUserName(sent.userName.toUpperCase()));
    expectList(upper, 1);
    expect(upper.json.Resources[0].id).toBe(id);
    // The portal does not apply excludedAttributes (it answers the whole resource); the parameter
    // must not get in the way of the lookup.
    const excluding = await scim("GET", `${byUserName(sent.userName)}&excludedAttributes=members`);
    expectList(excluding, 1);
    expect(excluding.json.Resources[0].id).toBe(id);
  });

  test("GET /Users?filter=externalId eq: finds the person", async () => {
    const answer = await scim(
      "GET",
      `/Users?filter=${encodeURIComponent(`externalId eq "${sent.externalId}"`)}`,
    );
    expectList(answer, 1);
    expect(answer.json.Resources[0].id).toBe(id);
  });

  test("GET /Users?filter=userName eq a non-existent user: 200 and totalResults 0", async () => {
    const answer = await scim("GET", byUserName(`nobody.${local}@romaguera.example`));
    expectList(answer, 0);
  });

  test("GET /Users/{id}: the person, as created; an unknown id is a SCIM 404", async () => {
    const answer = await scim("GET", `/Users/${id}`);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual(created);
    expect(answer.headers.get("ETag")).toBe(created.meta.version);

    expectError(await scim("GET", `/Users/${randomUUID()}`), 404);
  });

  test("PATCH, the validator's shape: one replace whose value has dotted paths", async () => {
    const answer = await scim("PATCH", `/Users/${id}`, {
      body: {
        Operations: [
          { op: "replace", value: { "name.givenName": "Oswaldo", "name.familyName": "Rylan" } },
        ],
        schemas: [PATCH_OP],
      },
    });
    expect(answer.status).toBe(200);
    expectUserResource(answer.json);
    expect(answer.json.name).toEqual({
      formatted: "Aric",
      givenName: "Oswaldo",
      familyName: "Rylan",
    });
    // Only the name parts were sent: the display name, set on its own, stays.
    expect(answer.json.displayName).toBe(sent.displayName);
    expect(answer.json.meta.version).not.toBe(created.meta.version);

    const read = await scim("GET", byUserName(sent.userName));
    expect(read.json.Resources[0]).toEqual(answer.json);
  });

  test("PATCH, the provisioning service's shape: Replace and Add with paths", async () => {
    const email = `${local}.new@prohaska.example`;
    const answer = await scim("PATCH", `/Users/${id}`, {
      body: {
        schemas: [PATCH_OP],
        Operations: [
          { op: "Replace", path: "displayName", value: "Dale Mohr" },
          { op: "Replace", path: "name.formatted", value: "Dale Mohr" },
          { op: "Replace", path: "name.givenName", value: "Dale" },
          { op: "Replace", path: "name.familyName", value: "Mohr" },
          { op: "Add", path: 'emails[type eq "work"].value', value: email },
          { op: "Replace", path: "title", value: "Senior research engineer" },
          { op: "Replace", path: `${ENTERPRISE}:department`, value: "Red team" },
        ],
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      displayName: "Dale Mohr",
      name: { formatted: "Dale Mohr", givenName: "Dale", familyName: "Mohr" },
      title: "Senior research engineer",
    });
    expect(workEmail(answer.json)).toBe(email);
    expect(answer.json[ENTERPRISE].department).toBe("Red team");
    const read = await scim("GET", `/Users/${id}`);
    expect(read.json).toEqual(answer.json);
    const stored = await db.user.findUniqueOrThrow({ where: { id } });
    // The portal's own address is still the userName; the work address is the provider's.
    expect(stored).toMatchObject({
      email: sent.userName,
      displayName: "Dale Mohr",
      team: "Red team",
    });
  });

  test("PATCH Update userName: found under the new one only", async () => {
    const userName = `${local}.renamed@romaguera.example`;
    const answer = await scim("PATCH", `/Users/${id}`, {
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "Replace", path: "userName", value: userName }],
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.userName).toBe(userName);
    expectList(await scim("GET", byUserName(sent.userName)), 0);
    const found = await scim("GET", byUserName(userName));
    expectList(found, 1);
    expect(found.json.Resources[0].id).toBe(id);
    sent.userName = userName;
  });

  test("PATCH manager: Remove, then Add by id", async () => {
    const manager = `${ENTERPRISE}:manager`;
    const removed = await scim("PATCH", `/Users/${id}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "Remove", path: manager }] },
    });
    expect(removed.status).toBe(200);
    expect(removed.json[ENTERPRISE]?.manager).toBeUndefined();
    const added = await scim("PATCH", `/Users/${id}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "Add", path: manager, value: managerId }] },
    });
    expect(added.status).toBe(200);
    expect(added.json[ENTERPRISE].manager.value).toBe(managerId);
  });

  test('PATCH Disable User (active "False"): deactivated, every session ended, audited', async () => {
    await createSession(id, { mfaVerified: true });
    await createSession(id, { mfaVerified: true });
    const answer = await scim("PATCH", `/Users/${id}`, {
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "Replace", path: "active", value: "False" }],
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.active).toBe(false);
    expect(await db.session.count({ where: { userId: id } })).toBe(0);
    const stored = await db.user.findUniqueOrThrow({ where: { id } });
    expect(stored.deactivatedAt).not.toBeNull();
    // "Response from a GET and filter request on a disabled User should have attribute active".
    const read = await scim("GET", byUserName(sent.userName));
    expectList(read, 1);
    expect(read.json.Resources[0].active).toBe(false);
    expect((await auditActions(id)).at(-1)).toBe("user.deactivated");
  });

  test('PATCH active "True", then false as a boolean: reactivated, then deactivated', async () => {
    const on = await scim("PATCH", `/Users/${id}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: "True" }] },
    });
    expect(on.json.active).toBe(true);
    expect((await db.user.findUniqueOrThrow({ where: { id } })).deactivatedAt).toBeNull();
    const off = await scim("PATCH", `/Users/${id}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: false }] },
    });
    expect(off.json.active).toBe(false);
    expect((await auditActions(id)).slice(-2)).toEqual(["user.reactivated", "user.deactivated"]);
  });

  test("POST the same userName again: 409 uniqueness, nothing written", async () => {
    const before = { users: await db.user.count(), audit: await db.auditEvent.count() };
    const answer = await scim("POST", "/Users", {
      body: { ...sent, externalId: randomUUID() },
    });
    expectError(answer, 409, "uniqueness");
    expect({ users: await db.user.count(), audit: await db.auditEvent.count() }).toEqual(before);
  });

  test("DELETE /Users/{id}: 204; deactivated, sessions ended, the audit trail kept; then 404", async () => {
    const on = await scim("PATCH", `/Users/${id}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: true }] },
    });
    expect(on.json.active).toBe(true);
    await createSession(id, { mfaVerified: true });
    const trail = await auditActions(id);
    const answer = await scim("DELETE", `/Users/${id}`);
    expect(answer.status).toBe(204);
    expect(answer.json).toBeNull();

    const stored = await db.user.findUniqueOrThrow({ where: { id } });
    expect(stored.deactivatedAt).not.toBeNull();
    expect(stored.scimDeletedAt).not.toBeNull();
    expect(await db.session.count({ where: { userId: id } })).toBe(0);
    expect(await auditActions(id)).toEqual([...trail, "scim.user.deleted"]);

    expectError(await scim("GET", `/Users/${id}`), 404);
    expectError(await scim("DELETE", `/Users/${id}`), 404);
    expectList(await scim("GET", byUserName(sent.userName)), 0);
  });
});

describe("Okta: SCIM 2.0 SPEC Test, then provisioning", () => {
  let token: string;
  let instituteId: string;
  const scim = scimClient(() => token);
  // Okta's initial script: a capitalised username, and the same in capitals for the case check.
  const stamp = clock.ms().toString(36);
  const randomGivenName = `Runscope${stamp}`;
  const randomFamilyName = `Hfluaklab${stamp}`;
  const randomUsername = `${randomGivenName}${randomFamilyName}@example.com`;
  const randomEmail = randomUsername;
  const randomUsernameCaps = randomUsername.toUpperCase();
  const invalidUserEmail = `abcdefgh.${stamp}@example.com`;
  const userIdThatDoesNotExist = "010101001010101011001010101011";
  const oktaHeaders = { "User-Agent": "OKTA SCIM Integration", Accept: "application/scim+json" };
  const get = (path: string) => scim("GET", path, { headers: oktaHeaders });
  const filter = (userName: string) => `/Users?filter=userName eq "${userName}"`;
  let isvUserId: string;
  let idUserOne: string;

  beforeAll(async () => {
    ({ id: instituteId, token } = await freshInstitute("Okta"));
    // "Create at least one user in your SCIM server before running the Okta SCIM API test suite."
    const first = await scim("POST", "/Users", {
      body: {
        schemas: [CORE],
        userName: uniqueEmail("first"),
        name: { givenName: "First", familyName: "Person" },
        emails: [{ primary: true, value: uniqueEmail("first.work"), type: "work" }],
        displayName: "First Person",
        active: true,
      },
    });
    expect(first.status).toBe(201);
  });

  test("Required Test: Test Users endpoint (count=1&startIndex=1)", async () => {
    const answer = await get("/Users?count=1&startIndex=1");
    expect(answer.status).toBe(200);
    expect(answer.json.schemas).toContain(LIST);
    expect(answer.json.Resources).not.toHaveLength(0);
    expect(answer.json).toMatchObject({
      itemsPerPage: 1,
      startIndex: 1,
      totalResults: expect.any(Number),
    });
    const first = answer.json.Resources[0];
    isvUserId = first.id;
    for (const value of [
      first.id,
      first.name.familyName,
      first.name.givenName,
      first.userName,
      first.emails[0].value,
    ])
      expect(value).toEqual(expect.stringMatching(/./));
    expect(first.active).toBe(true);
  });

  test("Required Test: Get Users/{{id}}", async () => {
    const answer = await get(`/Users/${isvUserId}`);
    expect(answer.status).toBe(200);
    expectUserResource(answer.json);
    expect(answer.json.id).toBe(isvUserId);
    for (const value of [
      answer.json.name.familyName,
      answer.json.name.givenName,
      answer.json.userName,
      answer.json.emails[0].value,
    ])
      expect(value).toEqual(expect.stringMatching(/./));
  });

  test("Required Test: Test invalid User by username", async () => {
    const answer = await get(filter(invalidUserEmail));
    expectList(answer, 0);
  });

  test("Required Test: Test invalid User by ID", async () => {
    expectError(await get(`/Users/${userIdThatDoesNotExist}`), 404);
  });

  test("Required Test: Make sure random user doesn't exist", async () => {
    expectList(await get(filter(randomEmail)), 0);
  });

  test("Required Test: Create Okta user with realistic values (and a password)", async () => {
    const answer = await scim("POST", "/Users", {
      // Okta sends application/json here, and a password when it syncs passwords.
      headers: {
        "Content-Type": "application/json",
        Accept: "application/scim+json; charset=utf-8",
      },
      raw: JSON.stringify({
        schemas: [CORE],
        userName: randomUsername,
        name: { givenName: randomGivenName, familyName: randomFamilyName },
        emails: [{ primary: true, value: randomEmail, type: "work" }],
        displayName: `${randomGivenName} ${randomFamilyName}`,
        active: true,
        password: "1mz050nq",
        groups: [],
      }),
    });
    expect(answer.status).toBe(201);
    idUserOne = answer.json.id;
    expectUserResource(answer.json);
    expect(answer.json.active).toBe(true);
    expect(answer.json.name.familyName).toBe(randomFamilyName);
    expect(answer.json.name.givenName).toBe(randomGivenName);
    expect(answer.json.userName).toBe(randomUsername);
    expect(answer.json.emails[0].value).toBe(randomEmail);

    // No password is kept: a provisioned person signs in by SSO or a link.
    const stored = await db.user.findUniqueOrThrow({
      where: { id: idUserOne },
      select: { instituteId: true, email: true, password: true },
    });
    expect(stored).toEqual({ instituteId, email: randomUsername.toLowerCase(), password: null });
  });

  test("Required Test: Verify that user was created", async () => {
    const answer = await get(`/Users/${idUserOne}`);
    expect(answer.status).toBe(200);
    expect(answer.json.userName).toBe(randomUsername);
    expect(answer.json.name.familyName).toBe(randomFamilyName);
    expect(answer.json.name.givenName).toBe(randomGivenName);
  });

  test("Required Test: Expect failure when recreating user with same values", async () => {
    const answer = await scim("POST", "/Users", {
      headers: { "Content-Type": "application/json" },
      raw: JSON.stringify({
        schemas: [CORE],
        userName: randomUsername,
        name: { givenName: randomGivenName, familyName: randomFamilyName },
        emails: [{ primary: true, value: randomUsername, type: "work" }],
        displayName: `${randomGivenName} ${randomFamilyName}`,
        active: true,
      }),
    });
    expectError(answer, 409, "uniqueness");
  });

  test("Required Test: Username Case Sensitivity Check", async () => {
    const answer = await get(filter(randomUsernameCaps));
    expectList(answer, 1);
    expect(answer.json.Resources[0].id).toBe(idUserOne);
  });

  test("Optional Test: Verify Groups endpoint (groups are not provisioned: a SCIM 404)", async () => {
    expectError(await get("/Groups"), 404);
  });

  test("Required Test: Check status 401", async () => {
    const answer = await scim("GET", filter(randomUsernameCaps), {
      token: null,
      headers: { ...oktaHeaders, Authorization: "non-token" },
    });
    expectError(answer, 401);
  });

  test("Required Test: Check status 404", async () => {
    expectError(await get("/Users/00919288221112222"), 404);
  });

  test("Provisioning: the lookup before an assignment (filter, startIndex=1, count=100)", async () => {
    const answer = await get(`${filter(randomUsername)}&startIndex=1&count=100`);
    expectList(answer, 1);
    expect(answer.json.Resources[0].id).toBe(idUserOne);
  });

  test("Provisioning: a profile change is a full PUT", async () => {
    const current = await get(`/Users/${idUserOne}`);
    const answer = await scim("PUT", `/Users/${idUserOne}`, {
      body: {
        schemas: [CORE],
        id: idUserOne,
        userName: randomUsername,
        name: { givenName: "Renamed", familyName: randomFamilyName },
        emails: [{ primary: true, value: randomEmail, type: "work" }],
        displayName: `Renamed ${randomFamilyName}`,
        locale: "en-US",
        externalId: "00ujl29u0le5T6Aj10h7",
        groups: [],
        password: "1mz050nq",
        active: true,
      },
    });
    expect(answer.status).toBe(200);
    expectUserResource(answer.json);
    expect(answer.json).toMatchObject({
      id: idUserOne,
      userName: randomUsername,
      displayName: `Renamed ${randomFamilyName}`,
      name: { givenName: "Renamed", familyName: randomFamilyName },
      externalId: "00ujl29u0le5T6Aj10h7",
      active: true,
    });
    expect(answer.json.meta.version).not.toBe(current.json.meta.version);
    const update = await db.auditEvent.findFirstOrThrow({
      where: { targetId: idUserOne, action: "scim.user.updated" },
      orderBy: { seq: "desc" },
    });
    expect((update.details as { changed: string[] }).changed).toEqual(
      expect.arrayContaining(["displayName"]),
    );
  });

  test("Provisioning: PATCH replace { active: false } deactivates and ends every session", async () => {
    await createSession(idUserOne, { mfaVerified: true });
    await createSession(idUserOne, { mfaVerified: true });
    const answer = await scim("PATCH", `/Users/${idUserOne}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.active).toBe(false);
    expect(await db.session.count({ where: { userId: idUserOne } })).toBe(0);
    expect((await auditActions(idUserOne)).at(-1)).toBe("user.deactivated");
  });

  test("Provisioning: PATCH replace { active: true } reactivates", async () => {
    const answer = await scim("PATCH", `/Users/${idUserOne}`, {
      body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: true } }] },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.active).toBe(true);
    const stored = await db.user.findUniqueOrThrow({ where: { id: idUserOne } });
    expect(stored.deactivatedAt).toBeNull();
    expect(await auditActions(idUserOne)).toEqual([
      "scim.user.created",
      "scim.user.updated",
      "user.deactivated",
      "user.reactivated",
    ]);
  });
});
