import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { attemptCookie, readAttemptCookie } from "~/lib/attempt-cookie.server";
import { getOptionalUser, getSession } from "~/lib/auth.server";
import { parseForm } from "~/lib/forms";
import { readFormData, requestInfo, safeRedirect } from "~/lib/request.server";
import { refusalInit } from "~/lib/service";
import { sessionCookie } from "~/lib/session.server";
import { finishPasskeySignIn, startPasskeySignIn } from "~/modules/accounts/passkeys.server";
import { PasskeyAuthenticateSchema, PasskeyOptionsSchema } from "~/modules/accounts/schema";

// Signing in with a passkey alone (no email typed): the ceremony the login page's button runs.
// The challenge is bound to this browser's attempt by a short-lived cookie.

/** Nothing to show: the page is /login. */
export async function loader() {
  return redirect("/login");
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Read first: reading refuses a cross-site post before anything else happens.
  const form = await readFormData(request);
  if (await getOptionalUser(request)) return Response.json({ redirectTo: "/" });
  if (form.get("intent") === "options") {
    const parsed = parseForm(form, PasskeyOptionsSchema);
    if (!parsed.success) return Response.json({ errors: parsed.errors }, { status: 400 });
    const { options, attempt } = await startPasskeySignIn();
    return Response.json(
      { options },
      { headers: { "Set-Cookie": attemptCookie("passkey", attempt, 300) } },
    );
  }
  const parsed = parseForm(form, PasskeyAuthenticateSchema);
  if (!parsed.success) return Response.json({ errors: parsed.errors }, { status: 400 });
  const attempt = readAttemptCookie(request, "passkey");
  if (!attempt) {
    return Response.json(
      { errors: { "": ["This request has expired. Try again."] } },
      { status: 400 },
    );
  }
  const previous = await getSession(request);
  const result = await finishPasskeySignIn(
    { response: parsed.data.response, attempt },
    requestInfo(request, context),
    previous?.id,
  );
  if (!result.ok) return Response.json({ errors: result.errors }, refusalInit(result));
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookie(result.token, result.cookieExpiresAt));
  headers.append("Set-Cookie", attemptCookie("passkey", "", 0));
  return Response.json({ redirectTo: safeRedirect(parsed.data.redirectTo) }, { headers });
}
