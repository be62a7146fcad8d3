import { createHash } from "node:crypto";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import type { Role } from "~/generated/prisma/enums";
import { getOptionalUser, requireRole, requireUser, type CurrentUser } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { createSession, validateSessionToken } from "~/lib/session.server";
import { matchTotp, totpCodeAt } from "~/lib/totp.server";
import {
  completeMfaSignIn,
  confirmMfaEnrolment,
  getMfaStatus,
  inspectOneTimeToken,
  inviteUser,
  listUsers,
  requestPasswordReset,
  RESET_REQUESTS,
  setPasswordWithToken,
  setUserActive,
  signIn,
  signOut,
  signOutEverywhere,
  startMfaEnrolment,
  updateUser,
  type InviteInput,
} from "~/modules/accounts/accounts.server";
import { createWorld, ensureUser, uniqueEmail, type UserSpec } from "#test/factories";

const APP_URL = "https://exchange.example.org";
const ACCOUNT_LIMIT = 3;
const IP_LIMIT = 8;
const IDLE_MINUTES = 30;
const ABSOLUTE_HOURS = 2;
const RESET_MINUTES = 60;
const MIN = 60_000;
const GENERIC = "The email address or password is not right.";
const SPENT_LINK = "This link has expired or has already been used. Ask for a new one.";
const NEW_PASSWORD = "quince kestrel lantern orbit meadow";

const savedEnv = { ...process.env };
let world: Awaited<ReturnType<typeof createWorld>>;

