import fs from "node:fs";
import path from "node:path";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { z } from "zod";
import { createWorld, ensureUser, uniqueEmail, type UserSpec } from "#test/factories";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { hashToken } from "~/lib/tokens.server";
import { matchTotp, totpCodeAt } from "~/lib/totp.server";
import { createSession, validateSessionToken } from "~/lib/session.server";
import * as account from "~/routes/account/account._index";
import * as mfa from "~/routes/account/account.mfa";
import * as password from "~/routes/account/account.password";
import * as adminUser from "~/routes/admin/admin.users.$userId";
import * as login from "~/routes/sign-in/login";
import * as loginMfa from "~/routes/sign-in/login_.mfa";
import * as logout from "~/routes/sign-in/logout";
import { call, PASSKEY_SIGN_IN } from "#test/support/route-harness";

// Point 5 of the security issue, through the pages' own loaders and actions as the server calls
// them: session ids rotate at sign-in, a signed-out cookie is dead, timeouts hold on a fake
// clock, password changes end every session, and email, password and MFA changes ask for the
// password. Headers and cross-site refusal are the HTTP shell's: see test/unit/security.test.ts
// and test/system/cross-site.test.ts.

const APP_URL = "https://exchange.example.org";
const ACCOUNT_LIMIT = 3;
const IDLE_MINUTES = 30;
const ABSOLUTE_HOURS = 2;
const MIN = 60_000;
const NEW_PASSWORD = "quince kestrel lantern orbit meadow";

const savedEnv = { ...process.env };
let world: Awaited<ReturnType<typeof createWorld>>;

beforeAll(async () => {
  Object.assign(process.env, {
    APP_URL,
    SIGNIN_MAX_FAILURES_ACCOUNT: String(ACCOUNT_LIMIT),
    SIGNIN_MAX_FAILURES_IP: "1000",
    SESSION_IDLE_MINUTES: String(IDLE_MINUTES),
    SESSION_ABSOLUTE_HOURS: String(ABSOLUTE_HOURS),
    SECURE_COOKIES: "false",
  });
  resetEnvCache();
  world = await createWorld(db);
});

afterAll(() => {
  process.env = savedEnv;
  resetEnvCache();
});

afterEach(() => {
  vi.useRealTimers();
  process.env.SECURE_COOKIES = "false";
  resetEnvCache();
});

// ---------------------------------------------------------------- helpers

let ipCounter = 0;

/** A request as the server hands it to a route: from an address of its own, with a cookie. */
function request(
  pathname: string,
  {
    token,
    form,
    name = "session",
    from,
  }: { token?: string; form?: Record<string, string>; name?: string; from?: string } = {},
) {
  ipCounter += 1;
  const headers: Record<string, string> = {
    "X-Client-Address": from ?? `203.0.113.${ipCounter % 250}`,
  };
  if (token) headers.Cookie = `theme=dark; ${name}=${token}`;
  if (!form) return new Request(APP_URL + pathname, { headers });
  return new Request(APP_URL + pathname, {
    method: "POST",
    headers: {
      ...headers,
      "Content-Type": "application/x-www-form-urlencoded",
      "Sec-Fetch-Site": "same-origin",
    },
    body: new URLSearchParams(form),
  });
}

/** The route's answer, thrown or returned, as a Response-like record. */
async function answer(run: () => unknown) {
  let value: unknown;
  try {
    value = await run();
  } catch (error) {
    value = error;
  }
  if (value instanceof Response)
    return {
      status: value.status,
      location: value.headers.get("Location"),
      cookies: value.headers.getSetCookie(),
      retryAfter: value.headers.get("Retry-After"),
      data: null as Record<string, unknown> | null,
    };
  const init = value as {
    type?: string;
    data?: unknown;
    init?: { status?: number; headers?: Record<string, string> };
  };
  if (init?.type === "DataWithResponseInit")
    return {
      status: init.init?.status ?? 200,
      location: null,
      cookies: [],
      retryAfter: init.init?.headers?.["Retry-After"] ?? null,
      data: init.data as Record<string, unknown>,
    };
  return {
    status: 200,
    location: null,
    cookies: [],
    retryAfter: null,
    data: value as Record<string, unknown>,
  };
}

/** The session token a Set-Cookie list carries (the session cookie only), or null. */
function tokenIn(cookies: string[], name = "session") {
  const line = cookies.find((c) => c.startsWith(`${name}=`));
  return line ? line.slice(name.length + 1).split(";")[0]! : null;
}

