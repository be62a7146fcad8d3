import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { describe, expect, test } from "vitest";
import type { Role } from "~/generated/prisma/enums";
import { getOptionalUser, requireUser, type CurrentUser } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { validateSessionToken } from "~/lib/session.server";
import { totpCodeAt } from "~/lib/totp.server";
import {
  confirmMfaEnrolment,
  getMfaStatus,
  startMfaEnrolment,
} from "~/modules/accounts/mfa.server";
import { completeMfaSignIn } from "~/modules/accounts/sign-in.server";
import {
  ACCOUNT_LIMIT,
  auditRows,
  freshIp,
  newUser,
  onlyEmailTo,
  requestWith,
  rowsContaining,
  setUpAccountsWorld,
  sha256Hex,
  signedIn,
  thrown,
  world,
  wrongCode,
} from "#test/support/accounts-world";

setUpAccountsWorld();

// ---------------------------------------------------------------- MFA

describe("two-step verification", () => {
  // Staff: HR and administrators must also hold a passkey (passkeys.test.ts), which TOTP is not.
  async function mfaUser(roles: Role[] = ["STAFF"]) {
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

  test("HR and admin users without a passkey are sent to register one before anything else", async () => {
    for (const role of ["HR", "ADMIN"] as const) {
      const user = await newUser({ roles: [role] });
      const { token, needsMfa } = await signedIn(user.email);
      expect(needsMfa).toBe(false);
      const response = await thrown(requireUser(requestWith(token)));
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe("/account/passkeys");
      // The registration page itself is reachable.
      expect((await requireUser(requestWith(token), { allowPasskeyEnrolment: true })).id).toBe(
        user.id,
      );
    }
    // Staff without MFA are not forced.
    const staff = await newUser();
    expect((await requireUser(requestWith((await signedIn(staff.email)).token))).id).toBe(staff.id);
  });

  test("enrolment with the shown secret turns MFA on; each recovery code then works exactly once", async () => {
    const user = await newUser({ roles: ["HR"] });
    const { token } = await signedIn(user.email);
    const actor: CurrentUser = await requireUser(requestWith(token), {
      allowPasskeyEnrolment: true,
    });

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
    expect(
      (await requireUser(requestWith(token), { allowPasskeyEnrolment: true })).mfaEnabled,
    ).toBe(true);
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
