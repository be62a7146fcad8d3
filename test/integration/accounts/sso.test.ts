import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { requireUser } from "~/lib/auth.server";
import { attemptCookie } from "~/lib/attempt-cookie.server";
import { db } from "~/lib/db.server";
import { hashToken } from "~/lib/tokens.server";
import { signIn } from "~/modules/accounts/sign-in.server";
import { requestPasswordReset } from "~/modules/accounts/one-time-links.server";
import {
  beginSsoSignIn,
  completeSsoSignIn,
  PASSWORDS_OFF,
  providerSignOutUrl,
  ssoInstituteOfSession,
  STALE_LOGIN,
  UNAVAILABLE,
} from "~/modules/accounts/sso-sign-in.server";
import {
  getIdentityProvider,
  saveIdentityProvider,
} from "~/modules/institutes/identity-provider.server";
import { loader as callbackLoader } from "~/routes/sign-in/login_.sso_.callback";
import { loader as signedOutLoader } from "~/routes/sign-in/logout_.sso";
import { moveProcessClock } from "#test/support/process-clock";
import {
  APP_URL,
  auditRows,
  freshIp,
  newUser,
  requestWith,
  setUpAccountsWorld,
  world,
} from "#test/support/accounts-world";
import {
  closedPortIssuer,
  signInAtProvider,
  startTestProvider,
  TEST_CLIENT,
  type TestAccount,
  type TestProvider,
} from "#test/support/oidc-provider";

setUpAccountsWorld();

const US_DOMAIN = "us-aisi.test";
const UK_DOMAIN = "uk-aisi.test";
let idp: TestProvider;
let counter = 0;

function settings(overrides: Partial<Parameters<typeof saveIdentityProvider>[2]> = {}) {
  return {
    issuer: idp.issuer,
    clientId: TEST_CLIENT.id,
    clientSecret: TEST_CLIENT.secret,
    emailDomains: [US_DOMAIN],
    mfaValues: ["mfa", "otp"],
    phishingResistantValues: ["hwk"],
    passwordsAllowed: true,
    ...overrides,
  };
}

async function configure(overrides: Partial<Parameters<typeof saveIdentityProvider>[2]> = {}) {
  const saved = await saveIdentityProvider(
    world.admin,
    world.us.id,
    settings(overrides),
    freshIp(),
  );
  expect(saved.ok).toBe(true);
}

/** An account at the provider, with a subject of its own. */
function providerAccount(account: TestAccount) {
  counter += 1;
  const sub = `subject-${counter}`;
  idp.accounts.set(sub, { email_verified: true, ...account });
  return sub;
}

function address(local: string, domain = US_DOMAIN) {
  counter += 1;
  return `${local}.${counter}@${domain}`;
}

/** The whole round trip: the portal's start, the provider's page, and the callback URL. */
async function toCallback(sub: string, email: string, redirectTo?: string) {
  const begun = await beginSsoSignIn({ email, redirectTo }, freshIp());
  if (!begun?.ok) throw new Error(`begin refused: ${JSON.stringify(begun)}`);
  return signInAtProvider(begun.url, sub, APP_URL);
}

/** The callback as the browser that began the sign-in opens it: its attempt cookie holds the state. */
function completeInBrowser(callback: URL) {
  return completeSsoSignIn(callback, freshIp(), { state: callback.searchParams.get("state") });
}

async function ssoSignIn(sub: string, email: string) {
  return completeInBrowser(await toCallback(sub, email));
}

beforeAll(async () => {
  idp = await startTestProvider(APP_URL);
  await configure();
});

afterAll(async () => {
  await idp?.stop();
});

describe("the administrator's configuration", () => {
  test("the client secret is sealed at rest and never shown back", async () => {
    const row = await db.identityProvider.findUniqueOrThrow({
      where: { instituteId: world.us.id },
    });
    expect(row.clientSecretSealed).toMatch(/^v1:/);
    expect(row.clientSecretSealed).not.toContain(TEST_CLIENT.secret);
    const shown = await getIdentityProvider(world.admin, world.us.id);
    expect(JSON.stringify(shown)).not.toContain(row.clientSecretSealed);
    expect(shown.provider?.hasStoredSecret).toBe(true);
    const audit = await auditRows({ action: "institute.sso.created", targetId: world.us.id });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).not.toContain(TEST_CLIENT.secret);
  });

  test("a domain already answered for by another institute's provider is refused, nothing saved", async () => {
    const result = await saveIdentityProvider(
      world.admin,
      world.uk.id,
      settings({ emailDomains: [UK_DOMAIN, US_DOMAIN] }),
      freshIp(),
    );
    expect(result).toMatchObject({ ok: false, errors: { emailDomains: [expect.any(String)] } });
    expect(await db.identityProvider.count({ where: { instituteId: world.uk.id } })).toBe(0);
  });

  test("an unset environment variable named for the secret is refused", async () => {
    const result = await saveIdentityProvider(
      world.admin,
      world.us.id,
      settings({ clientSecret: "env:SSO_TEST_SECRET_THAT_IS_NOT_SET" }),
      freshIp(),
    );
    expect(result).toMatchObject({ ok: false, errors: { clientSecret: [expect.any(String)] } });
  });

  test("someone who is not an administrator gets a 404", async () => {
    const refusal = await saveIdentityProvider(
      world.usStaff,
      world.us.id,
      settings(),
      freshIp(),
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(Response);
    expect((refusal as Response).status).toBe(404);
  });
});

