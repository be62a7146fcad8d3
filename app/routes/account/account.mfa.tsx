import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { refusalInit } from "~/lib/service";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Alert, Field, PageHeader, StatusButton } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { parseForm } from "~/lib/forms";
import { readFormData, requestInfo } from "~/lib/request.server";
import { confirmMfaEnrolment, startMfaEnrolment } from "~/modules/accounts/mfa.server";
import { MfaEnrolmentSchema } from "~/modules/accounts/schema";

export const meta: MetaFunction = () => [{ title: "Two-step verification | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const enrolment = await startMfaEnrolment(user);
  return { enrolment, email: user.email };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(await readFormData(request), MfaEnrolmentSchema);
  if (!parsed.success) return data({ errors: parsed.errors, recoveryCodes: null }, { status: 400 });
  const result = await confirmMfaEnrolment(user, parsed.data, requestInfo(request, context));
  if (!result.ok) return data({ errors: result.errors, recoveryCodes: null }, refusalInit(result));
  return { errors: null, recoveryCodes: result.recoveryCodes };
}

export default function MfaSetup() {
  const { enrolment, email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, onSubmit, errorsFor } = useZodForm(MfaEnrolmentSchema, {
    serverErrors: actionData?.errors,
  });
  const pending = useIsPending();

  if (actionData?.recoveryCodes) {
    return (
      <div className="max-w-xl">
        <PageHeader title="Two-step verification is on" />
        <Alert tone="warning" title="Save your recovery codes now">
          Each code signs you in once if you lose your device. Store them somewhere safe: they will
          not be shown again.
        </Alert>
        <ul
          aria-label="Recovery codes"
          className="my-6 grid grid-cols-1 gap-2 font-mono text-lg md:grid-cols-2"
        >
          {actionData.recoveryCodes.map((c) => (
            <li key={c} className="rounded border border-slate-300 bg-white px-3 py-2">
              {c}
            </li>
          ))}
        </ul>
        <Link to="/" className="text-brand-700 underline">
          I have saved them: continue
        </Link>
      </div>
    );
  }
  if (enrolment.alreadyEnabled) {
    return (
      <div className="max-w-xl">
        <PageHeader title="Two-step verification" />
        <p>Two-step verification is already on for your account.</p>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <PageHeader
        title="Set up two-step verification"
        description="You will enter a code from an authenticator app each time you sign in."
      />
      <ol className="mb-6 list-inside list-decimal space-y-4">
        <li>
          Scan this QR code with an authenticator app.
          <div
            role="img"
            aria-label="QR code for your authenticator app. If you cannot scan it, enter the key shown below."
            className="mt-2 h-48 w-48 border border-slate-300 bg-white p-1"
            dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }}
          />
        </li>
        <li>
          Or enter this key by hand:{" "}
          <code className="rounded bg-slate-100 px-2 py-1 font-mono">{enrolment.secret}</code>
        </li>
        <li>Enter the 6-digit code the app shows, and your password to confirm it is you.</li>
      </ol>
      <Form method="post" noValidate onSubmit={onSubmit} className="space-y-4">
        <input type="text" name="username" value={email} autoComplete="username" readOnly hidden />
        <Field
          label="6-digit code"
          inputProps={{ ...register("code"), autoComplete: "one-time-code", inputMode: "numeric" }}
          errors={errorsFor("code")}
        />
        <Field
          label="Current password"
          inputProps={{
            ...register("current"),
            type: "password",
            autoComplete: "current-password",
          }}
          errors={errorsFor("current")}
        />
        <StatusButton type="submit" pending={pending}>
          Turn on two-step verification
        </StatusButton>
      </Form>
    </div>
  );
}
