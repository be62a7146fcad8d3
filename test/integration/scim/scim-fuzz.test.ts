import fc from "fast-check";
import { beforeAll, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { verifyAuditChain } from "~/modules/audit/audit.server";
import { rotateScimToken } from "~/modules/scim/tokens.server";
import * as user from "~/routes/scim/scim.v2.Users.$userId";
import * as users from "~/routes/scim/scim.v2.Users._index";
import { ensureUser, uniqueEmail } from "#test/factories";
import { APP_URL, freshIp, setUpAccountsWorld, world } from "#test/support/accounts-world";
import { call } from "#test/support/route-harness";

// The SCIM endpoint with a valid token and generated bodies: plausible attributes in the shapes
// identity providers send, mixed with wrong types, unknown operations and paths, huge and
// control-character strings, and other institutes' ids. Every answer is below 500, and a refusal
// writes nothing. (The form fuzzer, test/integration/routes/fuzz-actions.test.ts, covers
// requests without a token.)

setUpAccountsWorld();

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
let token: string;
let targetId: string;

beforeAll(async () => {
  token = await rotateScimToken(world.admin, world.us.id, freshIp());
  targetId = (
    await ensureUser(db, {
      email: uniqueEmail("fuzz.target"),
      displayName: "Fuzz Target",
      instituteId: world.us.id,
    })
  ).id;
});

const scalar = fc.oneof(
  fc.string(),
  fc.constantFrom("", "False", "true", "x".repeat(5000), "a\u0000b", "\u202Eevil", "😀"),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const loose = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(fc.string(), scalar),
);
const email = fc.oneof(
  fc.constant(null).map(() => uniqueEmail("fuzz")),
  fc.constantFrom("not an address", "", " UPPER@TEST.EXAMPLE "),
  fc.emailAddress(),
);
const idLike = fc.constantFrom(
  "target",
  "manager",
  "uk",
  "nobody",
  "",
  "' OR 1=1 --",
  "x".repeat(100),
);
const resolveId = (v: string) =>
  v === "target"
    ? targetId
    : v === "manager"
      ? world.usManager.id
      : v === "uk"
        ? world.ukStaff.id
        : v;

const resource = fc.record(
  {
    userName: fc.oneof(email, loose),
    displayName: fc.oneof(fc.string({ maxLength: 200 }), loose),
    title: fc.oneof(fc.string(), loose),
    active: fc.oneof(fc.boolean(), loose),
    externalId: fc.oneof(fc.string(), loose),
    name: fc.oneof(fc.record({ givenName: scalar, familyName: scalar, formatted: scalar }), loose),
    [ENTERPRISE]: fc.oneof(
      idLike.map((id) => ({ manager: { value: resolveId(id) } })),
      idLike.map((id) => ({ manager: resolveId(id) })),
      loose,
    ),
  },
  { requiredKeys: [] },
);
const path = fc.constantFrom(
  "active",
  "title",
  "displayName",
  "userName",
  "externalId",
  "name.givenName",
  "name",
  `${ENTERPRISE}:manager`,
  'emails[type eq "work"].value',
  "phoneNumbers",
  "]]bad[[",
  "",
);
const operation = fc.record(
  {
    op: fc.constantFrom("add", "Replace", "remove", "REMOVE", "explode", ""),
    path,
    value: fc.oneof(loose, resource, idLike.map(resolveId)),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  resource,
  fc.record({ schemas: fc.constant(["x"]), Operations: fc.array(operation, { maxLength: 4 }) }),
  fc.record({ Operations: loose }),
  loose,
);

async function snapshot(id: string) {
  return {
    users: await db.user.count(),
    audit: await db.auditEvent.count(),
    target: await db.user.findUnique({ where: { id } }),
  };
}

test(
  "SCIM writes with generated bodies: never a 500, and a refusal writes nothing",
  { timeout: 600_000 },
  async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("POST", "PUT", "PATCH"),
        fc.constantFrom("target", "uk", "garbage"),
        body,
        fc.constantFrom("application/scim+json", "application/json", "text/plain"),
        async (method, who, json, type) => {
          const id = who === "target" ? targetId : who === "uk" ? world.ukStaff.id : "%00..";
          const request = new Request(
            `${APP_URL}/scim/v2/Users${method === "POST" ? "" : `/${encodeURIComponent(id)}`}`,
            {
              method,
              headers: { Authorization: `Bearer ${token}`, "Content-Type": type },
              body: JSON.stringify(json),
            },
          );
          const before = await snapshot(id);
          const module = method === "POST" ? users : user;
          const response = (await call(module.action, request, { userId: id })) as Response;
          expect(response.status, await response.clone().text()).toBeLessThan(500);
          if (response.status >= 400) {
            const answer = (await response.json()) as { schemas: string[] };
            expect(answer.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
            expect(await snapshot(id)).toEqual(before);
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect((await verifyAuditChain()).firstBreak).toBeNull();
  },
);
