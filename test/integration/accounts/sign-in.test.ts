import { describe, expect, test } from "vitest";
import { requireUser } from "~/lib/auth.server";
import { validateSessionToken } from "~/lib/session.server";
import { lockedUntil } from "~/lib/throttle.server";
import { totpCodeAt } from "~/lib/totp.server";
import { db } from "~/lib/db.server";
import { completeMfaSignIn, signIn } from "~/modules/accounts/sign-in.server";
import { uniqueEmail } from "#test/factories";
import {
  ACCOUNT_ANY_ADDRESS_LIMIT,
  ACCOUNT_LIMIT,
  auditRows,
  freshIp,
  GENERIC,
  IP_LIMIT,
  newUser,
  requestWith,
  rowsContaining,
  setUpAccountsWorld,
  sha256Hex,
  signedIn,
  world,
} from "#test/support/accounts-world";

setUpAccountsWorld();

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
  test("after the account limit at one address, the account is locked there, but its owner gets in from elsewhere", async () => {
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

    // At the attacker's address even the right password is held off ...
    const there = await signIn({ email: victim.email, password: world.password }, attacker);
    expect(there).toMatchObject({ ok: false, lockedUntil: until });
    if (!there.ok) expect(there.errors[""]![0]).toMatch(/Too many attempts/);
    expect(await db.session.count({ where: { userId: victim.id } })).toBe(0);
    // ... but the lock-out cannot keep the owner out: from their own address they sign in.
    expect((await signIn({ email: victim.email, password: world.password }, freshIp())).ok).toBe(
      true,
    );

    // Every failure and every refused attempt leaves a trace.
    expect(
      await auditRows({ action: "auth.signin.failed", actorEmail: victim.email }),
    ).toHaveLength(ACCOUNT_LIMIT);
    expect(
      await auditRows({ action: "auth.signin.throttled", actorEmail: victim.email }),
    ).toHaveLength(1);

    // Once the lock has passed, the right password works at that address again.
    await db.throttle.updateMany({
      where: { key: { startsWith: `signin:account:${victim.email}|` } },
      data: { lockedUntil: new Date(Date.now() - 1000) },
    });
    expect((await signIn({ email: victim.email, password: world.password }, attacker)).ok).toBe(
      true,
    );
  });

  test("guesses spread over many addresses lock the account everywhere at the much higher limit", async () => {
    const victim = await newUser();
    // One guess from each address: no address reaches its own limits.
    let lock: Date | undefined;
    for (let i = 0; i < ACCOUNT_ANY_ADDRESS_LIMIT; i++) {
      const r = await signIn({ email: victim.email, password: `spread guess ${i}` }, freshIp());
      expect(r.ok).toBe(false);
      if (i < ACCOUNT_ANY_ADDRESS_LIMIT - 1) expect(r.lockedUntil).toBeUndefined();
      else lock = r.lockedUntil;
    }
    expect(lock).toBeInstanceOf(Date);
    const owner = await signIn({ email: victim.email, password: world.password }, freshIp());
    expect(owner).toMatchObject({ ok: false, lockedUntil: lock });
    expect(await db.session.count({ where: { userId: victim.id } })).toBe(0);
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

  test("a locked shared address still lets a colleague in with the right password and second factor", async () => {
    // Staff: an HR colleague would also need the passkey step (passkeys.test.ts).
    const colleague = await newUser({ mfaKey: true });
    const office = freshIp();
    // An attacker behind the office NAT sprays far past the address limit.
    for (let i = 0; i < Math.max(30, IP_LIMIT * 4); i++)
      await signIn({ email: uniqueEmail("spray"), password: `spray guess ${i}` }, office);
    expect(await lockedUntil([`signin:ip:${office.ipAddress}`])).toBeInstanceOf(Date);

    const password = await signIn({ email: colleague.email, password: world.password }, office);
    expect(password).toMatchObject({ ok: true, needsMfa: true });
    if (!password.ok) return;
    const session = await validateSessionToken(password.token);
    const done = await completeMfaSignIn(
      { sessionId: session!.id, user: session!.user },
      totpCodeAt(colleague.mfaKey!),
      office,
    );
    expect(done.ok).toBe(true);
    if (!done.ok) return;
    expect(await requireUser(requestWith(done.token))).toMatchObject({ id: colleague.id });
  });

  test("behind a locked address, wrong guesses still lock the account and a right password alone answers like a wrong one", async () => {
    const victim = await newUser({ roles: ["HR"], mfaKey: true });
    const noSecondFactor = await newUser();
    const office = freshIp();
    for (let i = 0; i < IP_LIMIT; i++)
      await signIn({ email: uniqueEmail("spray"), password: `spray guess ${i}` }, office);

    const wrong = await signIn({ email: noSecondFactor.email, password: "a wrong guess" }, office);
    const right = await signIn({ email: noSecondFactor.email, password: world.password }, office);
    expect(right).toStrictEqual(wrong);
    expect(right.ok).toBe(false);
    if (!right.ok) expect(right.errors[""]![0]).toMatch(/Too many attempts/);
    expect(await db.session.count({ where: { userId: noSecondFactor.id } })).toBe(0);

    for (let i = 0; i < ACCOUNT_LIMIT; i++)
      await signIn({ email: victim.email, password: `guess ${i} at the victim` }, office);
    const afterGuesses = await signIn({ email: victim.email, password: world.password }, office);
    expect(afterGuesses.ok).toBe(false);
    expect(await db.session.count({ where: { userId: victim.id } })).toBe(0);
  });
});
