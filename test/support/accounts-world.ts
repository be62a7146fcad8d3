// The world of the accounts tests (test/integration/accounts/): short limits and timeouts that the
// tests count against, people of two institutes, and helpers to sign in, read what was stored and
// read what was emailed.
import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, expect, vi } from "vitest";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { matchTotp, totpCodeAt } from "~/lib/totp.server";
import { signIn } from "~/modules/accounts/sign-in.server";
import { createWorld, ensureUser, uniqueEmail, type UserSpec } from "#test/factories";

export const APP_URL = "https://exchange.example.org";
export const ACCOUNT_LIMIT = 3;
export const IP_LIMIT = 8;
/** Failures against one account from any addresses before it locks everywhere. */
export const ACCOUNT_ANY_ADDRESS_LIMIT = 7;
export const IDLE_MINUTES = 30;
export const ABSOLUTE_HOURS = 2;
export const RESET_MINUTES = 60;
export const MIN = 60_000;
export const GENERIC = "The email address or password is not right.";
export const SPENT_LINK = "This link has expired or has already been used. Ask for a new one.";
export const NEW_PASSWORD = "quince kestrel lantern orbit meadow";

const savedEnv = { ...process.env };
export let world: Awaited<ReturnType<typeof createWorld>>;

/** Sets the limits the tests count against, and the world they act in, for the file that calls it. */
export function setUpAccountsWorld() {
  beforeAll(async () => {
    Object.assign(process.env, {
      APP_URL,
      SIGNIN_MAX_FAILURES_ACCOUNT: String(ACCOUNT_LIMIT),
      SIGNIN_MAX_FAILURES_IP: String(IP_LIMIT),
      SIGNIN_MAX_FAILURES_ACCOUNT_ANY_ADDRESS: String(ACCOUNT_ANY_ADDRESS_LIMIT),
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
}

// ---------------------------------------------------------------- helpers

let ipCounter = 0;
/** Each test signs in from an address of its own, so that IP throttling does not leak between tests. */
export function freshIp() {
  ipCounter += 1;
  return {
    ipAddress: `198.51.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`,
    userAgent: "vitest",
  };
}

export function requestWith(token: string | null, path = "/applications?tab=mine") {
  return new Request(`${APP_URL}${path}`, {
    headers: token ? { Cookie: `theme=dark; session=${token}` } : {},
  });
}

export async function thrown(promise: Promise<unknown>): Promise<Response> {
  const result = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(result, "expected a thrown Response").toBeInstanceOf(Response);
  return result as Response;
}

export function sha256Hex(s: string) {
  return createHash("sha256").update(s).digest("hex");
}

export async function newUser(spec: Partial<UserSpec> = {}) {
  return ensureUser(db, {
    email: uniqueEmail("person"),
    displayName: "Pat Person",
    instituteId: world.us.id,
    password: world.password,
    ...spec,
  });
}

export async function signedIn(email: string, password = world.password) {
  const result = await signIn({ email, password }, freshIp());
  if (!result.ok) throw new Error(`sign-in failed: ${JSON.stringify(result.errors)}`);
  return result;
}

/** Tables and rows whose text form contains the value anywhere. */
export async function rowsContaining(value: string) {
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

export function auditRows(where: { action: string; actorEmail?: string; targetId?: string }) {
  return db.auditEvent.findMany({ where, orderBy: { seq: "asc" } });
}

/** The single email queued to an address (for people created by the test). */
export async function onlyEmailTo(to: string) {
  const rows = await db.outboxEmail.findMany({ where: { to } });
  expect(rows, `emails to ${to}`).toHaveLength(1);
  return rows[0]!;
}

/** Runs the action and returns the one email it queued to that address. */
export async function emailQueuedBy(to: string, action: () => Promise<unknown>) {
  const seen = new Set(
    (await db.outboxEmail.findMany({ where: { to }, select: { id: true } })).map((r) => r.id),
  );
  await action();
  const fresh = (await db.outboxEmail.findMany({ where: { to } })).filter((r) => !seen.has(r.id));
  expect(fresh, `one new email to ${to}`).toHaveLength(1);
  return fresh[0]!;
}

export function linkToken(text: string, path: string) {
  const match = new RegExp(`${APP_URL}${path}/([a-z2-7]{32})`).exec(text);
  expect(match, `no ${path} link in the email`).not.toBeNull();
  return match![1]!;
}

/** A six-digit code that no step in the accepted window produces. */
export function wrongCode(key: Uint8Array) {
  let n = Number(totpCodeAt(key));
  for (;;) {
    n = (n + 1) % 1_000_000;
    const code = String(n).padStart(6, "0");
    if (matchTotp(key, code) === null) return code;
  }
}

export function freezeClock(at = Date.now()) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(at);
  return at;
}
