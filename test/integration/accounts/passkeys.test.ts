import { describe, expect, test, vi } from "vitest";
import type { Role } from "~/generated/prisma/enums";
import { requireUser, type CurrentUser } from "~/lib/auth.server";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import { totpCodeAt } from "~/lib/totp.server";
import { validateSessionToken } from "~/lib/session.server";
import {
  finishPasskeyRegistration,
  finishPasskeySignIn,
  finishPasskeyStep,
  listPasskeys,
  removePasskey,
  renamePasskey,
  startPasskeyRegistration,
  startPasskeySignIn,
  startPasskeyStep,
} from "~/modules/accounts/passkeys.server";
import { completeMfaSignIn } from "~/modules/accounts/sign-in.server";
import {
  ACCOUNT_LIMIT,
  APP_URL,
  auditRows,
  freshIp,
  MIN,
  newUser,
  requestWith,
  setUpAccountsWorld,
  signedIn,
  thrown,
} from "#test/support/accounts-world";
import { SoftAuthenticator } from "#test/support/soft-authenticator";

setUpAccountsWorld();

/** A person signed in with a password (and TOTP if they have it), as services see them. */
async function actorFor(roles: Role[] = ["STAFF"]) {
  const user = await newUser({ roles });
  const { token } = await signedIn(user.email);
  const session = (await validateSessionToken(token))!;
  const actor: CurrentUser = { ...session.user, sessionId: session.id };
  return { user, token, actor };
}