async function newUser(spec: Partial<UserSpec> = {}) {
  return ensureUser(db, {
    email: uniqueEmail("person"),
    displayName: "Pat Person",
    instituteId: world.us.id,
    password: world.password,
    ...spec,
  });
}

async function signInThroughForm(
  email: string,
  pass = world.password,
  token?: string,
  from?: string,
) {
  const result = await answer(() =>
    call(login.action, request("/login", { token, form: { email, password: pass }, from })),
  );
  return { ...result, token: tokenIn(result.cookies) };
}

async function signedIn(email: string) {
  const { token, status } = await signInThroughForm(email);
  expect(status).toBe(302);
  return token!;
}

/** What a signed-in browser sees at /account: 200, or the redirect to sign in. */
async function accountPage(token: string) {
  return answer(() => call(account.loader, request("/account", { token })));
}

const alive = async (token: string) => (await validateSessionToken(token)) !== null;

// ---------------------------------------------------------------- rotation and sign-out

describe("session ids", () => {
  test("rotation at sign-in: a new id is issued and the session the browser already had ends", async () => {
    const user = await newUser();
    const other = await newUser();
    // Whatever session the browser carries (its own earlier one, someone else's, a planted one)...
    const earlier = await signedIn(user.email);
    const planted = await signedIn(other.email);
    for (const before of [earlier, planted]) {
      const after = await signInThroughForm(user.email, world.password, before);
      expect(after.status).toBe(302);
      expect(after.token).toMatch(/^[a-z2-7]{32}$/);
      expect(after.token).not.toBe(before);
      // ...is dead once the sign-in succeeds; the new one works.
      expect(await alive(before)).toBe(false);
      expect(await alive(after.token!)).toBe(true);
    }
  });

  test("wrong codes at the second step: a 429 that says when to retry", async () => {
    const user = await newUser({ roles: ["HR"], mfaKey: true });
    const first = await signInThroughForm(user.email);
    const attempt = (code: string) =>
      answer(() =>
        call(loginMfa.action, request("/login/mfa", { token: first.token!, form: { code } })),
      );
    const wrong = String((Number(totpCodeAt(user.mfaKey!)) + 500_000) % 1_000_000).padStart(6, "0");
    const statuses = [];
    for (let i = 0; i < ACCOUNT_LIMIT; i++) statuses.push((await attempt(wrong)).status);
    expect(statuses).toEqual([...Array(ACCOUNT_LIMIT - 1).fill(400), 429]);
    const right = await attempt(totpCodeAt(user.mfaKey!));
    expect(right.status).toBe(429);
    expect(Number(right.retryAfter)).toBeGreaterThan(0);
  });

  test("rotation at the second step: the half-signed-in id dies and a new one is issued", async () => {
    const user = await newUser({ roles: ["HR"], mfaKey: true });
    const first = await signInThroughForm(user.email);
    expect(first.location).toMatch(/^\/login\/mfa/);
    const code = totpCodeAt(user.mfaKey!);
    const second = await answer(() =>
      call(loginMfa.action, request("/login/mfa", { token: first.token!, form: { code } })),
    );
    expect(second.status).toBe(302);
    const token = tokenIn(second.cookies);
    expect(token).not.toBe(first.token);
    expect(await alive(first.token!)).toBe(false);
    expect((await validateSessionToken(token!))!.mfaVerified).toBe(true);
  });

  test("a failed sign-in leaves the browser's session as it was", async () => {
    const user = await newUser();
    const token = await signedIn(user.email);
    const failed = await signInThroughForm(user.email, "certainly not the password", token);
    expect(failed.status).toBe(400);
    expect(failed.cookies).toEqual([]);
    expect(await alive(token)).toBe(true);
  });

  test("the old cookie is dead after sign-out: replayed, it reaches the sign-in page and nothing else", async () => {
    const user = await newUser();
    const token = await signedIn(user.email);
    expect((await accountPage(token)).status).toBe(200);

    const out = await answer(() => call(logout.action, request("/logout", { token, form: {} })));
    expect(out).toMatchObject({ status: 302, location: "/login" });
    expect(out.cookies).toEqual([
      expect.stringMatching(/^session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0/),
    ]);
    expect(await db.session.count({ where: { id: hashToken(token) } })).toBe(0);

    // A copy of the cookie kept by an attacker (or the back button) gets nothing.
    const replay = await accountPage(token);
    expect(replay).toMatchObject({ status: 302, location: "/login?redirectTo=%2Faccount" });
    expect(replay.cookies[0]).toMatch(/Max-Age=0/);
  });

  test("signing out everywhere from /account kills every cookie of the user", async () => {
    const user = await newUser();
    const tokens = [await signedIn(user.email), await signedIn(user.email)];
    const out = await answer(() =>
      call(
        account.action,
        request("/account", { token: tokens[0], form: { intent: "sign-out-everywhere" } }),
      ),
    );
    expect(out).toMatchObject({ status: 302, location: "/login" });
    for (const t of tokens) expect((await accountPage(t)).status).toBe(302);
  });
});

