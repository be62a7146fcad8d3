import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getOptionalUser, getSession } from "~/lib/auth.server";
import { assertNotForgedAction, requestInfo } from "~/lib/request.server";
import { clearSessionCookie } from "~/lib/session.server";
import { signOut } from "~/modules/accounts/sign-in.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  await assertNotForgedAction(request);
  const session = await getSession(request);
  if (session)
    await signOut(session.id, await getOptionalUser(request), requestInfo(request, context));
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie() } });
}