describe("signing in through the institute's provider", () => {
  test("an existing account is linked by its verified email; the session is an SSO one", async () => {
    const user = await newUser({ email: address("linked") });
    const sub = providerAccount({ email: user.email, amr: ["pwd", "mfa"] });
    const result = await ssoSignIn(sub, user.email);
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect((await requireUser(requestWith(result.token))).id).toBe(user.id);
    const session = await db.session.findUniqueOrThrow({ where: { id: hashToken(result.token) } });
    expect(session).toMatchObject({ method: "sso", mfaVerified: true, phishingResistant: false });
    expect(await db.federatedIdentity.count({ where: { userId: user.id, subject: sub } })).toBe(1);
    expect(await auditRows({ action: "auth.sso.linked", targetId: user.id })).toHaveLength(1);
    expect(await auditRows({ action: "auth.signin.succeeded", targetId: user.id })).toHaveLength(1);
  });

  test("amr values decide multi-factor and phishing resistance", async () => {
    const email = address("keys");
    const hardware = await ssoSignIn(providerAccount({ email, amr: ["hwk", "mfa"] }), email);
    if (!hardware.ok) throw new Error(hardware.message);
    const row = await db.session.findUniqueOrThrow({ where: { id: hashToken(hardware.token) } });
    expect(row).toMatchObject({ mfaVerified: true, phishingResistant: true });

    const other = address("pwd");
    const passwordOnly = await ssoSignIn(providerAccount({ email: other, amr: ["pwd"] }), other);
    if (!passwordOnly.ok) throw new Error(passwordOnly.message);
    const plain = await db.session.findUniqueOrThrow({
      where: { id: hashToken(passwordOnly.token) },
    });
    expect(plain).toMatchObject({ mfaVerified: false, phishingResistant: false });
  });

  test("HR get in on the provider's phishing-resistant assertion; on a weaker one they must add a passkey", async () => {
    const strong = await newUser({ email: address("hr.strong"), roles: ["HR"] });
    const sub = providerAccount({ email: strong.email, amr: ["hwk", "mfa"] });
    const hardware = await ssoSignIn(sub, strong.email);
    if (!hardware.ok) throw new Error(hardware.message);
    expect((await requireUser(requestWith(hardware.token))).roles).toContain("HR");

    const weak = await newUser({ email: address("hr.weak"), roles: ["HR"] });
    const code = await ssoSignIn(
      providerAccount({ email: weak.email, amr: ["pwd", "otp"] }),
      weak.email,
    );
    if (!code.ok) throw new Error(code.message);
    const sent = await requireUser(requestWith(code.token)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(sent).toBeInstanceOf(Response);
    expect((sent as Response).headers.get("Location")).toBe("/account/passkeys");
  });

  test("a first sign-in creates the account in the provider's institute, and the next finds it by subject", async () => {
    const email = address("new.person");
    const sub = providerAccount({ email, name: "Nova Person" });
    const first = await ssoSignIn(sub, email);
    expect(first.ok).toBe(true);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ instituteId: world.us.id, displayName: "Nova Person" });
    expect(await auditRows({ action: "auth.sso.account_created", targetId: user.id })).toHaveLength(
      1,
    );

    // The provider's address changes; the subject still names the same person.
    idp.accounts.set(sub, { email: address("renamed"), email_verified: true });
    const again = await ssoSignIn(sub, email);
    if (!again.ok) throw new Error(again.message);
    expect((await requireUser(requestWith(again.token))).id).toBe(user.id);
    expect(
      await db.user.count({ where: { instituteId: world.us.id, email: { contains: "renamed" } } }),
    ).toBe(0);
  });

  test("the page asked for is where the callback lands", async () => {
    const email = address("deep.link");
    const callback = await toCallback(providerAccount({ email }), email, "/postings?tab=open");
    const result = await completeInBrowser(callback);
    expect(result).toMatchObject({ ok: true, redirectTo: "/postings?tab=open" });
  });
});

