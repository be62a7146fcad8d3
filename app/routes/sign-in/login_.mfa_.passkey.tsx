import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getSession, needsPhishingResistantStep } from "~/lib/auth.server";
import { parseForm } from "~/lib/forms";
import { readFormData, requestInfo, safeRedirect } from "~/lib/request.server";
import { refusalInit } from "~/lib/service";
import { sessionCookie } from "~/lib/session.server";
import { finishPasskeyStep, startPasskeyStep } from "~/modules/accounts/passkeys.server";
import { PasskeyAuthenticateSchema, PasskeyOptionsSchema } from "~/modules/accounts/schema";

// A passkey after the password: the second factor, or the phishing-resistant step HR and
// administrators must pass when they signed in with password and TOTP. Run by /login/mfa's button.

export async function loader() {
  return redirect("/login/mfa");
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Read first: reading refuses a cross-site post before anything else happens.
  const form = await readFormData(request);
  const session = await getSession(request);
  if (!session) return Response.json({ redirectTo: "/login" });
  const stepDue = !session.mfaVerified || needsPhishingResistantStep(session);
  if (!stepDue || !session.user.hasPasskey) return Response.json({ redirectTo: "/" });
  const pending = { sessionId: session.id, user: session.user };
  if (form.get("intent") === "options") {
    const parsed = parseForm(form, PasskeyOptionsSchema);
    if (!parsed.success) return Response.json({ errors: parsed.errors }, { status: 400 });
    return Response.json({ options: await startPasskeyStep(pending) });
  }
  const parsed = parseForm(form, PasskeyAuthenticateSchema);
  if (!parsed.success) return Response.json({ errors: parsed.errors }, { status: 400 });
  const result = await finishPasskeyStep(
    pending,
    parsed.data.response,
    requestInfo(request, context),
  );
  if (!result.ok) return Response.json({ errors: result.errors }, refusalInit(result));
  return Response.json(
    { redirectTo: safeRedirect(parsed.data.redirectTo) },
    { headers: { "Set-Cookie": sessionCookie(result.token, result.cookieExpiresAt) } },
  );
}
