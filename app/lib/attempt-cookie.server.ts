import { getEnv } from "./env.server";

// A short-lived cookie that ties a sign-in in flight to the browser that began it: a passkey
// ceremony, or a round trip to an institute's identity provider. Without it, someone could
// start a sign-in and hand the rest to another person's browser (login cross-site request
// forgery). A passkey ceremony never leaves the site (SameSite=Strict); the provider sends the
// browser back from its own site, a top-level GET that SameSite=Lax lets the cookie ride on.

type Kind = "passkey" | "sso";
const SAME_SITE: Record<Kind, "Strict" | "Lax"> = { passkey: "Strict", sso: "Lax" };

function name(kind: Kind) {
  return getEnv().SECURE_COOKIES ? `__Host-${kind}-attempt` : `${kind}-attempt`;
}

/** Sets the attempt's value for `maxAgeSeconds`; an empty value with 0 clears it. */
export function attemptCookie(kind: Kind, value: string, maxAgeSeconds: number) {
  const secure = getEnv().SECURE_COOKIES ? "; Secure" : "";
  return `${name(kind)}=${value}; Path=/; HttpOnly; SameSite=${SAME_SITE[kind]}; Max-Age=${maxAgeSeconds}${secure}`;
}

export function readAttemptCookie(request: Request, kind: Kind): string | null {
  const wanted = name(kind);
  for (const part of (request.headers.get("Cookie") ?? "").split(";")) {
    const [key, value] = part.trim().split("=");
    if (key === wanted && value && /^[A-Za-z0-9_-]{16,128}$/.test(value)) return value;
  }
  return null;
}
