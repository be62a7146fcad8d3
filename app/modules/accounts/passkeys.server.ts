import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { decodeClientDataJSON, isoBase64URL } from "@simplewebauthn/server/helpers";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import { mustResistPhishing, type Actor } from "~/lib/permissions";
import { notFound, refused, type RequestInfo, type ServiceResult } from "~/lib/service";
import { createSession, invalidateSession } from "~/lib/session.server";
import { clearFailures, lockedUntil, recordFailure } from "~/lib/throttle.server";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { recordAudit, recordAuditNow } from "~/modules/audit/audit.server";
import {
  accountKeys,
  codeKeys,
  lockedMessage,
  passwordKeys,
  recordFailedAttempt,
  signInAddressKey,
  signInRules,
} from "./sign-in-throttle.server";

// Passkeys (WebAuthn) through @simplewebauthn/server. Challenges live in the database: each is
// spent by the first response that names it, dies after a few minutes, and answers only the
// session (registration, second factor) or the sign-in attempt (a cookie) it was issued to.

const CHALLENGE_TTL_MS = 5 * 60_000;
const FAILED = "That passkey could not be used. Try again, or use another way to sign in.";
const EXPIRED = "This request has expired. Try again.";

type Purpose = "register" | "sign-in" | "second-factor";
type Binding = { sessionId: string } | { attemptHash: string };

/** The relying party is the portal's own public address: passkeys work only there. */
function relyingParty() {
  const url = new URL(getEnv().APP_URL);
  return { rpID: url.hostname, origin: url.origin, rpName: "Exchange portal" };
}

async function issueChallenge(challenge: string, purpose: Purpose, binding: Binding) {
  const now = clock.ms();
  // Abandoned ceremonies leave rows behind; each new one sweeps the dead.
  await db.webAuthnChallenge.deleteMany({ where: { expiresAt: { lte: new Date(now) } } });
  await db.webAuthnChallenge.create({
    data: { challenge, purpose, ...binding, expiresAt: new Date(now + CHALLENGE_TTL_MS) },
  });
}

/** Spends the challenge a response answers; null unless it is live, ours and for this purpose. */
async function spendChallenge(clientDataJSON: string, purpose: Purpose, binding: Binding) {
  let challenge: string;
  try {
    challenge = decodeClientDataJSON(clientDataJSON).challenge;
  } catch {
    return null;
  }
  if (typeof challenge !== "string" || challenge === "") return null;
  const { count } = await db.webAuthnChallenge.deleteMany({
    where: { challenge, purpose, ...binding, expiresAt: { gt: clock.now() } },
  });
  return count === 1 ? challenge : null;
}

// ---------------------------------------------------------------- managing one's passkeys

export async function listPasskeys(actor: Actor) {
  return db.passkey.findMany({
    where: { userId: actor.id },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, createdAt: true, lastUsedAt: true, backedUp: true },
  });
}

export async function startPasskeyRegistration(
  actor: Actor & { displayName: string; sessionId: string },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { rpID, rpName } = relyingParty();
  const existing = await db.passkey.findMany({
    where: { userId: actor.id },
    select: { credentialId: true, transports: true },
  });
  const options = await generateRegistrationOptions({
    rpName,
    rpID,
    userName: actor.email,
    userDisplayName: actor.displayName,
    // The user handle is the account id (not personal data): every passkey of one person is
    // stored under the same account on their authenticator, and sign-in checks it.
    userID: isoBase64URL.toBuffer(isoBase64URL.fromUTF8String(actor.id)),
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({
      id: c.credentialId,
      transports: c.transports as AuthenticatorTransportFuture[],
    })),
    // Discoverable, so that it signs in with no email typed; verified, so that it is two factors.
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  await issueChallenge(options.challenge, "register", { sessionId: actor.sessionId });
  return options;
}

export async function finishPasskeyRegistration(
  actor: Actor & { sessionId: string },
  input: { name: string; response: RegistrationResponseJSON },
  req: RequestInfo,
): Promise<ServiceResult<{ id: string }>> {
  const { rpID, origin } = relyingParty();
  const challenge = await spendChallenge(input.response.response.clientDataJSON, "register", {
    sessionId: actor.sessionId,
  });
  if (!challenge) return refused(EXPIRED);
  let info;
  try {
    const verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    });
    info = verification.verified ? verification.registrationInfo : undefined;
  } catch {
    info = undefined;
  }
  if (!info) {
    await recordAuditNow({
      actor,
      action: "auth.passkey.register_failed",
      targetType: "User",
      targetId: actor.id,
      ipAddress: req.ipAddress,
    });
    return refused("Your passkey could not be registered. Try again.");
  }
  const { credential } = info;
  const taken = await db.passkey.findUnique({
    where: { credentialId: credential.id },
    select: { id: true },
  });
  if (taken) return refused("This passkey is registered already.");
  const created = await db.$transaction(async (tx) => {
    const row = await tx.passkey.create({
      data: {
        userId: actor.id,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey),
        counter: BigInt(credential.counter),
        transports: credential.transports ?? [],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        name: input.name,
        createdAt: clock.now(),
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor,
      action: "auth.passkey.registered",
      targetType: "Passkey",
      targetId: row.id,
      ipAddress: req.ipAddress,
    });
    return row;
  });
  return { ok: true, id: created.id };
}