describe("signing out", () => {
  test("an SSO session's sign-out offers the provider's end-session page; a password one does not", async () => {
    const email = address("leaving");
    const result = await ssoSignIn(providerAccount({ email }), email);
    if (!result.ok) throw new Error(result.message);
    const code = await ssoInstituteOfSession(hashToken(result.token));
    expect(code).toBe(world.us.code);
    const offered = await signedOutLoader({
      request: new Request(`${APP_URL}/logout/sso?institute=${code}`),
      params: {},
      context: { clientAddress: "203.0.113.7", cspNonce: "" },
    });
    const url = new URL(offered.providerUrl!);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get("client_id")).toBe(TEST_CLIENT.id);
    // The provider itself answers it with its sign-out page.
    expect((await fetch(url)).status).toBe(200);

    const user = await newUser({ email: address("password.person") });
    const password = await signIn({ email: user.email, password: world.password }, freshIp());
    if (!password.ok) throw new Error("password sign-in failed");
    expect(await ssoInstituteOfSession(hashToken(password.token))).toBeNull();
    expect(await providerSignOutUrl(world.uk.code)).toBeNull();
  });
});

describe("what is refused", () => {
  async function refusedWith(
    result: Awaited<ReturnType<typeof completeSsoSignIn>>,
    reason: string,
  ) {
    expect(result).toMatchObject({ ok: false, status: 400 });
    const rows = await db.auditEvent.findMany({
      where: { action: "auth.sso.refused" },
      orderBy: { seq: "desc" },
      take: 1,
    });
    expect(rows[0]?.details).toMatchObject({ reason });
  }

  test("a replayed state: the second use of a callback is refused, with no second session", async () => {
    const email = address("replay");
    const callback = await toCallback(providerAccount({ email }), email);
    expect((await completeInBrowser(callback)).ok).toBe(true);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const replay = await completeInBrowser(callback);
    expect(replay).toMatchObject({ ok: false, message: STALE_LOGIN });
    await refusedWith(replay, "unknown_state");
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
  });

  test("a callback opened in a browser that did not begin the sign-in is refused (login CSRF)", async () => {
    // Someone begins a sign-in with their own provider account and sends the callback link to
    // another person: opened there, it must not sign that browser in to the sender's account.
    const email = address("handed.over");
    const callback = await toCallback(providerAccount({ email }), email);
    for (const cookieState of [null, "a-state-of-another-sign-in"]) {
      const handed = await completeSsoSignIn(callback, freshIp(), { state: cookieState });
      await refusedWith(handed, "other_browser");
    }
    expect(await db.user.count({ where: { email } })).toBe(0);
    // The browser that began it still completes it.
    expect((await completeInBrowser(callback)).ok).toBe(true);
  });

  test("an unknown state is refused", async () => {
    const forged = new URL(`${APP_URL}/login/sso/callback?code=abc&state=made-up`);
    await refusedWith(await completeInBrowser(forged), "unknown_state");
  });

  test("a sign-in left in flight past its expiry is refused", async () => {
    const email = address("slow");
    const callback = await toCallback(providerAccount({ email }), email);
    const undo = moveProcessClock(Date.now() + 11 * 60_000);
    try {
      await refusedWith(await completeInBrowser(callback), "expired_login");
    } finally {
      undo();
    }
  });

  test("a nonce that does not match the ID token's is refused", async () => {
    const email = address("nonce");
    const callback = await toCallback(providerAccount({ email }), email);
    // As if the ID token had been issued for another sign-in.
    await db.ssoLogin.update({
      where: { id: hashToken(callback.searchParams.get("state")!) },
      data: { nonce: "a-different-nonce" },
    });
    await refusedWith(await completeInBrowser(callback), "rejected_answer");
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  test("an answer naming another issuer (a mix-up) is refused", async () => {
    const email = address("mixup");
    const callback = await toCallback(providerAccount({ email }), email);
    callback.searchParams.set("iss", "https://evil.example");
    await refusedWith(await completeInBrowser(callback), "rejected_answer");
  });

  test("an expired ID token is refused", async () => {
    const email = address("late");
    const callback = await toCallback(providerAccount({ email }), email);
    let undo = () => {};
    // The token reaches the portal five minutes after the provider issued it (60 s lifetime).
    idp.hooks.afterTokenResponse = () => {
      undo = moveProcessClock(Date.now() + 5 * 60_000);
    };
    try {
      const result = await completeInBrowser(callback);
      await refusedWith(result, "rejected_answer");
    } finally {
      undo();
    }
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  test("an unverified email neither creates nor links an account", async () => {
    const user = await newUser({ email: address("unverified") });
    const sub = providerAccount({ email: user.email, email_verified: false });
    await refusedWith(await ssoSignIn(sub, user.email), "email_not_verified");
    expect(await db.federatedIdentity.count({ where: { subject: sub } })).toBe(0);
  });

  test("an address of a domain the provider does not answer for is refused", async () => {
    const sub = providerAccount({ email: address("stray", UK_DOMAIN) });
    await refusedWith(await ssoSignIn(sub, address("asker")), "foreign_domain");
    expect(await db.federatedIdentity.count({ where: { subject: sub } })).toBe(0);
  });

  test("an account of another institute is never linked, even at a listed domain", async () => {
    const ukPerson = await newUser({ email: address("uk.person"), instituteId: world.uk.id });
    const sub = providerAccount({ email: ukPerson.email });
    await refusedWith(await ssoSignIn(sub, ukPerson.email), "other_institute");
    expect(await db.federatedIdentity.count({ where: { userId: ukPerson.id } })).toBe(0);
    expect(await db.session.count({ where: { userId: ukPerson.id } })).toBe(0);
  });

  test("a deactivated portal account is refused", async () => {
    const user = await newUser({ email: address("gone") });
    await db.user.update({ where: { id: user.id }, data: { deactivatedAt: new Date(Date.now()) } });
    await refusedWith(
      await ssoSignIn(providerAccount({ email: user.email }), user.email),
      "deactivated",
    );
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  test("an address whose domain has no provider starts nothing: its person uses a password", async () => {
    const before = await db.ssoLogin.count();
    expect(await beginSsoSignIn({ email: "someone@test.example" }, freshIp())).toBeNull();
    expect(await db.ssoLogin.count()).toBe(before);
  });
});

describe("a provider that is down", () => {
  test("starting a sign-in gives a clear 503 answer, and nothing is left in flight", async () => {
    const before = await db.ssoLogin.count();
    await configure({ issuer: await closedPortIssuer(), clientSecret: "" });
    try {
      const result = await beginSsoSignIn({ email: address("down") }, freshIp());
      expect(result).toEqual({ ok: false, status: 503, message: UNAVAILABLE });
      expect(await db.ssoLogin.count()).toBe(before);
      expect(
        await db.auditEvent.count({ where: { action: "auth.sso.provider_unavailable" } }),
      ).toBeGreaterThan(0);
    } finally {
      await configure({ clientSecret: "" });
    }
  });

  test("going down between the start and the callback gives the callback page a 503, not a 500", async () => {
    const email = address("between");
    const callback = await toCallback(providerAccount({ email }), email);
    await configure({ issuer: await closedPortIssuer(), clientSecret: "" });
    try {
      // The browser that began the sign-in, holding its attempt cookie.
      const cookie = attemptCookie("sso", callback.searchParams.get("state")!, 60).split(";")[0]!;
      const response = (await callbackLoader({
        request: new Request(callback, { headers: { Cookie: cookie } }),
        params: {},
        context: { clientAddress: "203.0.113.7", cspNonce: "" },
      })) as unknown as { init: { status: number }; data: { message: string } };
      expect(response.init.status).toBe(503);
      expect(response.data.message).toBe(UNAVAILABLE);
    } finally {
      await configure({ clientSecret: "" });
    }
  });

  test("a discovery document naming another issuer is treated as unusable", async () => {
    await configure({ issuer: idp.issuer.replace("127.0.0.1", "localhost"), clientSecret: "" });
    try {
      const result = await beginSsoSignIn({ email: address("wrong.issuer") }, freshIp());
      expect(result).toMatchObject({ ok: false, status: 503 });
    } finally {
      await configure({ clientSecret: "" });
    }
  });
});

describe("passwords for an institute that signs in through its provider", () => {
  test("with passwords off, a password sign-in and a reset request are sent to the provider", async () => {
    const user = await newUser({ email: address("pw") });
    expect((await signIn({ email: user.email, password: world.password }, freshIp())).ok).toBe(
      true,
    );
    await configure({ clientSecret: "", passwordsAllowed: false });
    try {
      const refused = await signIn({ email: user.email, password: world.password }, freshIp());
      expect(refused).toMatchObject({ ok: false, errors: { "": [PASSWORDS_OFF] } });
      const reset = await requestPasswordReset(user.email, freshIp());
      expect(reset).toMatchObject({ ok: false, errors: { email: [PASSWORDS_OFF] } });
      // An account of the institute whose address is of another domain: refused once known.
      const elsewhere = await newUser({ email: address("elsewhere", "test.example") });
      const byInstitute = await signIn(
        { email: elsewhere.email, password: world.password },
        freshIp(),
      );
      expect(byInstitute).toMatchObject({ ok: false, errors: { "": [PASSWORDS_OFF] } });
      const wrong = await signIn(
        { email: elsewhere.email, password: "not the password" },
        freshIp(),
      );
      expect(wrong).toMatchObject({ ok: false });
      expect(wrong.ok || wrong.errors[""]).not.toEqual([PASSWORDS_OFF]);
    } finally {
      await configure({ clientSecret: "" });
    }
  });
});
