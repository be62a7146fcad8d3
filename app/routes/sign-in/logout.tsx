import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getOptionalUser, getSession } from "~/lib/auth.server";
import { assertNotForgedAction, requestInfo } from "~/lib/request.server";
import { clearSessionCookie } from "~/lib/session.server";
import { signOut } from "~/modules/accounts/sign-in.server";
import { ssoInstituteOfSession } from "~/modules/accounts/sso-sign-in.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  await assertNotForgedAction(request);
  const session = await getSession(request);
  // Read before the session goes: a single sign-on session is offered the provider's sign-out too.
  const ssoInstitute = session ? await ssoInstituteOfSession(session.id) : null;
  if (session)
    await signOut(session.id, await getOptionalUser(request), requestInfo(request, context));
  const to = ssoInstitute
    ? `/logout/sso?${new URLSearchParams({ institute: ssoInstitute })}`
    : "/login";
  return redirect(to, { headers: { "Set-Cookie": clearSessionCookie() } });
}
