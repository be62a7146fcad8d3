import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Alert, PageHeader } from "~/components/ui";
import { providerSignOutUrl } from "~/modules/accounts/sso-sign-in.server";

export const meta: MetaFunction = () => [{ title: "Signed out | Exchange portal" }];

/**
 * After a single sign-on session ends: the portal session is gone; the provider's own session may
 * not be, so its sign-out is offered (not forced: the person may use it for other services).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const code = new URL(request.url).searchParams.get("institute") ?? "";
  const providerUrl = /^[A-Za-z0-9_-]{1,32}$/.test(code) ? await providerSignOutUrl(code) : null;
  return { providerUrl };
}

export default function SsoSignedOut() {
  const { providerUrl } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-md">
      <PageHeader title="You are signed out of the portal" />
      {providerUrl ? (
        <Alert tone="info" title="You may still be signed in at your institute">
          <p>
            Your institute&rsquo;s sign-in service may keep you signed in for its other services.{" "}
            <a href={providerUrl} className="text-brand-700 underline">
              Sign out of your institute&rsquo;s sign-in service too
            </a>
          </p>
        </Alert>
      ) : null}
      <p className="mt-6">
        <Link to="/login" className="text-brand-700 underline">
          Sign in again
        </Link>
      </p>
    </div>
  );
}
