import { createHmac } from "node:crypto";
import { getEnv } from "./env.server";
import { crossSiteProblem } from "./http-security.server";
import { sessionCookieName } from "./session.server";
import { generateToken, timingSafeEqualStrings } from "./tokens.server";

/**
 * The anti-forgery token: the second CSRF layer, behind the Origin and Sec-Fetch-Site check.
 *
 * Browsers send Origin or Sec-Fetch-Site with every POST, and the server refuses the cross-site
 * ones. A state-changing request with neither (an old browser, a privacy proxy that strips them)
 * must instead carry this token in its form, or it is refused. The token is an HMAC keyed by a
 * cookie secret the page's reader never sees: the session cookie once signed in (so each session
 * has its own), before that a random `csrf` cookie set by the root loader (a double-submit cookie
 * for the sign-in, forgot-password and invitation forms). No server secret is needed, and no
 * database read: a forger cannot compute the token without the cookie.
 */

export const CSRF_FIELD = "csrf";

const COOKIE_VALUE = /^[a-z2-7]{32}$/;

export function csrfCookieName() {
  // __Host- stops a sibling subdomain from planting its own value (cookie tossing).
  return getEnv().SECURE_COOKIES ? "__Host-csrf" : "csrf";
}

function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq >= 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return COOKIE_VALUE.test(value) ? value : null;
    }
  }
  return null;
}

const tokenFor = (secret: string) =>
  createHmac("sha256", secret).update("exchange-portal csrf").digest("base64url");

function csrfCookie(value: string) {
  const secure = getEnv().SECURE_COOKIES ? "; Secure" : "";
  return `${csrfCookieName()}=${value}; Path=/; HttpOnly; SameSite=Lax${secure}`;
}

/**
 * The token this request's forms carry, and the cookie to set when the browser has no secret yet.
 * For the root loader: every page's forms take it from there.
 */
export function csrfTokenFor(request: Request): { token: string; setCookie: string | null } {
  const session = readCookie(request, sessionCookieName());
  if (session) return { token: tokenFor(session), setCookie: null };
  const existing = readCookie(request, csrfCookieName());
  if (existing) return { token: tokenFor(existing), setCookie: null };
  const fresh = generateToken();
  return { token: tokenFor(fresh), setCookie: csrfCookie(fresh) };
}

/**
 * Why a posted form must be refused as possibly forged, or null. With Origin or Sec-Fetch-Site
 * the browser has said where the form came from, and that decides; without either, the form's
 * token must match one of the request's cookie secrets (either, so that a form from just before
 * signing in or out in another tab still goes through).
 */
export function csrfProblem(request: Request, formData: FormData): string | null {
  const { headers } = request;
  if (headers.has("Origin") || headers.has("Sec-Fetch-Site")) {
    const origins = [new URL(getEnv().APP_URL).origin, new URL(request.url).origin];
    return crossSiteProblem(request.method, headers, origins);
  }
  if (["GET", "HEAD", "OPTIONS"].includes(request.method.toUpperCase())) return null;
  const sent = formData.get(CSRF_FIELD);
  if (typeof sent !== "string" || sent === "") return "no Origin, Sec-Fetch-Site or form token";
  for (const name of [sessionCookieName(), csrfCookieName()]) {
    const secret = readCookie(request, name);
    if (secret && timingSafeEqualStrings(sent, tokenFor(secret))) return null;
  }
  return "the form token does not belong to this browser's session";
}

/**
 * Refuses a possibly forged form with a plain 403 before anything is read from it; otherwise
 * takes the token out, so that forms' schemas never see it.
 */
export function assertNotForged(request: Request, formData: FormData) {
  if (csrfProblem(request, formData)) {
    throw new Response(
      "This form could not be accepted: it may have come from another site. Go back, reload the page and send it again.",
      { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } },
    );
  }
  formData.delete(CSRF_FIELD);
}
