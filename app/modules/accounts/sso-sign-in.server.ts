import * as oidc from "openid-client";
import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import { ProviderUnavailable, providerConfiguration, redirectUri } from "~/lib/oidc.server";
import { safeRedirect } from "~/lib/request.server";
import type { RequestInfo } from "~/lib/service";
import { createSession, invalidateSession } from "~/lib/session.server";
import { hashToken } from "~/lib/tokens.server";
import { recordAuditNow } from "~/modules/audit/audit.server";

/**
 * Single sign-on through an institute's OpenID provider: authorisation code flow with PKCE, state
 * and nonce (openid-client does the protocol checks). The sign-in in flight lives server-side in a
 * single-use SsoLogin row, so a state is good for one callback within LOGIN_MINUTES.
 */

export const LOGIN_MINUTES = 10;

export const UNAVAILABLE =
  "Your institute's sign-in service could not be reached, or did not answer as expected. Try again in a few minutes; if it keeps happening, tell your institute's IT team.";
export const STALE_LOGIN =
  "This sign-in has expired or was already used. Start again from the sign-in page.";
const NOT_VERIFIED = "Your institute's sign-in service did not give a verified email address.";
const NOT_ANSWERED =
  "Your institute's sign-in service did not confirm who you are. Start again from the sign-in page.";
const WRONG_INSTITUTE =
  "Your email address does not belong to this institute's sign-in service. Ask your administrator.";
const DEACTIVATED = "Your portal account is deactivated. Ask your administrator.";

export type SsoFailure = { ok: false; status: 400 | 503; message: string };

const providerSelect = {
  id: true,
  instituteId: true,
  issuer: true,
  clientId: true,
  clientSecretSealed: true,
  clientSecretEnv: true,
  emailDomains: true,
  mfaValues: true,
  phishingResistantValues: true,
} as const;

export function emailDomain(email: string) {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

/** Home-realm discovery: the provider that answers for this address's domain, if any. */
export async function providerForEmail(email: string) {
  return db.identityProvider.findFirst({
    where: { emailDomains: { has: emailDomain(email) } },
    select: { ...providerSelect, passwordsAllowed: true },
  });
}

/**
 * Starts a sign-in: the URL of the provider's authorisation page, or why not; null when no
 * provider answers for the address (its people sign in with a password).
 */
export async function beginSsoSignIn(
  input: { email: string; redirectTo?: string },
  req: RequestInfo,
): Promise<{ ok: true; url: string; state: string } | SsoFailure | null> {
  const provider = await providerForEmail(input.email);
  if (!provider) return null;
  let config;
  try {
    config = await providerConfiguration(provider);
  } catch (error) {
    return unavailable(provider, error, req);
  }
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  await db.ssoLogin.create({
    data: {
      id: hashToken(state),
      providerId: provider.id,
      nonce,
      codeVerifier,
      redirectTo: safeRedirect(input.redirectTo),
      expiresAt: new Date(clock.ms() + LOGIN_MINUTES * 60_000),
    },
  });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(),
    scope: "openid email profile",
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    login_hint: input.email,
  });
  // The state goes to the browser's attempt cookie too: the callback must come back to it.
  return { ok: true, url: url.href, state };
}

async function unavailable(
  provider: { id: string; instituteId: string },
  error: unknown,
  req: RequestInfo,
): Promise<SsoFailure> {
  await recordAuditNow({
    action: "auth.sso.provider_unavailable",
    targetType: "IdentityProvider",
    targetId: provider.id,
    instituteId: provider.instituteId,
    ipAddress: req.ipAddress,
    details: { error: describe(error) },
  });
  return { ok: false, status: 503, message: UNAVAILABLE };
}

function describe(error: unknown) {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : null;
  const code = (e: unknown) => (e as { code?: unknown })?.code;
  return String(code(cause) ?? code(error) ?? (error instanceof Error ? error.message : error));
}

/**
 * The provider's redirect back. `callback` is the URL the browser was sent to (redirectUri() with
 * the provider's query). A session the browser already had ends when the new one starts.
 */
