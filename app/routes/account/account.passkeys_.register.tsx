import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { parseForm } from "~/lib/forms";
import { readFormData, requestInfo } from "~/lib/request.server";
import { refusalInit } from "~/lib/service";
import {
  finishPasskeyRegistration,
  startPasskeyRegistration,
} from "~/modules/accounts/passkeys.server";
import { PasskeyRegisterOptionsSchema, PasskeyRegisterSchema } from "~/modules/accounts/schema";

// Registering a passkey: the ceremony the button on /account/passkeys runs.

export async function loader() {
  return redirect("/account/passkeys");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, { allowPasskeyEnrolment: true });
  const form = await readFormData(request);
  if (form.get("intent") === "options") {
    // The name is checked before the browser asks the person for their authenticator.
    const parsed = parseForm(form, PasskeyRegisterOptionsSchema);
    if (!parsed.success) return Response.json({ errors: parsed.errors }, { status: 400 });
    return Response.json({ options: await startPasskeyRegistration(user) });
  }
  const parsed = parseForm(form, PasskeyRegisterSchema);
  if (!parsed.success) return Response.json({ errors: parsed.errors }, { status: 400 });
  const result = await finishPasskeyRegistration(user, parsed.data, requestInfo(request, context));
  if (!result.ok) return Response.json({ errors: result.errors }, refusalInit(result));
  return Response.json({ redirectTo: "/account/passkeys?added=1" });
}
