import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Alert, PageHeader } from "~/components/ui";
import { attemptCookie, readAttemptCookie } from "~/lib/attempt-cookie.server";
import { getSession } from "~/lib/auth.server";
import { redirectUri } from "~/lib/oidc.server";
import { requestInfo } from "~/lib/request.server";
import { sessionCookie } from "~/lib/session.server";
import { completeSsoSignIn } from "~/modules/accounts/sso-sign-in.server";

export const meta: MetaFunction = () => [{ title: "Signing in | Exchange portal" }];

/** The provider sends the browser back here with a code (or an error) and the state. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  // The registered redirect URI with the provider's query: behind a proxy request.url's origin
  // is the internal one, and the token request must name the URI the provider knows.
  const callback = new URL(redirectUri());
  callback.search = new URL(request.url).search;
  const previous = await getSession(request);
  const result = await completeSsoSignIn(callback, requestInfo(request, context), {
    state: readAttemptCookie(request, "sso"),
    replacing: previous?.id,
  });
  if (!result.ok) return data({ message: result.message }, { status: result.status });
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookie(result.token, result.cookieExpiresAt));
  headers.append("Set-Cookie", attemptCookie("sso", "", 0));
  return redirect(result.redirectTo, { headers });
}

export default function SsoCallback() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-md">
      <PageHeader title="You could not be signed in" />
      <Alert tone="error" title="Single sign-on did not complete">
        {message}
      </Alert>
      <p className="mt-6">
        <Link to="/login" className="text-brand-700 underline">
          Start again
        </Link>
      </p>
    </div>
  );
}
