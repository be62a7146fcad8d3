import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useEffect } from "react";
import { Link, useActionData, useSearchParams } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors, useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Alert, Field, PageHeader, StatusButton } from "~/components/ui";
import { attemptCookie } from "~/lib/attempt-cookie.server";
import { getSession, requireAnonymous } from "~/lib/auth.server";
import { parseForm } from "~/lib/forms";
import { readFormData, requestInfo, safeRedirect } from "~/lib/request.server";
import { refusalInit } from "~/lib/service";
import { sessionCookie } from "~/lib/session.server";
import { PasskeyButton } from "~/modules/accounts/components/passkey-ceremony";
import { SignInEmailSchema, SignInSchema } from "~/modules/accounts/schema";
import { signIn } from "~/modules/accounts/sign-in.server";
import { beginSsoSignIn, LOGIN_MINUTES } from "~/modules/accounts/sso-sign-in.server";

// Sign-in asks for the email address first. An address whose institute signs its people in
// through its own identity provider goes there (home-realm discovery); everyone else gets the
// password step, whether or not the address has an account, so the answer names nobody.
//
// The way to the provider is a page, not a redirect: the portal's policy lets forms post only to
// itself (CSP form-action 'self'), and browsers hold a form's redirects to that too. With
// JavaScript, the script follows a redirect; without it, the person follows the page's link.

export const meta: MetaFunction = () => [{ title: "Sign in | Exchange portal" }];

type Errors = Record<string, string[]>;
type ActionData =
  | { step: "email"; errors?: Errors; unavailable?: string }
  | { step: "password"; email: string; errors?: Errors }
  | { step: "provider"; url: string };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readFormData(request);
  const req = requestInfo(request, context);
  if (form.get("intent") === "email") {
    const parsed = parseForm(form, SignInEmailSchema);
    if (!parsed.success) {
      return data<ActionData>({ step: "email", errors: parsed.errors }, { status: 400 });
    }
    const sso = await beginSsoSignIn(parsed.data, req);
    if (!sso) return data<ActionData>({ step: "password", email: parsed.data.email });
    if (sso.ok) {
      const headers = { "Set-Cookie": attemptCookie("sso", sso.state, LOGIN_MINUTES * 60) };
      // The page's script follows a redirect anywhere; a form the browser posts itself does not.
      const mode = request.headers.get("Sec-Fetch-Mode");
      if (mode && mode !== "navigate") return redirect(sso.url, { headers });
      return data<ActionData>({ step: "provider", url: sso.url }, { headers });
    }
    return data<ActionData>({ step: "email", unavailable: sso.message }, { status: sso.status });
  }

  const parsed = parseForm(form, SignInSchema);
  if (!parsed.success) {
    const email = String(form.get("email") ?? "");
    // Without a usable address there is no password step to return to.
    const step = parsed.errors.email ? "email" : "password";
    return data<ActionData>(
      step === "email" ? { step, errors: parsed.errors } : { step, email, errors: parsed.errors },
      { status: 400 },
    );
  }
  const previous = await getSession(request);
  const result = await signIn(parsed.data, req, previous?.id);
  if (!result.ok) {
    return data<ActionData>(
      { step: "password", email: parsed.data.email, errors: result.errors },
      refusalInit(result),
    );
  }
  const to = result.needsMfa
    ? `/login/mfa?${new URLSearchParams({ redirectTo: safeRedirect(parsed.data.redirectTo) })}`
    : safeRedirect(parsed.data.redirectTo);
  return redirect(to, {
    headers: { "Set-Cookie": sessionCookie(result.token, result.cookieExpiresAt) },
  });
}

export default function Login() {
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? "";
  return (
    <div className="mx-auto max-w-md">
      <PageHeader
        title="Sign in"
        description="Use the email address your institute registered for you."
      />
      {actionData?.step === "provider" ? (
        <ToProvider url={actionData.url} />
      ) : actionData?.step === "password" ? (
        <PasswordStep email={actionData.email} errors={actionData.errors} redirectTo={redirectTo} />
      ) : (
        <EmailStep
          errors={actionData?.errors}
          unavailable={actionData?.step === "email" ? actionData.unavailable : undefined}
          redirectTo={redirectTo}
        />
      )}
    </div>
  );
}

