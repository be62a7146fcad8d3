import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { refusalInit } from "~/lib/service";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useSearchParams } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors, useZodForm } from "~/components/forms";
import { Field, PageHeader, StatusButton } from "~/components/ui";
import { getSession, requireAnonymous } from "~/lib/auth.server";
import { parseForm } from "~/lib/forms";
import { readFormData, requestInfo, safeRedirect } from "~/lib/request.server";
import { sessionCookie } from "~/lib/session.server";
import { signIn } from "~/modules/accounts/sign-in.server";
import { SignInSchema } from "~/modules/accounts/schema";
import { useIsPending } from "~/components/use-is-pending";
import { PasskeyButton } from "~/modules/accounts/components/passkey-ceremony";

export const meta: MetaFunction = () => [{ title: "Sign in | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseForm(await readFormData(request), SignInSchema);
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const previous = await getSession(request);
  const result = await signIn(parsed.data, requestInfo(request, context), previous?.id);
  if (!result.ok) return data({ errors: result.errors }, refusalInit(result));
  const to = result.needsMfa
    ? `/login/mfa?${new URLSearchParams({ redirectTo: safeRedirect(parsed.data.redirectTo) })}`
    : safeRedirect(parsed.data.redirectTo);
  return redirect(to, {
    headers: { "Set-Cookie": sessionCookie(result.token, result.cookieExpiresAt) },
  });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  // Imported when needed: zod is a fifth of this page's JavaScript (budget: docs/performance.md).
  const { register, onSubmit, errorsFor, formErrors } = useZodForm(
    () => import("~/modules/accounts/schema").then((m) => m.SignInSchema),
    { serverErrors: actionData?.errors },
  );
  const pending = useIsPending();
  return (
    <div className="mx-auto max-w-md">
      <PageHeader
        title="Sign in"
        description="Use the email address your institute registered for you."
      />
      <FormErrors errors={formErrors} title="You could not be signed in" />
      <Form method="post" noValidate onSubmit={onSubmit} className="space-y-4">
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field
          label="Email address"
          inputProps={{
            ...register("email"),
            type: "email",
            autoComplete: "username",
            spellCheck: false,
          }}
          errors={errorsFor("email")}
        />
        <Field
          label="Password"
          inputProps={{
            ...register("password"),
            type: "password",
            autoComplete: "current-password",
          }}
          errors={errorsFor("password")}
        />
        <StatusButton type="submit" pending={pending}>
          Sign in
        </StatusButton>
      </Form>
      <section aria-labelledby="passkey-sign-in" className="mt-8 space-y-2">
        <h2 id="passkey-sign-in" className="text-lg font-semibold">
          Or sign in with a passkey
        </h2>
        <PasskeyButton
          url="/login/passkey"
          label="Use a passkey"
          redirectTo={searchParams.get("redirectTo") ?? "/"}
        />
      </section>
      <p className="mt-6">
        <Link
          to={`/login/sso${searchParams.get("redirectTo") ? `?${new URLSearchParams({ redirectTo: searchParams.get("redirectTo")! })}` : ""}`}
          className="text-brand-700 underline"
        >
          Sign in with your institute
        </Link>
      </p>
      <p className="mt-2">
        <Link to="/forgot-password" className="text-brand-700 underline">
          Forgotten your password?
        </Link>
      </p>
    </div>
  );
}
