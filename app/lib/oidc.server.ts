import * as oidc from "openid-client";
import { getEnv } from "./env.server";
import { openSecret } from "./secret-box.server";

/**
 * The relying party's side of OpenID Connect, by openid-client: discovery and the client settings
 * for one institute's provider. Protocol checks (issuer, PKCE, state, nonce, ID token signature,
 * audience, expiry) are the library's; this file only decides which providers may be reached.
 */

export type ProviderSettings = {
  instituteId: string;
  issuer: string;
  clientId: string;
  clientSecretSealed: string;
  clientSecretEnv: string;
};

/** Discovery and token calls give up after this long: a hung provider must not hang sign-in. */
const TIMEOUT_SECONDS = 5;

/** Raised when the provider cannot be reached or is not configured well enough to use. */
export class ProviderUnavailable extends Error {}

export function redirectUri() {
  return new URL("/login/sso/callback", getEnv().APP_URL).toString();
}

/** The associated data a client secret is sealed under: it opens only for its own institute. */
export function secretContext(instituteId: string) {
  return `oidc:${instituteId}`;
}

/**
 * A client secret an administrator named by its environment variable. The name is data (one per
 * institute), so it cannot be in getEnv()'s fixed schema.
 */
export function environmentSecret(name: string): string | undefined {
  // eslint-disable-next-line no-restricted-properties -- a variable named at run time, see above
  return process.env[name] || undefined;
}

function clientSecret(settings: ProviderSettings): string {
  if (settings.clientSecretEnv) {
    const value = environmentSecret(settings.clientSecretEnv);
    if (!value) throw new ProviderUnavailable(`${settings.clientSecretEnv} is not set`);
    return value;
  }
  if (!settings.clientSecretSealed) throw new ProviderUnavailable("no client secret");
  return openSecret(settings.clientSecretSealed, secretContext(settings.instituteId));
}

/**
 * Plain http lets anyone on the path read codes and tokens, so it is allowed only for a provider on
 * this machine, or outside production (a developer's test provider).
 */
export function httpIssuerAllowed(issuer: URL) {
  if (issuer.protocol === "https:") return true;
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname);
  return issuer.protocol === "http:" && (local || getEnv().NODE_ENV !== "production");
}

/** Reads the provider's discovery document; any failure to do so is `ProviderUnavailable`. */
export async function providerConfiguration(settings: ProviderSettings) {
  const issuer = new URL(settings.issuer);
  if (!httpIssuerAllowed(issuer)) throw new ProviderUnavailable("http issuer refused");
  const secret = clientSecret(settings);
  let config;
  try {
    config = await oidc.discovery(issuer, settings.clientId, secret, undefined, {
      timeout: TIMEOUT_SECONDS,
      ...(issuer.protocol === "http:" ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
  } catch (error) {
    throw new ProviderUnavailable("discovery failed", { cause: error });
  }
  // OpenID Connect lets a client trust an ID token from the token endpoint on TLS alone; the
  // portal checks its signature against the provider's published keys as well.
  oidc.enableNonRepudiationChecks(config);
  return config;
}
