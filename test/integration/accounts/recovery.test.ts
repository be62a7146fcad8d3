import { describe, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { sessionCookieName, validateSessionToken } from "~/lib/session.server";
import { totpCodeAt } from "~/lib/totp.server";
import { completeMfaSignIn, signIn } from "~/modules/accounts/sign-in.server";
import * as account from "~/routes/account/account._index";
import * as adminUser from "~/routes/admin/admin.users.$userId";
import { call, get, post, sessionCookieFor, statusOf } from "#test/support/route-harness";
import {
  auditRows,
  emailQueuedBy,
  freshIp,
  newUser,
  setUpAccountsWorld,
  signedIn,
  world,
} from "#test/support/accounts-world";

// Issue 20 point 4: ending sessions one by one from /account, an administrator ending all of a
// person's sessions, and an administrator's reset of a lost second factor.

setUpAccountsWorld();

const cookie = (token: string) => `${sessionCookieName()}=${token}`;

async function sessionsPage(token: string) {
  const page = (await call(account.loader, get("/account", cookie(token)))) as {
    sessions: { handle: string; current: boolean; userAgent: string; ipAddress: string }[];
  };
  return page.sessions;
}

async function mfaUserSignedIn() {
  const user = await newUser({ mfaKey: true });
  const first = await signIn({ email: user.email, password: world.password }, freshIp());
  if (!first.ok) throw new Error("sign-in failed");
  const pending = await validateSessionToken(first.token);
  const done = await completeMfaSignIn(
    { sessionId: pending!.id, user: pending!.user },
    totpCodeAt(user.mfaKey!),
    freshIp(),
  );
  if (!done.ok) throw new Error("code refused");
  return { user, token: done.token };
}

describe("sessions on /account", () => {
  test("each session is listed with device, address and times, this one marked; another one signs out alone", async () => {
    const user = await newUser();
    const here = await signedIn(user.email);
    const laptop = await signedIn(user.email);
    const phone = await signedIn(user.email);
    const sessions = await sessionsPage(here.token);
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions.every((s) => s.userAgent === "vitest" && s.ipAddress)).toBe(true);
    // The page never carries a session id (the hash of a cookie token).
    const ids = await db.session.findMany({ where: { userId: user.id }, select: { id: true } });
    const page = JSON.stringify(sessions);
    for (const { id } of ids) expect(page).not.toContain(id);

    const laptopHandle = (await sessionsPage(laptop.token)).find((s) => s.current)!.handle;
    const ended = await statusOf(() =>
      call(
        account.action,
        post("/account", cookie(here.token), { intent: "end-session", session: laptopHandle }),
      ),
    );
    expect(ended).toEqual({ status: 302, location: "/account" });
    expect(await validateSessionToken(laptop.token)).toBeNull();
    expect(await validateSessionToken(here.token)).not.toBeNull();
    expect(await validateSessionToken(phone.token)).not.toBeNull();
    const [event] = await auditRows({ action: "auth.session.ended", targetId: user.id });
    expect(event).toMatchObject({ actorId: user.id, details: { session: laptopHandle } });
  });

  test("another person's session, an unknown handle or bad input change nothing", async () => {
    const user = await newUser();
    const other = await newUser();
    const mine = await signedIn(user.email);
    const theirs = await signedIn(other.email);
    const theirHandle = (await sessionsPage(theirs.token))[0]!.handle;
    const end = (session: string) =>
      statusOf(() =>
        call(
          account.action,
          post("/account", cookie(mine.token), { intent: "end-session", session }),
        ),
      );
    expect(await end(theirHandle)).toEqual({ status: 404, location: null });
    expect(await end("AAAAAAAAAAAAAAAA")).toEqual({ status: 404, location: null });
    expect(await end("not a handle")).toEqual({ status: 400, location: null });
    expect(await end("")).toEqual({ status: 400, location: null });
    // Its own session is ended by signing out, not here.
    const ownHandle = (await sessionsPage(mine.token))[0]!.handle;
    expect(await end(ownHandle)).toEqual({ status: 400, location: null });
    expect(await validateSessionToken(theirs.token)).not.toBeNull();
    expect(await validateSessionToken(mine.token)).not.toBeNull();
    expect(await auditRows({ action: "auth.session.ended", targetId: other.id })).toHaveLength(0);
  });
});