export async function renamePasskey(
  actor: Actor,
  input: { id: string; name: string },
  req: RequestInfo,
) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.passkey.updateMany({
      where: { id: input.id, userId: actor.id },
      data: { name: input.name },
    });
    if (count !== 1) throw notFound();
    await recordAudit(tx, {
      actor,
      action: "auth.passkey.renamed",
      targetType: "Passkey",
      targetId: input.id,
      ipAddress: req.ipAddress,
    });
  });
}

/** Removes one of the actor's passkeys; never the last one of someone who must hold one. */
export async function removePasskey(
  actor: Actor,
  input: { id: string },
  req: RequestInfo,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    // Two removals at once must not both see another passkey left: take the person's row first.
    await tx.$queryRaw`SELECT 1 FROM "User" WHERE "id" = ${actor.id} FOR UPDATE`;
    const mine = await tx.passkey.findFirst({
      where: { id: input.id, userId: actor.id },
      select: { id: true },
    });
    if (!mine) throw notFound();
    const count = await tx.passkey.count({ where: { userId: actor.id } });
    if (count === 1 && mustResistPhishing(actor)) {
      return refused(
        "This is your only passkey, and your role needs one. Add another passkey before removing this one.",
      );
    }
    await tx.passkey.delete({ where: { id: mine.id } });
    await recordAudit(tx, {
      actor,
      action: "auth.passkey.removed",
      targetType: "Passkey",
      targetId: mine.id,
      ipAddress: req.ipAddress,
    });
    return { ok: true as const };
  });
}

// ---------------------------------------------------------------- using a passkey

type Verified = { ok: true; passkey: { id: string; userId: string } };
type NotVerified = { ok: false; reason: string; passkey?: { id: string; userId: string } };

/**
 * Checks an assertion against the stored passkey: origin, RP ID, challenge, signature, user
 * verification (required), then the signature counter, and records the use.
 */
async function verifyAssertion(
  response: AuthenticationResponseJSON,
  challenge: string,
  userId?: string,
): Promise<Verified | NotVerified> {
  const { rpID, origin } = relyingParty();
  const passkey = await db.passkey.findFirst({
    where: { credentialId: response.id, ...(userId ? { userId } : {}) },
    select: { id: true, userId: true, credentialId: true, publicKey: true, counter: true },
  });
  if (!passkey) return { ok: false, reason: "unknown_passkey" };
  const owner = { id: passkey.id, userId: passkey.userId };
  // A discoverable credential returns the user handle it was registered with: it must be ours.
  const handle = response.response.userHandle;
  if (handle && handle !== isoBase64URL.fromUTF8String(passkey.userId)) {
    return { ok: false, reason: "wrong_user_handle", passkey: owner };
  }
  let newCounter: number;
  try {
    const verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
      // The counter rule is applied below, once the signature is known to be good, so that a
      // counter going backwards is told apart from a bad response and audited as such.
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: 0,
      },
    });
    if (!verification.verified) return { ok: false, reason: "not_verified", passkey: owner };
    newCounter = verification.authenticationInfo.newCounter;
  } catch {
    return { ok: false, reason: "not_verified", passkey: owner };
  }
  // WebAuthn §7.2 step 22: when either count is non-zero the new one must be greater, or the
  // authenticator may have been cloned. Authenticators that keep no counter always send 0.
  const stored = passkey.counter;
  if ((newCounter > 0 || stored > 0n) && BigInt(newCounter) <= stored) {
    return { ok: false, reason: "counter_not_increased", passkey: owner };
  }
  // Conditional: of two requests racing with one counter value, only one moves it on.
  const { count } = await db.passkey.updateMany({
    where: { id: passkey.id, counter: stored },
    data: { counter: BigInt(newCounter), lastUsedAt: clock.now() },
  });
  if (count !== 1) return { ok: false, reason: "counter_not_increased", passkey: owner };
  return { ok: true, passkey: owner };
}

async function auditFailure(result: NotVerified, req: RequestInfo, action: string) {
  const user = result.passkey
    ? await db.user.findUnique({
        where: { id: result.passkey.userId },
        select: { id: true, email: true, instituteId: true },
      })
    : null;
  await recordAuditNow({
    ...(user ? { actor: user } : { actorEmail: "" }),
    action:
      result.reason === "counter_not_increased" ? "auth.passkey.counter_not_increased" : action,
    targetType: result.passkey ? "Passkey" : "",
    targetId: result.passkey?.id ?? "",
    ipAddress: req.ipAddress,
    details: { reason: result.reason },
  });
  return user;
}

/** Sign-in with a passkey alone: the options, and the attempt token the browser keeps in a cookie. */
export async function startPasskeySignIn(): Promise<{
  options: PublicKeyCredentialRequestOptionsJSON;
  attempt: string;
}> {
  const attempt = generateToken();
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().rpID,
    userVerification: "required",
  });
  await issueChallenge(options.challenge, "sign-in", { attemptHash: hashToken(attempt) });
  return { options, attempt };
}

