import { expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { hashToken } from "~/lib/tokens.server";
import * as page from "~/routes/admin/admin.institutes.$instituteId_.scim";
import { setUpAccountsWorld, world } from "#test/support/accounts-world";
import { call, get, post, sessionCookieFor, statusOf } from "#test/support/route-harness";

// The institute's provisioning page: an administrator makes the token, sees it once, and sets the
// email domains provisioned addresses must be in.

setUpAccountsWorld();

const path = () => `/admin/institutes/${world.us.id}/scim`;
const params = () => ({ instituteId: world.us.id });

test("the token is shown once, in the answer that made it, and stored only as a hash", async () => {
  const cookie = await sessionCookieFor(world.admin.id);
  const made = (await call(page.action, post(path(), cookie, { intent: "rotate" }), params())) as {
    token: string;
  };
  expect(made.token).toMatch(/^scim_[a-z2-7]{32}$/);
  const row = await db.scimToken.findUniqueOrThrow({ where: { instituteId: world.us.id } });
  expect(row.tokenHash).toBe(hashToken(made.token));

  const shown = JSON.stringify(await call(page.loader, get(path(), cookie), params()));
  expect(shown).not.toContain(made.token);
  expect(shown).not.toContain(row.tokenHash);
  expect(shown).toContain("/scim/v2");

  const again = (await call(page.action, post(path(), cookie, { intent: "rotate" }), params())) as {
    token: string;
  };
  expect(again.token).not.toBe(made.token);
  expect(await db.scimToken.count({ where: { tokenHash: hashToken(made.token) } })).toBe(0);

  const revoked = await statusOf(() =>
    call(page.action, post(path(), cookie, { intent: "revoke" }), params()),
  );
  expect(revoked.status).toBe(302);
  expect(await db.scimToken.count({ where: { instituteId: world.us.id } })).toBe(0);
});

test("email domains are saved cleaned; a bad one is a 400 that saves nothing", async () => {
  const cookie = await sessionCookieFor(world.admin.id);
  const saved = await statusOf(() =>
    call(
      page.action,
      post(path(), cookie, {
        intent: "domains",
        emailDomains: "US.example.gov\n@lab.example.gov, us.example.gov",
      }),
      params(),
    ),
  );
  expect(saved.status).toBe(302);
  const institute = () =>
    db.institute.findUniqueOrThrow({ where: { id: world.us.id }, select: { emailDomains: true } });
  expect((await institute()).emailDomains).toEqual(["us.example.gov", "lab.example.gov"]);

  const bad = await statusOf(() =>
    call(
      page.action,
      post(path(), cookie, { intent: "domains", emailDomains: "not a domain" }),
      params(),
    ),
  );
  expect(bad.status).toBe(400);
  expect((await institute()).emailDomains).toEqual(["us.example.gov", "lab.example.gov"]);
  await db.institute.update({ where: { id: world.us.id }, data: { emailDomains: [] } });
});

test("only an administrator reaches the page", async () => {
  const cookie = await sessionCookieFor(world.usHr.id);
  expect((await statusOf(() => call(page.loader, get(path(), cookie), params()))).status).toBe(404);
  const made = await statusOf(() =>
    call(page.action, post(path(), cookie, { intent: "rotate" }), params()),
  );
  expect(made.status).toBe(404);
  expect(await db.scimToken.count({ where: { instituteId: world.us.id } })).toBe(0);
});