describe("administrators", () => {
  const adminCookie = () => sessionCookieFor(world.admin.id);

  test("end all of a person's sessions without deactivating them; audited", async () => {
    const user = await newUser();
    const tokens = [(await signedIn(user.email)).token, (await signedIn(user.email)).token];
    const admin = await adminCookie();
    const done = await statusOf(() =>
      call(adminUser.action, post(`/admin/users/${user.id}`, admin, { intent: "end-sessions" }), {
        userId: user.id,
      }),
    );
    expect(done).toEqual({ status: 302, location: `/admin/users/${user.id}` });
    for (const t of tokens) expect(await validateSessionToken(t)).toBeNull();
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).deactivatedAt).toBeNull();
    expect((await signedIn(user.email)).ok).toBe(true);
    const [event] = await auditRows({ action: "user.sessions_ended", targetId: user.id });
    expect(event).toMatchObject({ actorId: world.admin.id, details: { sessions: 2 } });
  });

  test("reset a second factor with the identity check recorded: key, codes and passkeys gone, sessions ended, person emailed", async () => {
    const { user, token } = await mfaUserSignedIn();
    await db.mfaRecoveryCode.createMany({
      data: ["a", "b"].map((c) => ({ userId: user.id, codeHash: `unused-${c}-${user.id}` })),
    });
    await db.passkey.create({
      data: {
        userId: user.id,
        credentialId: `lost-phone-${user.id}`,
        publicKey: new Uint8Array([1, 2, 3]),
        deviceType: "multiDevice",
        backedUp: true,
        name: "Lost phone",
      },
    });
    const admin = await adminCookie();
    const reason = "Video call on 2026-12-07; face and staff card matched the HR record.";
    const mail = await emailQueuedBy(user.email, async () => {
      const done = await statusOf(() =>
        call(
          adminUser.action,
          post(`/admin/users/${user.id}`, admin, { intent: "reset-mfa", reason }),
          { userId: user.id },
        ),
      );
      expect(done).toEqual({ status: 302, location: `/admin/users/${user.id}` });
    });
    expect(mail.template).toBe("mfa-reset");
    expect(await db.mfaSecret.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.mfaRecoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.passkey.count({ where: { userId: user.id } })).toBe(0);
    expect(await validateSessionToken(token)).toBeNull();
    const [event] = await auditRows({ action: "user.mfa_reset", targetId: user.id });
    expect(event).toMatchObject({ actorId: world.admin.id, personal: { reason } });
    // The password alone now signs them in, without a code step.
    const again = await signIn({ email: user.email, password: world.password }, freshIp());
    expect(again).toMatchObject({ ok: true, needsMfa: false });
  });

  test("a reset without a reason, for an unknown person, by a non-admin or of oneself changes nothing", async () => {
    const { user, token } = await mfaUserSignedIn();
    const admin = await adminCookie();
    const reset = (as: string, userId: string, fields: Record<string, string>) =>
      statusOf(() =>
        call(
          adminUser.action,
          post(`/admin/users/${userId}`, as, { intent: "reset-mfa", ...fields }),
          { userId },
        ),
      );
    expect(await reset(admin, user.id, { reason: "   " })).toEqual({ status: 400, location: null });
    expect(await reset(admin, user.id, {})).toEqual({ status: 400, location: null });
    expect(await reset(admin, user.id, { reason: "x".repeat(501) })).toEqual({
      status: 400,
      location: null,
    });
    expect(await reset(admin, "nobody-at-all", { reason: "checked" })).toEqual({
      status: 404,
      location: null,
    });
    const staff = cookie((await signedIn((await newUser()).email)).token);
    expect((await reset(staff, user.id, { reason: "checked" })).status).toBe(404);
    expect(await reset(admin, world.admin.id, { reason: "checked" })).toEqual({
      status: 400,
      location: null,
    });
    expect(await db.mfaSecret.count({ where: { userId: user.id } })).toBe(1);
    expect(await validateSessionToken(token)).not.toBeNull();
    expect(await auditRows({ action: "user.mfa_reset", targetId: user.id })).toHaveLength(0);
  });
});