/**
 * Signs in with a discoverable passkey: one factor that is two (possession and the verified user)
 * and resists phishing. Failures count against the address and, once the passkey names one, the
 * account, like wrong passwords; only the account's lock refuses a passkey unseen, as at the code
 * step, because many people may share an address.
 */
export async function finishPasskeySignIn(
  input: { response: AuthenticationResponseJSON; attempt: string },
  req: RequestInfo,
  replacing?: string,
) {
  const challenge = await spendChallenge(input.response.response.clientDataJSON, "sign-in", {
    attemptHash: hashToken(input.attempt),
  });
  if (!challenge) return { ok: false as const, errors: { "": [EXPIRED] } };
  const owner = await db.passkey.findUnique({
    where: { credentialId: input.response.id },
    select: { user: { select: { id: true, email: true, instituteId: true, deactivatedAt: true } } },
  });
  const ownerKeys = owner && passwordKeys(owner.user.email, req.ipAddress);
  if (owner && ownerKeys) {
    const locked = await lockedUntil(accountKeys(ownerKeys));
    if (locked) {
      await recordAuditNow({
        actor: owner.user,
        action: "auth.signin.throttled",
        ipAddress: req.ipAddress,
        details: { method: "passkey" },
      });
      return { ok: false as const, errors: { "": [lockedMessage(locked)] }, lockedUntil: locked };
    }
  }
  const result = await verifyAssertion(input.response, challenge);
  if (!result.ok || !owner || owner.user.deactivatedAt) {
    const failure: NotVerified = result.ok
      ? { ...result, ok: false, reason: "deactivated" }
      : result;
    const user = await auditFailure(failure, req, "auth.signin.failed");
    const lock = user
      ? await recordFailedAttempt(passwordKeys(user.email, req.ipAddress))
      : await recordFailure(signInAddressKey(req.ipAddress), signInRules().address);
    return {
      ok: false as const,
      errors: { "": [lock ? lockedMessage(lock) : FAILED] },
      lockedUntil: lock ?? undefined,
    };
  }
  await clearFailures(passwordKeys(owner.user.email, req.ipAddress).accountHere);
  if (replacing) await invalidateSession(replacing);
  const session = await createSession(owner.user.id, {
    mfaVerified: true,
    method: "passkey",
    phishingResistant: true,
    ...req,
  });
  await recordAuditNow({
    actor: owner.user,
    action: "auth.signin.succeeded",
    targetType: "User",
    targetId: owner.user.id,
    ipAddress: req.ipAddress,
    details: { method: "passkey", passkeyId: result.passkey.id },
  });
  return { ok: true as const, ...session };
}

/**
 * A passkey as the second step after a password: for the half-signed-in, and for HR and
 * administrators whose session must be made phishing-resistant. Only the person's own passkeys
 * are offered and accepted.
 */
export async function startPasskeyStep(pending: {
  sessionId: string;
  user: Actor;
}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const passkeys = await db.passkey.findMany({
    where: { userId: pending.user.id },
    select: { credentialId: true, transports: true },
  });
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().rpID,
    userVerification: "required",
    allowCredentials: passkeys.map((p) => ({
      id: p.credentialId,
      transports: p.transports as AuthenticatorTransportFuture[],
    })),
  });
  await issueChallenge(options.challenge, "second-factor", { sessionId: pending.sessionId });
  return options;
}

export async function finishPasskeyStep(
  pending: { sessionId: string; user: Actor },
  response: AuthenticationResponseJSON,
  req: RequestInfo,
) {
  const { user } = pending;
  const challenge = await spendChallenge(response.response.clientDataJSON, "second-factor", {
    sessionId: pending.sessionId,
  });
  if (!challenge) return { ok: false as const, errors: { "": [EXPIRED] } };
  const keys = codeKeys(user.id, req.ipAddress);
  const locked = await lockedUntil(accountKeys(keys));
  if (locked) {
    await recordAuditNow({ actor: user, action: "auth.mfa.throttled", ipAddress: req.ipAddress });
    return { ok: false as const, errors: { "": [lockedMessage(locked)] }, lockedUntil: locked };
  }
  const result = await verifyAssertion(response, challenge, user.id);
  if (!result.ok) {
    await auditFailure(result, req, "auth.mfa.failed");
    const lock = await recordFailedAttempt(keys);
    return {
      ok: false as const,
      errors: { "": [lock ? lockedMessage(lock) : FAILED] },
      lockedUntil: lock ?? undefined,
    };
  }
  await clearFailures(keys.accountHere);
  // A new token for the stronger session, as after every step of a sign-in.
  await invalidateSession(pending.sessionId);
  const session = await createSession(user.id, {
    mfaVerified: true,
    method: "password",
    phishingResistant: true,
    ...req,
  });
  await recordAuditNow({
    actor: user,
    action: "auth.signin.succeeded",
    targetType: "User",
    targetId: user.id,
    ipAddress: req.ipAddress,
    details: { secondFactor: "passkey", passkeyId: result.passkey.id },
  });
  return { ok: true as const, ...session };
}
