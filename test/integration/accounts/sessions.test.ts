import { describe, expect, test, vi } from "vitest";
import { requireUser } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { createSession, validateSessionToken } from "~/lib/session.server";
import { signIn, signOut, signOutEverywhere } from "~/modules/accounts/sign-in.server";
import { setUserActive } from "~/modules/accounts/users.server";
import {
  ABSOLUTE_HOURS,
  auditRows,
  freezeClock,
  freshIp,
  IDLE_MINUTES,
  MIN,
  newUser,
  requestWith,
  setUpAccountsWorld,
  sha256Hex,
  signedIn,
  thrown,
  world,
} from "#test/support/accounts-world";

setUpAccountsWorld();

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
