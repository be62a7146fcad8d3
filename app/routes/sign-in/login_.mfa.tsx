import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { refusalInit } from "~/lib/service";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Form } from "~/components/form";
import { useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Field, PageHeader, StatusButton } from "~/components/ui";
import { getSession, needsPhishingResistantStep } from "~/lib/auth.server";
import { parseForm } from "~/lib/forms";
import { readFormData, requestInfo, safeRedirect } from "~/lib/request.server";
import { sessionCookie } from "~/lib/session.server";
import { completeMfaSignIn } from "~/modules/accounts/sign-in.server";
import { MfaChallengeSchema } from "~/modules/accounts/schema";
import { PasskeyButton } from "~/modules/accounts/components/passkey-ceremony";

export const meta: MetaFunction = () => [{ title: "Two-step verification | Exchange portal" }];

async function pendingSession(request: Request) {
  const session = await getSession(request);
  if (!session) throw redirect("/login");
  if (session.mfaVerified || !session.user.mfaEnabled) throw redirect("/");
  return session;
}

export async function loader({ request }: LoaderFunctionArgs) {
  // HR and administrators signed in with password and TOTP come here for the passkey step.
  const session = await getSession(request);
  if (session?.mfaVerified && needsPhishingResistantStep(session) && session.user.hasPasskey) {
    return { hasPasskey: true, passkeyOnly: true };
  }
  const pending = await pendingSession(request);
  return { hasPasskey: pending.user.hasPasskey, passkeyOnly: false };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await pendingSession(request);
  const formData = await readFormData(request);
  const parsed = parseForm(formData, MfaChallengeSchema);
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const result = await completeMfaSignIn(
    { sessionId: session.id, user: session.user },
    parsed.data.code,
    requestInfo(request, context),
  );
  if (!result.ok) return data({ errors: result.errors }, refusalInit(result));
  const to = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  return redirect(to, {
    headers: { "Set-Cookie": sessionCookie(result.token, result.cookieExpiresAt) },
  });
}

export default function MfaChallenge() {
  const { hasPasskey, passkeyOnly } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { register, onSubmit, errorsFor } = useZodForm(MfaChallengeSchema, {
    serverErrors: actionData?.errors,
  });
  const pending = useIsPending();
  const redirectTo = searchParams.get("redirectTo");
  const passkey = hasPasskey ? (
    <PasskeyButton url="/login/mfa/passkey" label="Use a passkey" redirectTo={redirectTo ?? "/"} />
  ) : null;
  if (passkeyOnly) {
    return (
      <div className="mx-auto max-w-md">
        <PageHeader
          title="Confirm with your passkey"
          description="Your role needs a sign-in that cannot be phished. Confirm it is you with one of your passkeys."
        />
        {passkey}
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md">
      <PageHeader
        title="Two-step verification"
        description="Enter the 6-digit code shown in your authenticator app. If you have lost your device, enter one of your recovery codes."
      />
      <Form
        method="post"
        action={`/login/mfa${redirectTo ? `?${new URLSearchParams({ redirectTo })}` : ""}`}
        noValidate
        onSubmit={onSubmit}
        className="space-y-4"
      >
        <Field
          label="Code"
          inputProps={{
            ...register("code"),
            autoComplete: "one-time-code",
            inputMode: "text",
            spellCheck: false,
          }}
          errors={errorsFor("code")}
        />
        <StatusButton type="submit" pending={pending}>
          Continue
        </StatusButton>
      </Form>
      {passkey ? <div className="mt-8">{passkey}</div> : null}
    </div>
  );
}