export async function completeSsoSignIn(
  callback: URL,
  req: RequestInfo,
  browser: { state: string | null; replacing?: string },
): Promise<{ ok: true; token: string; cookieExpiresAt: Date; redirectTo: string } | SsoFailure> {
  const state = callback.searchParams.get("state") ?? "";
  if (state && browser.state !== state) {
    // Begun in another browser: someone's own sign-in handed to this one (login CSRF). The sign-in
    // stays in flight for the browser that began it.
    await recordAuditNow({
      action: "auth.sso.refused",
      ipAddress: req.ipAddress,
      details: { reason: "other_browser" },
    });
    return { ok: false, status: 400, message: STALE_LOGIN };
  }
  const login = state ? await takeLogin(state) : null;
  if (!login) {
    await recordAuditNow({
      action: "auth.sso.refused",
      ipAddress: req.ipAddress,
      details: { reason: "unknown_state" },
    });
    return { ok: false, status: 400, message: STALE_LOGIN };
  }
  const { provider } = login;
  const refuse = async (reason: string, message: string, extra: object = {}) => {
    await recordAuditNow({
      action: "auth.sso.refused",
      targetType: "IdentityProvider",
      targetId: provider.id,
      instituteId: provider.instituteId,
      ipAddress: req.ipAddress,
      details: { reason, ...extra },
    });
    return { ok: false as const, status: 400 as const, message };
  };
  if (login.expiresAt.getTime() <= clock.ms()) return refuse("expired_login", STALE_LOGIN);

  let config;
  try {
    config = await providerConfiguration(provider);
  } catch (error) {
    return unavailable(provider, error, req);
  }
  let claims;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: login.codeVerifier,
      expectedState: state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (error) {
    // The library's own verdicts (a bad token, an error answer) are refusals; anything else is
    // the provider failing to answer.
    if (
      error instanceof oidc.ClientError ||
      error instanceof oidc.ResponseBodyError ||
      error instanceof oidc.AuthorizationResponseError
    )
      return refuse("rejected_answer", NOT_ANSWERED, { error: describe(error) });
    return unavailable(provider, error, req);
  }
  if (!claims) return refuse("no_id_token", NOT_ANSWERED);

  const subject = claims.sub;
  const email = typeof claims.email === "string" ? claims.email.toLowerCase() : "";
  const known = await db.federatedIdentity.findUnique({
    where: { providerId_subject: { providerId: provider.id, subject } },
    select: { user: { select: { id: true, email: true, instituteId: true, deactivatedAt: true } } },
  });
  let user = known?.user ?? null;
  if (!user) {
    // Binding a new subject to an account rests on the address, so it must be verified and in one
    // of this provider's domains; the account found must be of this provider's institute.
    if (!email || claims.email_verified !== true)
      return refuse("email_not_verified", NOT_VERIFIED, { subject });
    if (!provider.emailDomains.includes(emailDomain(email)))
      return refuse("foreign_domain", WRONG_INSTITUTE, { subject, domain: emailDomain(email) });
    const existing = await db.user.findUnique({
      where: { email },
      select: { id: true, email: true, instituteId: true, deactivatedAt: true },
    });
    if (existing && existing.instituteId !== provider.instituteId)
      return refuse("other_institute", WRONG_INSTITUTE, { subject, userId: existing.id });
    user = existing
      ? await link(existing, provider, subject, req)
      : await createAccount(email, displayNameFrom(claims, email), provider, subject, req);
  }
  if (user.deactivatedAt) return refuse("deactivated", DEACTIVATED, { userId: user.id });

  const asserted = [...(Array.isArray(claims.amr) ? claims.amr : []), claims.acr].filter(
    (v): v is string => typeof v === "string",
  );
  const phishingResistant = asserted.some((v) => provider.phishingResistantValues.includes(v));
  const mfaVerified = asserted.some((v) => provider.mfaValues.includes(v));
  if (browser.replacing) await invalidateSession(browser.replacing);
  const session = await createSession(user.id, {
    mfaVerified,
    method: "sso",
    phishingResistant,
    ...req,
  });
  await recordAuditNow({
    actor: user,
    action: "auth.signin.succeeded",
    targetType: "User",
    targetId: user.id,
    ipAddress: req.ipAddress,
    details: {
      method: "sso",
      providerId: provider.id,
      amr: asserted,
      mfaVerified,
      phishingResistant,
    },
  });
  return { ok: true, ...session, redirectTo: login.redirectTo };
}