// ---------------------------------------------------------------- timeouts (fake clock)

describe("timeouts", () => {
  // The session store's own rules (sliding expiry, at most one write a minute, the cap) are pinned
  // down in accounts.test.ts "sessions"; these check what a browser gets from a page.
  function freezeClock() {
    vi.useFakeTimers({ toFake: ["Date"] });
    const t0 = Date.now();
    vi.setSystemTime(t0);
    return t0;
  }

  test("idle timeout: a page opened after more than the idle limit sends the browser to sign in", async () => {
    const user = await newUser();
    const t0 = freezeClock();
    const token = await signedIn(user.email);
    vi.setSystemTime(t0 + (IDLE_MINUTES - 1) * MIN);
    expect((await accountPage(token)).status).toBe(200);
    // Idle counts from the last use, not from the sign-in.
    vi.setSystemTime(t0 + (2 * IDLE_MINUTES - 2) * MIN);
    expect((await accountPage(token)).status).toBe(200);
    vi.setSystemTime(t0 + (3 * IDLE_MINUTES - 1) * MIN);
    const expired = await accountPage(token);
    expect(expired).toMatchObject({ status: 302, location: "/login?redirectTo=%2Faccount" });
    expect(await db.session.count({ where: { id: hashToken(token) } })).toBe(0);
  });

  test("absolute timeout: a session in constant use still ends after its lifetime", async () => {
    const user = await newUser();
    const t0 = freezeClock();
    const signIn = await signInThroughForm(user.email);
    // The cookie itself expires at the absolute limit too.
    const expires = /Expires=([^;]+)/.exec(signIn.cookies[0]!)![1]!;
    expect(new Date(expires).getTime()).toBe(
      Math.floor((t0 + ABSOLUTE_HOURS * 60 * MIN) / 1000) * 1000,
    );
    for (let minute = 10; minute < ABSOLUTE_HOURS * 60; minute += 10) {
      vi.setSystemTime(t0 + minute * MIN);
      expect((await accountPage(signIn.token!)).status, `at ${minute} minutes`).toBe(200);
    }
    vi.setSystemTime(t0 + ABSOLUTE_HOURS * 60 * MIN);
    expect((await accountPage(signIn.token!)).status).toBe(302);
  });
});

// ---------------------------------------------------------------- ending every session

