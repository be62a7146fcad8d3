import { createSession, sessionCookieName } from "~/lib/session.server";

// Calling route modules as the server does: the loader or action with a Request carrying a real
// session cookie. Shared by the authorisation matrices.

const BASE = "http://localhost";

/**
 * A signed-in session (second factor done unless told) for the user: the cookie a browser sends.
 * A finished sign-in is made as after a passkey, so that HR and administrators, who must sign in
 * in a phishing-resistant way, are let in (test/integration/accounts/passkeys.test.ts shows the
 * rule refusing the others).
 */
export async function sessionCookieFor(userId: string, mfaVerified = true) {
  const { token } = await createSession(userId, mfaVerified ? PASSKEY_SIGN_IN : { mfaVerified });
  return `${sessionCookieName()}=${token}`;
}

export const get = (path: string, cookie: string) =>
  new Request(BASE + path, { headers: { Cookie: cookie } });

export function post(
  path: string,
  cookie: string,
  fields: Record<string, string | string[] | Blob>,
) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields))
    for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  // What a browser sends with a form from the portal's own page.
  return new Request(BASE + path, {
    method: "POST",
    body,
    headers: { Cookie: cookie, "Sec-Fetch-Site": "same-origin" },
  });
}

type RouteFn = (args: {
  request: Request;
  params: Record<string, string>;
  context: object;
}) => unknown;

export const call = (fn: unknown, request: Request, params: Record<string, string> = {}) =>
  Promise.resolve((fn as RouteFn)({ request, params, context: {} }));

/** The HTTP status (and redirect target) a loader or action's result or thrown response means. */
export async function statusOf(
  run: () => Promise<unknown>,
): Promise<{ status: number; location: string | null }> {
  try {
    const result = await run();
    if (result instanceof Response)
      return { status: result.status, location: result.headers.get("Location") };
    const init = result as { type?: string; init?: { status?: number } } | null;
    if (init?.type === "DataWithResponseInit")
      return { status: init.init?.status ?? 200, location: null };
    return { status: 200, location: null };
  } catch (error) {
    if (error instanceof Response)
      return { status: error.status, location: error.headers.get("Location") };
    throw error;
  }
}

/** createSession's options for a finished passkey sign-in, which HR and administrators need. */
export const PASSKEY_SIGN_IN = {
  mfaVerified: true,
  method: "passkey",
  phishingResistant: true,
} as const;