/** Finds and deletes the sign-in in flight: whoever deletes it is the one callback it serves. */
async function takeLogin(state: string) {
  const id = hashToken(state);
  const login = await db.ssoLogin.findUnique({
    where: { id },
    select: {
      nonce: true,
      codeVerifier: true,
      redirectTo: true,
      expiresAt: true,
      provider: { select: providerSelect },
    },
  });
  if (!login) return null;
  const { count } = await db.ssoLogin.deleteMany({ where: { id } });
  return count === 1 ? login : null;
}

function displayNameFrom(claims: oidc.IDToken, email: string) {
  const name = typeof claims.name === "string" ? claims.name.trim().slice(0, 120) : "";
  return name || email.slice(0, email.indexOf("@"));
}

type Provider = { id: string; instituteId: string };

async function link(
  user: { id: string; email: string; instituteId: string; deactivatedAt: Date | null },
  provider: Provider,
  subject: string,
  req: RequestInfo,
) {
  await db.federatedIdentity.create({
    data: { userId: user.id, providerId: provider.id, subject },
  });
  await recordAuditNow({
    actor: user,
    action: "auth.sso.linked",
    targetType: "User",
    targetId: user.id,
    ipAddress: req.ipAddress,
    details: { providerId: provider.id, subject },
  });
  return user;
}

async function createAccount(
  email: string,
  displayName: string,
  provider: Provider,
  subject: string,
  req: RequestInfo,
) {
  const user = await db.user.create({
    data: {
      email,
      displayName,
      instituteId: provider.instituteId,
      federatedIdentities: { create: { providerId: provider.id, subject } },
    },
    select: { id: true, email: true, instituteId: true, deactivatedAt: true },
  });
  await recordAuditNow({
    actor: user,
    action: "auth.sso.account_created",
    targetType: "User",
    targetId: user.id,
    ipAddress: req.ipAddress,
    details: { providerId: provider.id, subject },
  });
  return user;
}

/**
 * Where to offer the provider's own sign-out after a portal sign-out: the institute, when the
 * session being ended came from single sign-on.
 */
export async function ssoInstituteOfSession(sessionId: string) {
  const row = await db.session.findUnique({
    where: { id: sessionId },
    select: { method: true, user: { select: { institute: { select: { code: true } } } } },
  });
  return row?.method === "sso" ? row.user.institute.code : null;
}

/** The provider's end-session URL for an institute, or null (none, or it cannot be reached). */
export async function providerSignOutUrl(instituteCode: string) {
  const provider = await db.identityProvider.findFirst({
    where: { institute: { code: instituteCode } },
    select: providerSelect,
  });
  if (!provider) return null;
  try {
    const config = await providerConfiguration(provider);
    if (!config.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(config, {
      client_id: provider.clientId,
      post_logout_redirect_uri: new URL("/login", redirectUri()).toString(),
    }).href;
  } catch (error) {
    if (error instanceof ProviderUnavailable) return null;
    throw error;
  }
}

export const PASSWORDS_OFF =
  "Your institute signs you in through its own sign-in service, not with a portal password. Start again from the sign-in page with your email address.";

/**
 * Whether passwords are off for this address: by its domain (a fact anyone may learn from the
 * sign-in page, so no account is revealed) or, once the account is known, by its institute.
 */
export async function passwordsForbidden(email: string, instituteId?: string) {
  const domain = emailDomain(email);
  const found = await db.identityProvider.findFirst({
    where: {
      passwordsAllowed: false,
      OR: [{ emailDomains: { has: domain } }, ...(instituteId ? [{ instituteId }] : [])],
    },
    select: { id: true },
  });
  return found !== null;
}