describe("all sessions end", () => {
  test("on deactivation: every cookie of the user is dead at once", async () => {
    const user = await newUser();
    const tokens = [await signedIn(user.email), await signedIn(user.email)];
    const admin = await adminSignedIn();
    const done = await answer(() =>
      call(
        adminUser.action,
        request(`/admin/users/${user.id}`, { token: admin, form: { intent: "deactivate" } }),
        { userId: user.id },
      ),
    );
    expect(done.status).toBe(302);
    for (const t of tokens) expect((await accountPage(t)).status).toBe(302);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  test("on password change: every session ends, this one is replaced by a new id", async () => {
    const user = await newUser();
    const [here, laptop, phone] = [
      await signedIn(user.email),
      await signedIn(user.email),
      await signedIn(user.email),
    ];
    const changed = await answer(() =>
      call(
        password.action,
        request("/account/password", {
          token: here,
          form: { current: world.password, password: NEW_PASSWORD, confirm: NEW_PASSWORD },
        }),
      ),
    );
    expect(changed).toMatchObject({ status: 302, location: "/account" });
    const fresh = tokenIn(changed.cookies);
    expect(fresh).toMatch(/^[a-z2-7]{32}$/);
    for (const t of [here, laptop, phone]) expect(await alive(t)).toBe(false);
    expect((await accountPage(fresh!)).status).toBe(200);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    expect((await signInThroughForm(user.email)).status).toBe(400);
    expect((await signInThroughForm(user.email, NEW_PASSWORD)).status).toBe(302);
  });
});

/** The administrator's session as after a passkey sign-in, which their role requires. */
async function adminSignedIn() {
  return (await createSession(world.admin.id, PASSKEY_SIGN_IN)).token;
}

// ---------------------------------------------------------------- re-authentication

describe("re-authentication", () => {
  test("password: the change needs the current password; a wrong one changes nothing", async () => {
    const user = await newUser();
    const token = await signedIn(user.email);
    const other = await signedIn(user.email);
    const hash = (await db.password.findUniqueOrThrow({ where: { userId: user.id } })).hash;
    for (const current of ["", "not my password at all"]) {
      const refused = await answer(() =>
        call(
          password.action,
          request("/account/password", {
            token,
            form: { current, password: NEW_PASSWORD, confirm: NEW_PASSWORD },
          }),
        ),
      );
      expect(refused.status).toBe(400);
      expect(refused.cookies).toEqual([]);
      expect(Object.keys(refused.data!.errors as object)).toEqual(["current"]);
    }
    expect((await db.password.findUniqueOrThrow({ where: { userId: user.id } })).hash).toBe(hash);
    expect(await alive(token)).toBe(true);
    expect(await alive(other)).toBe(true);
  });

  test("password: wrong current passwords count toward the sign-in lock at that address, then even the right one is refused", async () => {
    const user = await newUser();
    const token = await signedIn(user.email);
    const hash = (await db.password.findUniqueOrThrow({ where: { userId: user.id } })).hash;
    const from = "192.0.2.77";
    const change = (current: string) =>
      answer(() =>
        call(
          password.action,
          request("/account/password", {
            token,
            form: { current, password: NEW_PASSWORD, confirm: NEW_PASSWORD },
            from,
          }),
        ),
      );
    const statuses = [];
    for (let i = 0; i < ACCOUNT_LIMIT; i++) statuses.push((await change(`guess ${i}`)).status);
    expect(statuses.at(-1)).toBe(429);
    const right = await change(world.password);
    expect(right.status).toBe(429);
    expect(Number(right.retryAfter)).toBeGreaterThan(0);
    expect((right.data!.errors as { current: string[] }).current[0]).toMatch(/^Too many attempts/);
    expect((await db.password.findUniqueOrThrow({ where: { userId: user.id } })).hash).toBe(hash);
    const locked = await signInThroughForm(user.email, world.password, undefined, from);
    expect(locked.status).toBe(429);
    expect(Number(locked.retryAfter)).toBeGreaterThan(0);
  });

  test("email: no form can change an address, so there is nothing to re-authenticate", async () => {
    // Every action parses its form with a module schema (CONVENTIONS.md). Only these have an email
    // field, and none of them changes an address: signing in (its email step too), asking for
    // a reset link, an admin inviting a new person, inviting a colleague to a workspace, and the
    // notification kinds to send by email.
    const modules = path.resolve(import.meta.dirname, "../../../app/modules");
    const withEmail: string[] = [];
    for (const domain of fs.readdirSync(modules)) {
      const file = path.join(modules, domain, "schema.ts");
      if (!fs.existsSync(file)) continue;
      const exported = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exported)) {
        const schema = typeof value === "function" ? safely(value as () => unknown) : value;
        if (schema instanceof z.ZodObject && "email" in schema.shape)
          withEmail.push(`${domain}.${name}`);
      }
    }
    expect(withEmail.sort()).toEqual([
      "accounts.ForgotPasswordSchema",
      "accounts.InviteUserSchema",
      "accounts.SignInEmailSchema",
      "accounts.SignInSchema",
      "notifications.NotificationPreferencesSchema",
      "workspaces.InviteSchema",
    ]);

    // And an admin's edit of a person ignores an email field smuggled into the form.
    const user = await newUser();
    const admin = await adminSignedIn();
    const edited = await answer(() =>
      call(
        adminUser.action,
        request(`/admin/users/${user.id}`, {
          token: admin,
          form: {
            displayName: "Pat Person",
            jobTitle: "",
            team: "",
            roles: "STAFF",
            email: "mallory@evil.example",
          },
        }),
        { userId: user.id },
      ),
    );
    expect(edited).toMatchObject({ status: 302, data: null });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
  });

  describe("MFA enrolment needs the current password", () => {
    async function enrolling() {
      const user = await newUser();
      const token = await signedIn(user.email);
      const page = await answer(() => call(mfa.loader, request("/account/mfa", { token })));
      const enrolment = page.data!.enrolment as { secret: string };
      const key = decodeBase32IgnorePadding(enrolment.secret.replace(/ /g, ""));
      const confirm = (form: Record<string, string>, from?: string) =>
        answer(() => call(mfa.action, request("/account/mfa", { token, form, from })));
      return { user, token, key, confirm };
    }
    const mfaState = (userId: string) =>
      Promise.all([
        db.mfaSecret.findUnique({ where: { userId }, select: { confirmedAt: true, key: true } }),
        db.mfaRecoveryCode.count({ where: { userId } }),
      ]);

    test("a right code with a wrong or missing password is refused next to the field; nothing changes", async () => {
      const { user, key, confirm } = await enrolling();
      const before = await mfaState(user.id);
      const missing = await confirm({ code: totpCodeAt(key) });
      expect(missing.status).toBe(400);
      expect(missing.data!.errors).toEqual({ current: ["Enter your current password"] });
      const wrong = await confirm({ code: totpCodeAt(key), current: "a wrong password, sorry" });
      expect(wrong.status).toBe(400);
      expect(wrong.data).toEqual({
        errors: { current: ["Your current password is not right."] },
        recoveryCodes: null,
      });
      expect(await mfaState(user.id)).toEqual(before);
      expect(before[0]!.confirmedAt).toBeNull();
      expect(
        await db.auditEvent.count({
          where: { action: "auth.mfa.enrolment_failed", targetId: user.id },
        }),
      ).toBe(1);

      // With the password, the same enrolment goes through.
      const ok = await confirm({ code: totpCodeAt(key), current: world.password });
      expect(ok.status).toBe(200);
      expect(ok.data!.recoveryCodes).toHaveLength(10);
    });

    test("wrong passwords count toward the sign-in lock at that address: then even the right one is refused, here and at /login", async () => {
      const { user, key, confirm } = await enrolling();
      const from = "192.0.2.78";
      let last;
      for (let i = 0; i < ACCOUNT_LIMIT; i++)
        last = await confirm({ code: totpCodeAt(key), current: `guess number ${i}` }, from);
      expect(last!.status).toBe(429);
      const right = await confirm({ code: totpCodeAt(key), current: world.password }, from);
      expect(right.status).toBe(429);
      expect(Number(right.retryAfter)).toBeGreaterThan(0);
      expect((right.data!.errors as { current: string[] }).current[0]).toMatch(
        /^Too many attempts/,
      );
      expect((await mfaState(user.id))[0]!.confirmedAt).toBeNull();
      const blocked = await signInThroughForm(user.email, world.password, undefined, from);
      expect(blocked.status).toBe(429);
    });

    test("once on, MFA cannot be changed by the user: no new secret, no second enrolment", async () => {
      const { user, token, key, confirm } = await enrolling();
      expect((await confirm({ code: totpCodeAt(key), current: world.password })).status).toBe(200);
      const [secret] = await mfaState(user.id);
      const page = await answer(() => call(mfa.loader, request("/account/mfa", { token })));
      expect(page.data!.enrolment).toEqual({ alreadyEnabled: true });
      // A code for some other key (the attacker's) with the right password: refused.
      const attacker = new TextEncoder().encode("an attacker's key 20");
      let code = totpCodeAt(attacker);
      if (matchTotp(key, code) !== null) code = totpCodeAt(attacker, Date.now() + 90_000);
      const again = await confirm({ code, current: world.password });
      expect(again.status).toBe(400);
      expect(again.data!.errors).toEqual({ code: ["Two-step verification is already on."] });
      expect((await mfaState(user.id))[0]).toEqual(secret);
    });
  });
});

