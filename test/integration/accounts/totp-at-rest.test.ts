import { describe, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { openSecret } from "~/lib/secret-box.server";
import { generateTotpKey, totpCodeAt } from "~/lib/totp.server";
import { startMfaEnrolment } from "~/modules/accounts/mfa.server";
import { completeMfaSignIn, signIn } from "~/modules/accounts/sign-in.server";
import { validateSessionToken } from "~/lib/session.server";
import { freshIp, newUser, setUpAccountsWorld, world } from "#test/support/accounts-world";

// Issue 20 point 4: TOTP keys are sealed at rest, bound to their user, and a row written before
// sealing is sealed at its first use.

setUpAccountsWorld();

async function signInWithCode(email: string, key: Uint8Array) {
  const first = await signIn({ email, password: world.password }, freshIp());
  if (!first.ok) throw new Error("sign-in failed");
  const pending = await validateSessionToken(first.token);
  return completeMfaSignIn(
    { sessionId: pending!.id, user: pending!.user },
    totpCodeAt(key),
    freshIp(),
  );
}

describe("TOTP keys at rest", () => {
  test("enrolment stores the key sealed to its user only, never plain", async () => {
    const user = await newUser();
    const actor = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    const page = await startMfaEnrolment({ ...actor, roles: actor.roles });
    if (page.alreadyEnabled) throw new Error("unexpected");
    const row = await db.mfaSecret.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row.key).toBeNull();
    expect(row.sealedKey).toMatch(/^v1:/);
    const plain = Buffer.from(openSecret(row.sealedKey!, `totp:${user.id}`), "base64");
    expect(plain.toString("hex")).not.toBe("");
    expect(row.sealedKey).not.toContain(plain.toString("base64"));
    // Copied to another person's row, it does not open.
    expect(() => openSecret(row.sealedKey!, `totp:${world.usStaff.id}`)).toThrow();
  });

  test("a plain key written before sealing still works, and its first use seals it", async () => {
    const user = await newUser();
    const key = generateTotpKey();
    await db.mfaSecret.create({
      data: { userId: user.id, key: Buffer.from(key), confirmedAt: new Date() },
    });
    expect((await signInWithCode(user.email, key)).ok).toBe(true);
    const row = await db.mfaSecret.findUniqueOrThrow({ where: { userId: user.id } });
    expect(row.key).toBeNull();
    expect(Buffer.from(openSecret(row.sealedKey!, `totp:${user.id}`), "base64")).toEqual(
      Buffer.from(key),
    );
  });

  test("a row with neither a plain nor a sealed key cannot exist", async () => {
    const user = await newUser();
    await expect(db.mfaSecret.create({ data: { userId: user.id } })).rejects.toThrow();
  });
});
