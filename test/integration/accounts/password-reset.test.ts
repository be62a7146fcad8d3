import { describe, expect, test, vi } from "vitest";
import { db } from "~/lib/db.server";
import { RATE_LIMITS } from "~/lib/rate-limits.server";
import { validateSessionToken } from "~/lib/session.server";
import {
  inspectOneTimeToken,
  requestPasswordReset,
  setPasswordWithToken,
} from "~/modules/accounts/one-time-links.server";
import { signIn } from "~/modules/accounts/sign-in.server";
import { uniqueEmail } from "#test/factories";
import {
  ACCOUNT_LIMIT,
  APP_URL,
  auditRows,
  emailQueuedBy,
  freezeClock,
  freshIp,
  linkToken,
  MIN,
  NEW_PASSWORD,
  newUser,
  onlyEmailTo,
  RESET_MINUTES,
  rowsContaining,
  setUpAccountsWorld,
  sha256Hex,
  signedIn,
  SPENT_LINK,
  world,
} from "#test/support/accounts-world";

setUpAccountsWorld();

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

  test("reset requests are limited per typed address and per client address; a refusal says so, sends nothing and is the same for an unknown address", async () => {
    const { limit } = RATE_LIMITS.passwordResetsPerAccount;
    const user = await newUser();
    const nobody = uniqueEmail("nobody");
    const emails = () => db.outboxEmail.count({ where: { to: user.email } });
    const known = [];
    const unknown = [];
    freezeClock();
    // Each request from a new address: only the per-account limit applies.
    for (let i = 0; i < limit + 2; i++) {
      known.push(await requestPasswordReset(user.email, freshIp()));
      unknown.push(await requestPasswordReset(nobody, freshIp()));
    }
    expect(await emails()).toBe(limit);
    expect(known.slice(0, limit).every((a) => a.ok)).toBe(true);
    const refusals = known.slice(limit);
    for (const refusal of refusals) {
      expect(refusal.ok).toBe(false);
      if (!refusal.ok) {
        expect(refusal.lockedUntil).toBeInstanceOf(Date);
        expect(refusal.errors[""]![0]).toMatch(/limit of 3 password reset links in an hour/);
      }
    }
    expect(unknown.map((a) => a.ok)).toEqual(known.map((a) => a.ok));
    expect(unknown.at(-1)).toStrictEqual(known.at(-1));
    expect(
      await auditRows({ action: "auth.password_reset.throttled", actorEmail: user.email }),
    ).toHaveLength(2);

    // One address asking for many accounts (known or not) is stopped at its own limit.
    const ip = freshIp();
    const others = await Promise.all([1, 2, 3].map(() => newUser()));
    for (let i = 0; i < RATE_LIMITS.passwordResetsPerAddress.limit - 2; i++)
      await requestPasswordReset(uniqueEmail("nobody"), ip);
    const before = await db.outboxEmail.count();
    const answers = [];
    for (const other of others) answers.push(await requestPasswordReset(other.email, ip));
    expect(answers.map((a) => a.ok)).toEqual([true, true, false]);
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
    const { institute } = await db.user.findUniqueOrThrow({
      where: { id: user.id },
      select: { institute: { select: { name: true, code: true } } },
    });
    expect(await inspectOneTimeToken(token, "PASSWORD_RESET")).toEqual({
      email: user.email,
      displayName: user.displayName,
      mfaEnabled: false,
      instituteName: institute.name,
      instituteCode: institute.code,
    });

    // A weak password is refused with the reason, and does not spend the link.
    const weak = await setPasswordWithToken(token, "PASSWORD_RESET", "too short", freshIp());
    expect(weak).toEqual({ ok: false, errors: { password: ["Use at least 15 characters."] } });
    // So is a long but predictable one: the institute's name with digits, or a run of digits.
    const instituteWithDigits = `${institute.name.replace(/\s+/g, "")}2026`;
    for (const predictable of [instituteWithDigits, "123456789012345"]) {
      const refused = await setPasswordWithToken(token, "PASSWORD_RESET", predictable, freshIp());
      expect(refused).toEqual({
        ok: false,
        errors: { password: [expect.stringMatching(/^This password is too easy to guess\./)] },
      });
    }
    expect(
      await setPasswordWithToken(token, "PASSWORD_RESET", instituteWithDigits, freshIp()),
    ).toEqual({
      ok: false,
      errors: { password: [expect.stringMatching(/your name, email address or institute/)] },
    });

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
    // From the very address the guesses came from.
    expect((await signIn({ email: user.email, password: NEW_PASSWORD }, ip)).ok).toBe(true);
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
