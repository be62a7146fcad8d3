import { redirect } from "@remix-run/node";
import type { Role } from "~/generated/prisma/enums";
import { mustResistPhishing } from "./permissions";
import { memoPerRequest } from "./request-scope.server";
import { notFound } from "./service";
import {
  clearSessionCookie,
  readSessionToken,
  validateSessionToken,
  type SessionUser,
  type ValidSession,
} from "./session.server";

/** The signed-in user as services see them. */
export type CurrentUser = SessionUser & { sessionId: string; phishingResistant?: boolean };

// Several loaders run for one request; look the session up once. Keyed by the cookie's token, so
// that one request never hands a session to another token.
export function getSession(request: Request): Promise<ValidSession | null> {
  const token = readSessionToken(request);
  if (!token) return Promise.resolve(null);
  return memoPerRequest(`session\u0000${token}`, () => validateSessionToken(token));
}

function loginRedirect(request: Request, clearCookie: boolean) {
  const url = new URL(request.url);
  const here = url.pathname + url.search;
  const to = here === "/" ? "/login" : `/login?${new URLSearchParams({ redirectTo: here })}`;
  return redirect(
    to,
    clearCookie ? { headers: { "Set-Cookie": clearSessionCookie() } } : undefined,
  );
}

/** The fully signed-in user (second factor done where enrolled), or null. */
export async function getOptionalUser(request: Request): Promise<CurrentUser | null> {
  const session = await getSession(request);
  if (!session) return null;
  if (session.user.mfaEnabled && !session.mfaVerified) return null;
  return { ...session.user, sessionId: session.id };
}

/** HR/ADMIN whose session did not come from a phishing-resistant sign-in or step. */
export function needsPhishingResistantStep(session: ValidSession) {
  return mustResistPhishing(session.user) && !session.phishingResistant;
}

/**
 * Requires a signed-in user. Sends the half-signed-in to the second-factor step. HR/ADMIN users
 * whose session is not phishing-resistant go to the passkey step, or, holding no passkey yet, to
 * register one; they must finish that before anything else.
 */
export async function requireUser(
  request: Request,
  options: { allowPasskeyEnrolment?: boolean } = {},
): Promise<CurrentUser> {
  const session = await getSession(request);
  if (!session) throw loginRedirect(request, readSessionToken(request) !== null);
  if (session.user.mfaEnabled && !session.mfaVerified) throw redirect("/login/mfa");
  if (needsPhishingResistantStep(session)) {
    if (session.user.hasPasskey) throw redirect("/login/mfa");
    if (!options.allowPasskeyEnrolment) throw redirect("/account/passkeys");
  }
  return { ...session.user, sessionId: session.id, phishingResistant: session.phishingResistant };
}

/** Pages of a role the user lacks answer 404, like records they may not see. */
export async function requireRole(request: Request, role: Role): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!user.roles.includes(role)) throw notFound();
  return user;
}

export async function requireAnonymous(request: Request) {
  if (await getOptionalUser(request)) throw redirect("/");
}