function safely(make: () => unknown) {
  try {
    return make();
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- cookie flags

describe("cookie flags", () => {
  test("in production the sign-in cookie is __Host-, Secure, HttpOnly, SameSite=Lax, Path=/, no Domain", async () => {
    process.env.SECURE_COOKIES = "true";
    resetEnvCache();
    const user = await newUser();
    const { cookies, status } = await signInThroughForm(user.email);
    expect(status).toBe(302);
    const [cookie] = cookies;
    expect(cookie).toMatch(/^__Host-session=[a-z2-7]{32}; /);
    const attributes = cookie!.split("; ").slice(1);
    expect(attributes).toEqual(
      expect.arrayContaining(["Path=/", "HttpOnly", "SameSite=Lax", "Secure"]),
    );
    expect(cookie).not.toMatch(/Domain=/i);
    // A plain "session" cookie is not read when secure cookies are on (no downgrade by a
    // sibling subdomain or plain-HTTP page setting one).
    const token = tokenIn(cookies, "__Host-session")!;
    expect((await accountPage(token)).status).toBe(302);
    const real = await answer(() =>
      call(account.loader, request("/account", { token, name: "__Host-session" })),
    );
    expect(real.status).toBe(200);
    const out = await answer(() =>
      call(logout.action, request("/logout", { token, name: "__Host-session", form: {} })),
    );
    expect(out.cookies[0]).toMatch(
      /^__Host-session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0; Secure$/,
    );
  });
});