function EmailStep(props: { errors?: Errors; unavailable?: string; redirectTo: string }) {
  // Imported when needed: zod is a fifth of this page's JavaScript (budget: docs/performance.md).
  const { register, onSubmit, errorsFor, formErrors } = useZodForm(
    () => import("~/modules/accounts/schema").then((m) => m.SignInEmailSchema),
    { serverErrors: props.errors },
  );
  const pending = useIsPending();
  return (
    <>
      {props.unavailable ? (
        <Alert tone="error" title="Your institute's sign-in service is unavailable">
          {props.unavailable}
        </Alert>
      ) : null}
      <FormErrors errors={formErrors} title="You could not be signed in" />
      <Form method="post" noValidate onSubmit={onSubmit} className="space-y-4">
        <input type="hidden" name="redirectTo" value={props.redirectTo} />
        <Field
          label="Email address"
          hint="If your institute signs you in with its own account, we take you there next."
          inputProps={{
            ...register("email"),
            type: "email",
            autoComplete: "username webauthn",
            spellCheck: false,
          }}
          errors={errorsFor("email")}
        />
        <StatusButton type="submit" name="intent" value="email" pending={pending}>
          Continue
        </StatusButton>
      </Form>
      <section aria-labelledby="passkey-sign-in" className="mt-8 space-y-2">
        <h2 id="passkey-sign-in" className="text-lg font-semibold">
          Or sign in with a passkey
        </h2>
        <PasskeyButton
          url="/login/passkey"
          label="Use a passkey"
          redirectTo={props.redirectTo || "/"}
        />
      </section>
      <p className="mt-6">
        <Link to="/forgot-password" className="text-brand-700 underline">
          Forgotten your password?
        </Link>
      </p>
    </>
  );
}

function ToProvider({ url }: { url: string }) {
  useEffect(() => window.location.assign(url), [url]);
  return (
    <>
      <p className="mb-4" role="status">
        Your institute signs you in through its own sign-in service.
      </p>
      <p>
        <a href={url} className="text-brand-700 underline">
          Continue to your institute&rsquo;s sign-in service
        </a>
      </p>
    </>
  );
}

function PasswordStep(props: { email: string; errors?: Errors; redirectTo: string }) {
  // The browser checks the password only; the server reads the address from the hidden field.
  const { register, onSubmit, errorsFor, formErrors } = useZodForm(
    () => import("~/modules/accounts/schema").then((m) => m.SignInPasswordSchema),
    { serverErrors: props.errors },
  );
  const pending = useIsPending();
  // The step replaced the form the person was in: take them to the field it asks for.
  useEffect(() => {
    if (!props.errors) document.getElementById("password")?.focus();
  }, [props.errors]);
  return (
    <>
      <FormErrors errors={formErrors} title="You could not be signed in" />
      <p className="mb-4">
        Signing in as <strong className="break-all">{props.email}</strong>.{" "}
        <Link
          to={`/login${props.redirectTo ? `?${new URLSearchParams({ redirectTo: props.redirectTo })}` : ""}`}
          className="text-brand-700 underline"
        >
          Use another email address
        </Link>
      </p>
      <Form method="post" noValidate onSubmit={onSubmit} className="space-y-4">
        <input type="hidden" name="redirectTo" value={props.redirectTo} />
        {/* The address goes with the password, and password managers read it as the username. */}
        <input
          name="email"
          type="email"
          autoComplete="username"
          hidden
          readOnly
          value={props.email}
        />
        <Field
          label="Password"
          inputProps={{
            ...register("password"),
            type: "password",
            autoComplete: "current-password",
            id: "password",
          }}
          errors={errorsFor("password")}
        />
        <StatusButton type="submit" pending={pending}>
          Sign in
        </StatusButton>
      </Form>
      <p className="mt-6">
        <Link to="/forgot-password" className="text-brand-700 underline">
          Forgotten your password?
        </Link>
      </p>
    </>
  );
}