async function register(
  actor: CurrentUser,
  name = "Laptop",
  auth = new SoftAuthenticator(APP_URL),
) {
  const options = await startPasskeyRegistration(actor);
  const result = await finishPasskeyRegistration(
    actor,
    { name, response: auth.register(options) },
    freshIp(),
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { auth, id: result.id };
}

async function passkeySignIn(
  auth: SoftAuthenticator,
  opts: Parameters<typeof auth.sign>[1] = {},
  from = freshIp(),
) {
  const { options, attempt } = await startPasskeySignIn();
  return finishPasskeySignIn({ response: auth.sign(options, opts), attempt }, from);
}

describe("passkeys", () => {
  test("a person registers several passkeys, names, renames and removes them", async () => {
    const { actor } = await actorFor();
    const laptop = await register(actor, "Laptop");
    const phone = await register(actor, "Phone");

    const listed = await listPasskeys(actor);
    expect(listed.map((p) => p.name)).toEqual(["Laptop", "Phone"]);
    expect(listed[0]!.lastUsedAt).toBeNull();

    await renamePasskey(actor, { id: phone.id, name: "Work phone" }, freshIp());
    await removePasskey(actor, { id: laptop.id }, freshIp());
    expect((await listPasskeys(actor)).map((p) => p.name)).toEqual(["Work phone"]);
    expect(await auditRows({ action: "auth.passkey.registered", targetId: phone.id })).toHaveLength(
      1,
    );
    expect(await auditRows({ action: "auth.passkey.removed", targetId: laptop.id })).toHaveLength(
      1,
    );
    // Staff need no passkey: the last one goes too.
    expect((await removePasskey(actor, { id: phone.id }, freshIp())).ok).toBe(true);
    expect(await listPasskeys(actor)).toEqual([]);
  });

  test("someone else's passkey is a 404 to rename or remove, and stays", async () => {
    const owner = await actorFor();
    const other = await actorFor();
    const { id } = await register(owner.actor, "Mine");
    expect(
      (await thrown(renamePasskey(other.actor, { id, name: "Stolen" }, freshIp()))).status,
    ).toBe(404);
    expect((await thrown(removePasskey(other.actor, { id }, freshIp()))).status).toBe(404);
    expect((await listPasskeys(owner.actor)).map((p) => p.name)).toEqual(["Mine"]);
  });

  test("registration needs user verification, the right origin and a fresh challenge of this session", async () => {
    const { actor } = await actorFor();
    const other = await actorFor();
    const auth = new SoftAuthenticator(APP_URL);
    const attempt = async (
      response: (o: Awaited<ReturnType<typeof startPasskeyRegistration>>) => unknown,
      who = actor,
    ) => {
      const options = await startPasskeyRegistration(actor);
      return finishPasskeyRegistration(
        who,
        { name: "Key", response: response(options) as ReturnType<typeof auth.register> },
        freshIp(),
      );
    };
    expect((await attempt((o) => auth.register(o, { userVerified: false }))).ok).toBe(false);
    expect(
      (await attempt((o) => auth.register(o, { origin: "https://exchange.example.org.evil" }))).ok,
    ).toBe(false);
    // A challenge issued to one session does not serve another.
    expect((await attempt((o) => auth.register(o), other.actor)).ok).toBe(false);
    // A spent challenge cannot be answered twice.
    const options = await startPasskeyRegistration(actor);
    const response = auth.register(options);
    expect((await finishPasskeyRegistration(actor, { name: "A", response }, freshIp())).ok).toBe(
      true,
    );
    const again = await finishPasskeyRegistration(actor, { name: "B", response }, freshIp());
    expect(again.ok).toBe(false);
    expect((await listPasskeys(actor)).map((p) => p.name)).toEqual(["A"]);
  });

  test("a challenge dies after five minutes", async () => {
    const { actor } = await actorFor();
    const auth = new SoftAuthenticator(APP_URL);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(clock.ms());
    const options = await startPasskeyRegistration(actor);
    vi.setSystemTime(clock.ms() + 5 * MIN + 1000);
    const late = await finishPasskeyRegistration(
      actor,
      { name: "Late", response: auth.register(options) },
      freshIp(),
    );
    expect(late).toMatchObject({
      ok: false,
      errors: { "": ["This request has expired. Try again."] },
    });
    expect(await listPasskeys(actor)).toEqual([]);
  });

  test("a passkey alone signs in: a new, phishing-resistant, fully verified session", async () => {
    const { actor, user } = await actorFor();
    const { auth, id } = await register(actor);

    const result = await passkeySignIn(auth);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const session = (await validateSessionToken(result.token))!;
    expect(session.user.id).toBe(user.id);
    expect(session).toMatchObject({ mfaVerified: true, phishingResistant: true });
    const row = await db.session.findFirstOrThrow({ where: { id: session.id } });
    expect(row.method).toBe("passkey");
    expect((await listPasskeys(actor))[0]!.lastUsedAt).not.toBeNull();
    const audits = await auditRows({ action: "auth.signin.succeeded", targetId: user.id });
    expect(audits.at(-1)!.details).toEqual({ method: "passkey", passkeyId: id });
  });

  test("sign-in refuses a response without user verification, from another origin, or replayed", async () => {
    const { actor } = await actorFor();
    const { auth } = await register(actor);
    expect((await passkeySignIn(auth, { userVerified: false })).ok).toBe(false);
    expect((await passkeySignIn(auth, { origin: "https://phish.example" })).ok).toBe(false);

    const { options, attempt } = await startPasskeySignIn();
    const response = auth.sign(options);
    expect((await finishPasskeySignIn({ response, attempt }, freshIp())).ok).toBe(true);
    expect((await finishPasskeySignIn({ response, attempt }, freshIp())).ok).toBe(false);

    // The challenge answers only the attempt (the browser's cookie) it was issued to.
    const second = await startPasskeySignIn();
    const stolen = await finishPasskeySignIn(
      { response: auth.sign(second.options), attempt: "a".repeat(32) },
      freshIp(),
    );
    expect(stolen.ok).toBe(false);
  });

  test("a signature counter that does not move on is refused and audited; counterless keys work", async () => {
    const { actor } = await actorFor();
    const { auth, id } = await register(actor);
    expect((await passkeySignIn(auth)).ok).toBe(true); // counter 1
    expect((await passkeySignIn(auth)).ok).toBe(true); // counter 2
    auth.counter = 0; // a clone that started from an older copy signs with counter 1
    const cloned = await passkeySignIn(auth);
    expect(cloned.ok).toBe(false);
    expect(
      await auditRows({ action: "auth.passkey.counter_not_increased", targetId: id }),
    ).toHaveLength(1);
    const stored = await db.passkey.findUniqueOrThrow({ where: { id } });
    expect(stored.counter).toBe(2n);

    // An authenticator that keeps no counter sends 0 every time (WebAuthn allows it).
    const counterless = await register((await actorFor()).actor, "Counterless");
    for (let i = 0; i < 2; i++)
      expect((await passkeySignIn(counterless.auth, { keepCounter: true })).ok).toBe(true);
  });

  test("failed passkey sign-ins count against the account at that address: once locked, a good passkey is refused there", async () => {
    const { actor, user } = await actorFor();
    const { auth } = await register(actor);
    const here = freshIp();
    for (let i = 0; i < ACCOUNT_LIMIT; i++)
      expect((await passkeySignIn(auth, { userVerified: false }, here)).ok).toBe(false);
    const locked = await passkeySignIn(auth, {}, here);
    expect(locked.ok).toBe(false);
    if (!locked.ok) expect(locked.errors[""]![0]).toMatch(/Too many attempts/);
    // Elsewhere the owner still signs in: guesses from one address cannot lock them out.
    expect((await passkeySignIn(auth)).ok).toBe(true);
    expect(
      await auditRows({ action: "auth.signin.throttled", actorEmail: user.email }),
    ).toHaveLength(1);
  });

  test("a passkey is a second factor after the password, and only the person's own", async () => {
    const { actor, user } = await actorFor();
    const { auth } = await register(actor);
    const stranger = await register((await actorFor()).actor);

    const pending = await signedIn(user.email);
    expect(pending.needsMfa).toBe(true);
    const session = (await validateSessionToken(pending.token))!;
    const step = { sessionId: session.id, user: session.user };
    expect((await thrown(requireUser(requestWith(pending.token)))).headers.get("Location")).toBe(
      "/login/mfa",
    );

    const wrong = await finishPasskeyStep(
      step,
      stranger.auth.sign(await startPasskeyStep(step)),
      freshIp(),
    );
    expect(wrong.ok).toBe(false);

    const done = await finishPasskeyStep(step, auth.sign(await startPasskeyStep(step)), freshIp());
    expect(done.ok).toBe(true);
    if (!done.ok) return;
    expect(await validateSessionToken(pending.token)).toBeNull();
    expect(await validateSessionToken(done.token)).toMatchObject({
      mfaVerified: true,
      phishingResistant: true,
    });
  });
});

describe("HR and administrators must hold a phishing-resistant method", () => {
  test("without a passkey they are sent to register one; their last passkey cannot be removed", async () => {
    for (const role of ["HR", "ADMIN"] as const) {
      const { token, actor } = await actorFor([role]);
      expect((await thrown(requireUser(requestWith(token)))).headers.get("Location")).toBe(
        "/account/passkeys",
      );
      const { id } = await register(actor);
      const refused = await removePasskey(actor, { id }, freshIp());
      expect(refused).toMatchObject({ ok: false });
      expect(await listPasskeys(actor)).toHaveLength(1);
      // With a second one, the first may go.
      await register(actor, "Spare");
      expect((await removePasskey(actor, { id }, freshIp())).ok).toBe(true);
    }
  });

  test("password and TOTP is not enough: the session must pass a passkey step before acting", async () => {
    const user = await newUser({ roles: ["HR"], mfaKey: true });
    const first = await signedIn(user.email);
    const half = (await validateSessionToken(first.token))!;
    const totp = await completeMfaSignIn(
      { sessionId: half.id, user: half.user },
      totpCodeAt(user.mfaKey!),
      freshIp(),
    );
    if (!totp.ok) throw new Error("TOTP refused");
    // No passkey yet: registering one is the only way on.
    const session = (await validateSessionToken(totp.token))!;
    expect(session.phishingResistant).toBe(false);
    const actor: CurrentUser = { ...session.user, sessionId: session.id };
    const { auth } = await register(actor);
    // Registering does not make this password-and-TOTP session phishing-resistant.
    expect((await thrown(requireUser(requestWith(totp.token)))).headers.get("Location")).toBe(
      "/login/mfa",
    );
    const step = { sessionId: session.id, user: session.user };
    const done = await finishPasskeyStep(step, auth.sign(await startPasskeyStep(step)), freshIp());
    if (!done.ok) throw new Error("passkey step refused");
    expect((await requireUser(requestWith(done.token))).id).toBe(user.id);
  });

  test("a passkey sign-in lets them straight in", async () => {
    const { actor } = await actorFor(["HR"]);
    const { auth } = await register(actor);
    const result = await passkeySignIn(auth);
    if (!result.ok) throw new Error("passkey sign-in refused");
    expect((await requireUser(requestWith(result.token))).roles).toContain("HR");
  });
});