beforeAll(async () => {
  Object.assign(process.env, {
    APP_URL,
    SIGNIN_MAX_FAILURES_ACCOUNT: String(ACCOUNT_LIMIT),
    SIGNIN_MAX_FAILURES_IP: String(IP_LIMIT),
    SESSION_IDLE_MINUTES: String(IDLE_MINUTES),
    SESSION_ABSOLUTE_HOURS: String(ABSOLUTE_HOURS),
    RESET_TOKEN_MINUTES: String(RESET_MINUTES),
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
});

// ---------------------------------------------------------------- helpers

let ipCounter = 0;
/** Each test signs in from an address of its own, so that IP throttling does not leak between tests. */
function freshIp() {
  ipCounter += 1;
  return {
    ipAddress: `198.51.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`,
    userAgent: "vitest",
  };
}

function requestWith(token: string | null, path = "/applications?tab=mine") {
  return new Request(`${APP_URL}${path}`, {
    headers: token ? { Cookie: `theme=dark; session=${token}` } : {},
  });
}

async function thrown(promise: Promise<unknown>): Promise<Response> {
  const result = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(result, "expected a thrown Response").toBeInstanceOf(Response);
  return result as Response;
}

function sha256Hex(s: string) {
  return createHash("sha256").update(s).digest("hex");
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

async function signedIn(email: string, password = world.password) {
  const result = await signIn({ email, password }, freshIp());
  if (!result.ok) throw new Error(`sign-in failed: ${JSON.stringify(result.errors)}`);
  return result;
}

/** Tables and rows whose text form contains the value anywhere. */
async function rowsContaining(value: string) {
  const tables = await db.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
  const hits: string[] = [];
  for (const { table_name } of tables) {
    const rows = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${table_name}" AS t WHERE t::text LIKE $1`,
      `%${value}%`,
    );
    if (rows[0]!.n > 0) hits.push(table_name);
  }
  return hits;
}

function auditRows(where: { action: string; actorEmail?: string; targetId?: string }) {
  return db.auditEvent.findMany({ where, orderBy: { seq: "asc" } });
}

/** The single email queued to an address (for people created by the test). */
async function onlyEmailTo(to: string) {
  const rows = await db.outboxEmail.findMany({ where: { to } });
  expect(rows, `emails to ${to}`).toHaveLength(1);
  return rows[0]!;
}

/** Runs the action and returns the one email it queued to that address. */
async function emailQueuedBy(to: string, action: () => Promise<unknown>) {
  const seen = new Set(
    (await db.outboxEmail.findMany({ where: { to }, select: { id: true } })).map((r) => r.id),
  );
  await action();
  const fresh = (await db.outboxEmail.findMany({ where: { to } })).filter((r) => !seen.has(r.id));
  expect(fresh, `one new email to ${to}`).toHaveLength(1);
  return fresh[0]!;
}

function linkToken(text: string, path: string) {
  const match = new RegExp(`${APP_URL}${path}/([a-z2-7]{32})`).exec(text);
  expect(match, `no ${path} link in the email`).not.toBeNull();
  return match![1]!;
}

/** A six-digit code that no step in the accepted window produces. */
function wrongCode(key: Uint8Array) {
  let n = Number(totpCodeAt(key));
  for (;;) {
    n = (n + 1) % 1_000_000;
    const code = String(n).padStart(6, "0");
    if (matchTotp(key, code) === null) return code;
  }
}

function freezeClock(at = Date.now()) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(at);
  return at;
}

// ---------------------------------------------------------------- sign-in

describe("sign-in", () => {
  test("succeeds with a session row keyed by the SHA-256 of the cookie token; the token is stored nowhere", async () => {
    const user = await newUser();
    const result = await signIn({ email: user.email, password: world.password }, freshIp());

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.needsMfa).toBe(false);
    expect(result.token).toMatch(/^[a-z2-7]{32}$/);
    const rows = await db.session.findMany({ where: { userId: user.id } });
    expect(rows.map((r) => r.id)).toEqual([sha256Hex(result.token)]);
    expect(rows[0]!.mfaVerified).toBe(true);

    expect(await rowsContaining(result.token)).toEqual([]);
    // The search does find what is stored, so the empty answer above means something.
    expect(await rowsContaining(sha256Hex(result.token))).toEqual(["Session"]);

    const current = await requireUser(requestWith(result.token));
    expect(current.id).toBe(user.id);
    expect(await auditRows({ action: "auth.signin.succeeded", targetId: user.id })).toHaveLength(1);
  });

  test("every sign-in gets a fresh token, and the address is matched case-insensitively", async () => {
    const user = await newUser();
    const a = await signedIn(user.email);
    const b = await signedIn(user.email.toUpperCase());
    expect(a.token).not.toBe(b.token);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(2);
  });

  test("a wrong password and an unknown email give the identical answer", async () => {
    const user = await newUser();
    const wrongPassword = await signIn(
      { email: user.email, password: "not the password at all, sorry" },
      freshIp(),
    );
    const unknownEmail = await signIn(
      { email: uniqueEmail("nobody"), password: world.password },
      freshIp(),
    );

    expect(wrongPassword).toStrictEqual(unknownEmail);
    expect(wrongPassword).toStrictEqual({
      ok: false,
      errors: { "": [GENERIC] },
      lockedUntil: undefined,
    });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  test("a deactivated user cannot sign in with the right password, and is told nothing more", async () => {
    const user = await newUser({ deactivated: true });
    const result = await signIn({ email: user.email, password: world.password }, freshIp());

    expect(result).toStrictEqual({ ok: false, errors: { "": [GENERIC] }, lockedUntil: undefined });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    const [failure] = await auditRows({ action: "auth.signin.failed", targetId: user.id });
    expect(failure!.details).toEqual({ reason: "deactivated" });
  });

  test("every failure is audited with the address typed, the cause and the IP", async () => {
    const user = await newUser();
    const unknown = uniqueEmail("ghost");
    const ip = freshIp();
    await signIn({ email: user.email, password: "a wrong but long password" }, ip);
    await signIn({ email: unknown, password: "a wrong but long password" }, ip);

    const [bad] = await auditRows({ action: "auth.signin.failed", actorEmail: user.email });
    expect(bad).toMatchObject({
      targetType: "User",
      targetId: user.id,
      ipAddress: ip.ipAddress,
      details: { reason: "bad_password" },
    });
    const [ghost] = await auditRows({ action: "auth.signin.failed", actorEmail: unknown });
    expect(ghost).toMatchObject({
      targetId: "",
      ipAddress: ip.ipAddress,
      details: { reason: "unknown_account" },
    });
  });
});

describe("sign-in throttling", () => {
  test("after the account limit, the account is locked even with the right password, from any address", async () => {
    const victim = await newUser();
    const attacker = freshIp();
    for (let i = 1; i < ACCOUNT_LIMIT; i++) {
      const r = await signIn(
        { email: victim.email, password: `guess number ${i} is wrong` },
        attacker,
      );
      expect(r).toMatchObject({ ok: false, errors: { "": [GENERIC] }, lockedUntil: undefined });
    }
    const last = await signIn(
      { email: victim.email, password: "the last wrong guess here" },
      attacker,
    );
    expect(last.ok).toBe(false);
    if (last.ok) return;
    const until = last.lockedUntil!;
    expect(until).toBeInstanceOf(Date);
    expect(until.getTime()).toBeGreaterThan(Date.now());
    // Says when to try again: in minutes, and the clock time.
    expect(last.errors[""]![0]).toMatch(
      /^Too many attempts\. .*try again in 1 minute \(after \d\d:\d\d UTC\)\.$/,
    );
    expect(last.errors[""]![0]).toContain(`after ${until.toISOString().slice(11, 16)} UTC`);

    // The owner, with the right password, is held off too; switching addresses does not help.
    for (const ip of [attacker, freshIp()]) {
      const right = await signIn({ email: victim.email, password: world.password }, ip);
      expect(right).toMatchObject({ ok: false, lockedUntil: until });
      if (!right.ok) expect(right.errors[""]![0]).toMatch(/Too many attempts/);
    }
    expect(await db.session.count({ where: { userId: victim.id } })).toBe(0);

    // Every failure and every refused attempt leaves a trace.
    expect(
      await auditRows({ action: "auth.signin.failed", actorEmail: victim.email }),
    ).toHaveLength(ACCOUNT_LIMIT);
    expect(
      await auditRows({ action: "auth.signin.throttled", actorEmail: victim.email }),
    ).toHaveLength(2);

    // Once the lock has passed, the right password works again.
    await db.throttle.updateMany({
      where: { key: `signin:account:${victim.email}` },
      data: { lockedUntil: new Date(Date.now() - 1000) },
    });
    const after = await signIn({ email: victim.email, password: world.password }, freshIp());
    expect(after.ok).toBe(true);
  });

  test("a locked account does not lock other accounts at the same address until the address limit", async () => {
    const victim = await newUser();
    const bystander = await newUser();
    const office = freshIp();
    for (let i = 0; i < ACCOUNT_LIMIT; i++)
      await signIn({ email: victim.email, password: `wrong password attempt ${i}` }, office);
    expect((await signIn({ email: victim.email, password: world.password }, office)).ok).toBe(
      false,
    );

    // Same address, another account: fine.
    expect((await signIn({ email: bystander.email, password: world.password }, office)).ok).toBe(
      true,
    );

    // Failures against other accounts from the office, up to one short of the address limit.
    for (let i = ACCOUNT_LIMIT; i < IP_LIMIT - 1; i++) {
      const r = await signIn(
        { email: uniqueEmail("spray"), password: "spraying one password" },
        office,
      );
      expect(r).toMatchObject({ errors: { "": [GENERIC] } });
    }
    expect((await signIn({ email: bystander.email, password: world.password }, office)).ok).toBe(
      true,
    );

    // The failure that reaches the address limit locks the address for everyone.
    const limit = await signIn(
      { email: uniqueEmail("spray"), password: "spraying one password" },
      office,
    );
    expect(limit.lockedUntil).toBeInstanceOf(Date);
    const blocked = await signIn({ email: bystander.email, password: world.password }, office);
    expect(blocked.ok).toBe(false);
    if (!blocked.ok) expect(blocked.errors[""]![0]).toMatch(/Too many attempts/);
    // From elsewhere the bystander still gets in.
    expect((await signIn({ email: bystander.email, password: world.password }, freshIp())).ok).toBe(
      true,
    );
  });
});

// ---------------------------------------------------------------- MFA

describe("two-step verification", () => {
  async function mfaUser(roles: Role[] = ["HR"]) {
    const user = await newUser({ roles, mfaKey: true });
    return { ...user, key: user.mfaKey! };
  }

  async function pendingFor(email: string) {
    const result = await signedIn(email);
    const session = await validateSessionToken(result.token);
    if (!session) throw new Error("no pending session");
    return {
      token: result.token,
      needsMfa: result.needsMfa,
      pending: { sessionId: session.id, user: session.user },
    };
  }

  test("the password alone gives a half-signed-in session that only reaches the code step", async () => {
    const user = await mfaUser();
    const { token, needsMfa } = await pendingFor(user.email);

    expect(needsMfa).toBe(true);
    const response = await thrown(requireUser(requestWith(token)));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login/mfa");
    expect(await getOptionalUser(requestWith(token))).toBeNull();
    const row = await db.session.findUniqueOrThrow({ where: { id: sha256Hex(token) } });
    expect(row.mfaVerified).toBe(false);
  });

  test("the right code issues a new token and ends the half-signed-in session", async () => {
    const user = await mfaUser();
    const { token, pending } = await pendingFor(user.email);

    const result = await completeMfaSignIn(pending, totpCodeAt(user.key), freshIp());

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.token).not.toBe(token);
    expect(await validateSessionToken(token)).toBeNull();
    expect(await db.session.findUnique({ where: { id: sha256Hex(token) } })).toBeNull();
    const current = await requireUser(requestWith(result.token));
    expect(current).toMatchObject({ id: user.id, mfaEnabled: true });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    const [ok] = await auditRows({ action: "auth.signin.succeeded", targetId: user.id });
    expect(ok!.details).toEqual({ secondFactor: "totp" });
  });

  test("a code that was already used is refused, even by a fresh password sign-in", async () => {
    const user = await mfaUser();
    const code = totpCodeAt(user.key);
    const first = await pendingFor(user.email);
    expect((await completeMfaSignIn(first.pending, code, freshIp())).ok).toBe(true);

    const second = await pendingFor(user.email);
    const replay = await completeMfaSignIn(second.pending, code, freshIp());

    expect(replay.ok).toBe(false);
    if (!replay.ok) expect(replay.errors.code![0]).toMatch(/already been used/);
    const response = await thrown(requireUser(requestWith(second.token)));
    expect(response.headers.get("Location")).toBe("/login/mfa");
    expect(await auditRows({ action: "auth.mfa.failed", targetId: user.id })).toHaveLength(1);
  });

  test("wrong codes are throttled: after the limit even the right code is refused", async () => {
    const user = await mfaUser();
    const { token, pending } = await pendingFor(user.email);
    const ip = freshIp();
    let last;
    for (let i = 0; i < ACCOUNT_LIMIT; i++)
      last = await completeMfaSignIn(pending, wrongCode(user.key), ip);
    expect(last!.lockedUntil).toBeInstanceOf(Date);

    const right = await completeMfaSignIn(pending, totpCodeAt(user.key), freshIp());
    expect(right.ok).toBe(false);
    if (!right.ok) expect(right.errors.code![0]).toMatch(/Too many attempts/);
    expect((await thrown(requireUser(requestWith(token)))).headers.get("Location")).toBe(
      "/login/mfa",
    );
    expect(await auditRows({ action: "auth.mfa.throttled", actorEmail: user.email })).toHaveLength(
      1,
    );
  });

  test("HR and admin users without MFA are sent to enrolment before anything else", async () => {
    for (const role of ["HR", "ADMIN"] as const) {
      const user = await newUser({ roles: [role] });
      const { token, needsMfa } = await signedIn(user.email);
      expect(needsMfa).toBe(false);
      const response = await thrown(requireUser(requestWith(token)));
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe("/account/mfa");
      // The enrolment page itself is reachable.
      expect((await requireUser(requestWith(token), { allowMfaEnrolment: true })).id).toBe(user.id);
    }
    // Staff without MFA are not forced.
    const staff = await newUser();
    expect((await requireUser(requestWith((await signedIn(staff.email)).token))).id).toBe(staff.id);
  });

  test("enrolment with the shown secret turns MFA on; each recovery code then works exactly once", async () => {
    const user = await newUser({ roles: ["HR"] });
    const { token } = await signedIn(user.email);
    const actor: CurrentUser = await requireUser(requestWith(token), { allowMfaEnrolment: true });

    const started = await startMfaEnrolment(actor);
    if (started.alreadyEnabled) throw new Error("MFA unexpectedly on");
    expect(started.qrSvg).toContain("<svg");
    // What an authenticator app does with the secret typed from the page.
    const key = decodeBase32IgnorePadding(started.secret.replace(/ /g, ""));
    // Reloading the page shows the same secret (a scanned QR code stays valid).
    expect((await startMfaEnrolment(actor)) as { secret: string }).toMatchObject({
      secret: started.secret,
    });

    const bad = await confirmMfaEnrolment(
      actor,
      { code: wrongCode(key), current: world.password },
      freshIp(),
    );
    expect(bad.ok).toBe(false);
    expect((await getMfaStatus(actor)).enabled).toBe(false);

    const enrolled = await confirmMfaEnrolment(
      actor,
      { code: totpCodeAt(key), current: world.password },
      freshIp(),
    );
    expect(enrolled.ok).toBe(true);
    if (!enrolled.ok) return;
    expect(enrolled.recoveryCodes).toHaveLength(10);
    expect(new Set(enrolled.recoveryCodes).size).toBe(10);
    // 25 base32 characters each (125 bits), shown in groups of five.
    for (const code of enrolled.recoveryCodes)
      expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(await getMfaStatus(actor)).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    // The session that enrolled is now fully signed in; the user is told by email.
    expect((await requireUser(requestWith(token))).mfaEnabled).toBe(true);
    expect((await onlyEmailTo(user.email)).template).toBe("mfa-enrolled");
    // Recovery codes are stored only as hashes.
    expect(await rowsContaining(enrolled.recoveryCodes[0]!.replaceAll("-", ""))).toEqual([]);

    const [code1, code2] = enrolled.recoveryCodes;
    const first = await pendingFor(user.email);
    const used = await completeMfaSignIn(first.pending, code1!, freshIp());
    expect(used.ok).toBe(true);
    const signIns = await auditRows({ action: "auth.signin.succeeded", targetId: user.id });
    expect(signIns.at(-1)!.details).toEqual({ secondFactor: "recovery_code" });

    const again = await pendingFor(user.email);
    expect((await completeMfaSignIn(again.pending, code1!, freshIp())).ok).toBe(false);
    expect((await completeMfaSignIn(again.pending, code2!.replace("-", ""), freshIp())).ok).toBe(
      true,
    );
    expect((await getMfaStatus(actor)).recoveryCodesLeft).toBe(8);
  });
});

// ---------------------------------------------------------------- sessions

describe("sessions", () => {
  test("a session unused for longer than the idle limit is refused and removed", async () => {
    const user = await newUser();
    const t0 = freezeClock();
    const idle = await createSession(user.id, { mfaVerified: true });
    const active = await createSession(user.id, { mfaVerified: true });

    vi.setSystemTime(t0 + (IDLE_MINUTES - 1) * MIN);
    expect(await validateSessionToken(active.token)).not.toBeNull();

    vi.setSystemTime(t0 + (IDLE_MINUTES + 1) * MIN);
    expect(await validateSessionToken(idle.token)).toBeNull();
    expect(await db.session.findUnique({ where: { id: sha256Hex(idle.token) } })).toBeNull();
    // The browser is sent to sign in again, back to where it was, and the dead cookie is cleared.
    const response = await thrown(requireUser(requestWith(idle.token)));
    expect(response.headers.get("Location")).toBe(
      `/login?${new URLSearchParams({ redirectTo: "/applications?tab=mine" })}`,
    );
    expect(response.headers.get("Set-Cookie")).toMatch(/^session=; .*Max-Age=0/);
  });

  test("use slides the expiry forward (at most once a minute), but never past the absolute lifetime", async () => {
    const user = await newUser();
    const t0 = freezeClock();
    const { token } = await createSession(user.id, { mfaVerified: true });
    const id = sha256Hex(token);
    const row = () => db.session.findUniqueOrThrow({ where: { id } });
    expect((await row()).expiresAt.getTime()).toBe(t0 + IDLE_MINUTES * MIN);

    vi.setSystemTime(t0 + 10 * MIN);
    expect((await validateSessionToken(token))!.expiresAt.getTime()).toBe(
      t0 + (10 + IDLE_MINUTES) * MIN,
    );
    expect(await row()).toMatchObject({
      lastSeenAt: new Date(t0 + 10 * MIN),
      expiresAt: new Date(t0 + (10 + IDLE_MINUTES) * MIN),
    });

    // Within a minute of the last write, nothing is written.
    vi.setSystemTime(t0 + 10 * MIN + 30_000);
    expect(await validateSessionToken(token)).not.toBeNull();
    expect((await row()).lastSeenAt.getTime()).toBe(t0 + 10 * MIN);

    // Still alive past the original expiry, because it was used.
    vi.setSystemTime(t0 + 39 * MIN);
    expect(await validateSessionToken(token)).not.toBeNull();
    vi.setSystemTime(t0 + 68 * MIN);
    expect(await validateSessionToken(token)).not.toBeNull();
    vi.setSystemTime(t0 + 97 * MIN);
    const capped = await validateSessionToken(token);
    const absoluteEnd = t0 + ABSOLUTE_HOURS * 60 * MIN;
    expect(capped!.expiresAt.getTime()).toBe(absoluteEnd);
    expect((await row()).expiresAt.getTime()).toBe(absoluteEnd);
  });

  test("the absolute lifetime ends a session even while it is in constant use", async () => {
    const user = await newUser();
    const t0 = freezeClock();
    const { token, cookieExpiresAt } = await createSession(user.id, { mfaVerified: true });
    const absoluteEnd = t0 + ABSOLUTE_HOURS * 60 * MIN;
    expect(cookieExpiresAt.getTime()).toBe(absoluteEnd);

    for (let minute = 20; minute < ABSOLUTE_HOURS * 60; minute += 20) {
      vi.setSystemTime(t0 + minute * MIN);
      expect(await validateSessionToken(token), `at ${minute} minutes`).not.toBeNull();
    }
    vi.setSystemTime(absoluteEnd - 1000);
    expect(await validateSessionToken(token)).not.toBeNull();
    vi.setSystemTime(absoluteEnd);
    expect(await validateSessionToken(token)).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  test("a tampered or forged token is refused, including the stored hash itself", async () => {
    const user = await newUser();
    const { token } = await signedIn(user.email);
    const flipped = token.slice(0, -1) + (token.endsWith("a") ? "b" : "a");

    expect(await validateSessionToken(flipped)).toBeNull();
    expect(await validateSessionToken(token.toUpperCase())).toBeNull();
    expect(await validateSessionToken(`${token} `)).toBeNull();
    // Someone who reads the Session table cannot use what is there as a cookie.
    expect(await validateSessionToken(sha256Hex(token))).toBeNull();
    const response = await thrown(requireUser(requestWith(flipped)));
    expect(response.headers.get("Location")).toMatch(/^\/login\?/);
    expect(response.headers.get("Set-Cookie")).toMatch(/Max-Age=0/);
    // The genuine session is unaffected.
    expect(await validateSessionToken(token)).not.toBeNull();
  });

  test("signing out ends that session only; signing out everywhere ends all of the user's", async () => {
    const user = await newUser();
    const other = await newUser();
    const [a, b, c] = [
      await signedIn(user.email),
      await signedIn(user.email),
      await signedIn(user.email),
    ];
    const theirs = await signedIn(other.email);

    const actorA = await requireUser(requestWith(a.token));
    await signOut(actorA.sessionId, actorA, freshIp());
    expect(await validateSessionToken(a.token)).toBeNull();
    expect(await validateSessionToken(b.token)).not.toBeNull();

    const actorB = await requireUser(requestWith(b.token));
    await signOutEverywhere(actorB, freshIp());
    for (const t of [b.token, c.token]) expect(await validateSessionToken(t)).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect(await validateSessionToken(theirs.token)).not.toBeNull();
    expect(await auditRows({ action: "auth.signout_everywhere", targetId: user.id })).toHaveLength(
      1,
    );
  });

  test("deactivation ends all of the user's sessions at once; reactivation lets them sign in again", async () => {
    const user = await newUser();
    const tokens = [(await signedIn(user.email)).token, (await signedIn(user.email)).token];

    expect(await setUserActive(world.admin, user.id, false, freshIp())).toEqual({ ok: true });

    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    for (const t of tokens) expect(await validateSessionToken(t)).toBeNull();
    expect((await signIn({ email: user.email, password: world.password }, freshIp())).ok).toBe(
      false,
    );

    expect(await setUserActive(world.admin, user.id, true, freshIp())).toEqual({ ok: true });
    expect((await signIn({ email: user.email, password: world.password }, freshIp())).ok).toBe(
      true,
    );
    expect(await auditRows({ action: "user.deactivated", targetId: user.id })).toHaveLength(1);
  });

  test("a session whose user was deactivated behind its back is refused on its next use", async () => {
    const user = await newUser();
    const { token } = await signedIn(user.email);
    await db.user.update({ where: { id: user.id }, data: { deactivatedAt: new Date() } });
    expect(await validateSessionToken(token)).toBeNull();
  });

  test("only admins may deactivate, and not themselves", async () => {
    const user = await newUser();
    const response = await thrown(setUserActive(world.usHr, user.id, false, freshIp()));
    expect(response.status).toBe(404);
    expect(await setUserActive(world.admin, world.admin.id, false, freshIp())).toMatchObject({
      ok: false,
    });
    const fresh = await db.user.findUniqueOrThrow({ where: { id: world.admin.id } });
    expect(fresh.deactivatedAt).toBeNull();
  });
});

// ---------------------------------------------------------------- password reset

describe("password reset", () => {
  async function requestLink(email: string) {
    const mail = await emailQueuedBy(email, () => requestPasswordReset(email, freshIp()));
    expect(mail.template).toBe("password-reset");
    return linkToken(mail.text, "/reset-password");
  }

  test("an unknown or deactivated address gets the same answer and no email", async () => {
    const deactivated = await newUser({ deactivated: true });
    const known = await newUser();
    const before = {
      outbox: await db.outboxEmail.count(),
      tokens: await db.oneTimeToken.count(),
    };

    const unknownAnswer = await requestPasswordReset(uniqueEmail("nobody"), freshIp());
    const deactivatedAnswer = await requestPasswordReset(deactivated.email, freshIp());

    expect(await db.outboxEmail.count()).toBe(before.outbox);
    expect(await db.oneTimeToken.count()).toBe(before.tokens);

    const knownAnswer = await requestPasswordReset(known.email, freshIp());
    expect(knownAnswer).toStrictEqual(unknownAnswer);
    expect(deactivatedAnswer).toStrictEqual(unknownAnswer);
    expect(await db.outboxEmail.count()).toBe(before.outbox + 1);
  });

  test("reset emails are limited per account and per address, with the same answer when dropped", async () => {
    const user = await newUser();
    const emails = () => db.outboxEmail.count({ where: { to: user.email } });
    const answers = [];
    // Each request from a new address: only the account's limit applies.
    for (let i = 0; i < RESET_REQUESTS.perAccount.limit + 2; i++)
      answers.push(await requestPasswordReset(user.email, freshIp()));
    expect(await emails()).toBe(RESET_REQUESTS.perAccount.limit);
    expect(new Set(answers.map((a) => JSON.stringify(a ?? null))).size).toBe(1);
    expect(
      await auditRows({ action: "auth.password_reset.throttled", actorEmail: user.email }),
    ).toHaveLength(2);

    // One address asking for many accounts (known or not) is stopped at its own limit.
    const ip = freshIp();
    const others = await Promise.all([1, 2, 3].map(() => newUser()));
    for (let i = 0; i < RESET_REQUESTS.perAddress.limit - 2; i++)
      await requestPasswordReset(uniqueEmail("nobody"), ip);
    const before = await db.outboxEmail.count();
    for (const other of others) await requestPasswordReset(other.email, ip);
    expect(await db.outboxEmail.count()).toBe(before + 2);
  });

  test("a known address is emailed a one-time link; only its hash is stored", async () => {
    const user = await newUser();
    const token = await requestLink(user.email);

    const mail = await onlyEmailTo(user.email);
    expect(mail.subject).toMatch(/Reset your .* password/);
    expect(mail.html).toContain(`${APP_URL}/reset-password/${token}`);
    const row = await db.oneTimeToken.findUniqueOrThrow({ where: { id: sha256Hex(token) } });
    expect(row).toMatchObject({ userId: user.id, purpose: "PASSWORD_RESET", usedAt: null });
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + (RESET_MINUTES - 1) * MIN);
    expect(row.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + RESET_MINUTES * MIN);
    // Outside the outbox (which must carry it to the user), the token is nowhere.
    expect(await rowsContaining(token)).toEqual(["OutboxEmail"]);
  });

  test("the link sets the password once; a second use is refused", async () => {
    const user = await newUser();
    const token = await requestLink(user.email);
    expect(await inspectOneTimeToken(token, "PASSWORD_RESET")).toEqual({
      email: user.email,
      displayName: user.displayName,
      mfaEnabled: false,
    });

    // A weak password is refused with the reason, and does not spend the link.
    const weak = await setPasswordWithToken(token, "PASSWORD_RESET", "too short", freshIp());
    expect(weak).toEqual({ ok: false, errors: { password: ["Use at least 15 characters."] } });

    expect(await setPasswordWithToken(token, "PASSWORD_RESET", NEW_PASSWORD, freshIp())).toEqual({
      ok: true,
    });
    expect((await signIn({ email: user.email, password: NEW_PASSWORD }, freshIp())).ok).toBe(true);
    expect((await signIn({ email: user.email, password: world.password }, freshIp())).ok).toBe(
      false,
    );

    const second = await setPasswordWithToken(
      token,
      "PASSWORD_RESET",
      "someone else's chosen password",
      freshIp(),
    );
    expect(second).toEqual({ ok: false, errors: { "": [SPENT_LINK] } });
    expect(await inspectOneTimeToken(token, "PASSWORD_RESET")).toBeNull();
    expect(
      (await signIn({ email: user.email, password: "someone else's chosen password" }, freshIp()))
        .ok,
    ).toBe(false);
  });

  test("two clicks at once: only one sets the password", async () => {
    const user = await newUser();
    const token = await requestLink(user.email);
    const results = await Promise.all([
      setPasswordWithToken(token, "PASSWORD_RESET", "first concurrent new password", freshIp()),
      setPasswordWithToken(token, "PASSWORD_RESET", "second concurrent new password", freshIp()),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(
      await auditRows({ action: "auth.password_reset.completed", targetId: user.id }),
    ).toHaveLength(1);
  });

  test("an expired link is refused", async () => {
    const user = await newUser();
    const t0 = freezeClock();
    const token = await requestLink(user.email);

    vi.setSystemTime(t0 + (RESET_MINUTES + 1) * MIN);
    expect(await inspectOneTimeToken(token, "PASSWORD_RESET")).toBeNull();
    expect(await setPasswordWithToken(token, "PASSWORD_RESET", NEW_PASSWORD, freshIp())).toEqual({
      ok: false,
      errors: { "": [SPENT_LINK] },
    });
    vi.useRealTimers();
    expect((await signIn({ email: user.email, password: NEW_PASSWORD }, freshIp())).ok).toBe(false);
  });

  test("a new request invalidates the earlier link", async () => {
    const user = await newUser();
    const older = await requestLink(user.email);
    const newer = await requestLink(user.email);
    expect(newer).not.toBe(older);

    expect(await setPasswordWithToken(older, "PASSWORD_RESET", NEW_PASSWORD, freshIp())).toEqual({
      ok: false,
      errors: { "": [SPENT_LINK] },
    });
    expect(await setPasswordWithToken(newer, "PASSWORD_RESET", NEW_PASSWORD, freshIp())).toEqual({
      ok: true,
    });
  });

  test("completing a reset ends every session and lifts a sign-in lock", async () => {
    const user = await newUser();
    const tokens = [(await signedIn(user.email)).token, (await signedIn(user.email)).token];
    const ip = freshIp();
    for (let i = 0; i < ACCOUNT_LIMIT; i++)
      await signIn({ email: user.email, password: `an attacker guess ${i}` }, ip);

    const token = await requestLink(user.email);
    expect((await setPasswordWithToken(token, "PASSWORD_RESET", NEW_PASSWORD, freshIp())).ok).toBe(
      true,
    );

    for (const t of tokens) expect(await validateSessionToken(t)).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await signIn({ email: user.email, password: NEW_PASSWORD }, freshIp())).ok).toBe(true);
  });

  test("a reset link cannot be used as an invitation, nor the reverse", async () => {
    const user = await newUser();
    const token = await requestLink(user.email);
    expect(await inspectOneTimeToken(token, "INVITATION")).toBeNull();
    expect((await setPasswordWithToken(token, "INVITATION", NEW_PASSWORD, freshIp())).ok).toBe(
      false,
    );
    expect((await setPasswordWithToken(token, "PASSWORD_RESET", NEW_PASSWORD, freshIp())).ok).toBe(
      true,
    );
  });
});

// ---------------------------------------------------------------- invitations and administration

describe("invitations and user administration", () => {
  function invitation(overrides: Partial<InviteInput> = {}): InviteInput {
    return {
      email: uniqueEmail("invitee"),
      displayName: "Ivy Invitee",
      jobTitle: "Research scientist",
      team: "Evaluations",
      instituteId: world.us.id,
      lineManagerId: world.usManager.id,
      roles: ["STAFF"],
      ...overrides,
    };
  }

  async function counts() {
    return {
      users: await db.user.count(),
      outbox: await db.outboxEmail.count(),
      audit: await db.auditEvent.count(),
      tokens: await db.oneTimeToken.count(),
    };
  }

  test("an admin's invitation creates the person and emails them a link", async () => {
    const input = invitation();
    const result = await inviteUser(world.admin, input, freshIp());

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const user = await db.user.findUniqueOrThrow({ where: { id: result.userId } });
    expect(user).toMatchObject({
      email: input.email,
      displayName: "Ivy Invitee",
      instituteId: world.us.id,
      lineManagerId: world.usManager.id,
      roles: ["STAFF"],
      deactivatedAt: null,
    });
    const mail = await onlyEmailTo(input.email);
    expect(mail.subject).toBe("Admin invited you to the Exchange portal");
    linkToken(mail.text, "/invitation");
    const listed = await listUsers(world.admin, { q: input.email });
    expect(listed.users).toMatchObject([{ id: user.id, invitationPending: true }]);
    const [audit] = await auditRows({ action: "user.invited", targetId: user.id });
    expect(audit).toMatchObject({ actorId: world.admin.id, instituteId: world.us.id });
    // No password yet: nobody can sign in as them.
    expect((await signIn({ email: input.email, password: "" }, freshIp())).ok).toBe(false);
  });

  test("anyone but an admin gets a 404 and creates nothing", async () => {
    const before = await counts();
    for (const actor of [world.usHr, world.usStaff]) {
      const response = await thrown(
        inviteUser({ ...actor }, invitation({ roles: ["ADMIN"] }), freshIp()),
      );
      expect(response.status).toBe(404);
    }
    expect(await counts()).toEqual(before);
  });

  test("an address already in use gives a field error and creates nothing", async () => {
    const before = await counts();
    const result = await inviteUser(
      world.admin,
      invitation({ email: world.usStaff.email }),
      freshIp(),
    );
    expect(result).toEqual({
      ok: false,
      errors: { email: ["A user with this email address already exists."] },
    });
    expect(await counts()).toEqual(before);
  });

  test("a line manager from another institute is refused", async () => {
    const before = await counts();
    const result = await inviteUser(
      world.admin,
      invitation({ lineManagerId: world.ukStaff.id }),
      freshIp(),
    );
    expect(result).toEqual({
      ok: false,
      errors: { lineManagerId: ["Choose a line manager from the same institute."] },
    });
    expect(await counts()).toEqual(before);
  });

  test("accepting the invitation sets the password, once", async () => {
    const input = invitation();
    await inviteUser(world.admin, input, freshIp());
    const token = linkToken((await onlyEmailTo(input.email)).text, "/invitation");

    expect(await inspectOneTimeToken(token, "INVITATION")).toMatchObject({
      email: input.email,
      displayName: input.displayName,
    });
    expect(await inspectOneTimeToken(token, "PASSWORD_RESET")).toBeNull();
    expect(await setPasswordWithToken(token, "INVITATION", NEW_PASSWORD, freshIp())).toEqual({
      ok: true,
    });

    const signedInAs = await signIn({ email: input.email, password: NEW_PASSWORD }, freshIp());
    expect(signedInAs.ok).toBe(true);
    expect(
      (await setPasswordWithToken(token, "INVITATION", "a takeover attempt password", freshIp()))
        .ok,
    ).toBe(false);
    const listed = await listUsers(world.admin, { q: input.email });
    expect(listed.users).toMatchObject([{ invitationPending: false }]);
    expect(
      await auditRows({ action: "user.invitation.accepted", actorEmail: input.email }),
    ).toHaveLength(1);
  });

  test("a role change is audited with what was added and removed, and applies to live sessions", async () => {
    const user = await newUser();
    const { token } = await signedIn(user.email);
    const edit = { displayName: user.displayName, jobTitle: "", team: "" };

    expect(
      await updateUser(world.admin, user.id, { ...edit, roles: ["STAFF", "HR"] }, freshIp()),
    ).toEqual({ ok: true });
    // Now HR, and HR must enrol in MFA before anything else: the open session sees it at once.
    expect((await thrown(requireUser(requestWith(token)))).headers.get("Location")).toBe(
      "/account/mfa",
    );

    await updateUser(world.admin, user.id, { ...edit, roles: ["STAFF"] }, freshIp());
    await updateUser(
      world.admin,
      user.id,
      { ...edit, roles: ["STAFF"], team: "Policy" },
      freshIp(),
    );

    const changes = await auditRows({ action: "user.roles.changed", targetId: user.id });
    expect(changes.map((c) => c.details)).toEqual([
      { added: ["HR"], removed: [] },
      { added: [], removed: ["HR"] },
    ]);
    expect(changes.every((c) => c.actorId === world.admin.id)).toBe(true);
    expect(await auditRows({ action: "user.updated", targetId: user.id })).toHaveLength(3);
  });

  test("an admin cannot remove their own admin role, and non-admins cannot edit anyone", async () => {
    const edit = { displayName: "Admin", jobTitle: "", team: "", roles: ["STAFF"] as Role[] };
    expect(await updateUser(world.admin, world.admin.id, edit, freshIp())).toMatchObject({
      ok: false,
      errors: { roles: [expect.stringMatching(/own administrator role/)] },
    });
    const response = await thrown(
      updateUser(world.usHr, world.usStaff.id, { ...edit, roles: ["STAFF", "ADMIN"] }, freshIp()),
    );
    expect(response.status).toBe(404);
    expect((await db.user.findUniqueOrThrow({ where: { id: world.usStaff.id } })).roles).toEqual([
      "STAFF",
    ]);
    expect((await db.user.findUniqueOrThrow({ where: { id: world.admin.id } })).roles).toContain(
      "ADMIN",
    );
  });

  test("requireRole answers 404 for a role the user lacks, and lets the holder through", async () => {
    const user = await newUser();
    const { token } = await signedIn(user.email);

    for (const role of ["ADMIN", "HR"] as const) {
      const response = await thrown(requireRole(requestWith(token, "/admin/users"), role));
      expect(response.status).toBe(404);
    }
    expect((await requireRole(requestWith(token), "STAFF")).id).toBe(user.id);
    // Without a session it is a sign-in redirect, not a 404.
    const anonymous = await thrown(requireRole(requestWith(null, "/admin/users"), "ADMIN"));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Fusers");
    expect(anonymous.headers.get("Set-Cookie")).toBeNull();
  });
});
