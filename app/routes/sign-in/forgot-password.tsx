import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors, useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Alert, Field, PageHeader, StatusButton } from "~/components/ui";
import { parseForm } from "~/lib/forms";
import { readFormData, requestInfo } from "~/lib/request.server";
import { refusalInit } from "~/lib/service";
import { requestPasswordReset } from "~/modules/accounts/one-time-links.server";
import { ForgotPasswordSchema } from "~/modules/accounts/schema";

export const meta: MetaFunction = () => [{ title: "Reset your password | Exchange portal" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseForm(await readFormData(request), ForgotPasswordSchema);
  if (!parsed.success) return data({ errors: parsed.errors, sent: false }, { status: 400 });
  const result = await requestPasswordReset(parsed.data.email, requestInfo(request, context));
  if (!result.ok) return data({ errors: result.errors, sent: false }, refusalInit(result));
  // The same answer whether or not the address has an account.
  return { errors: null, sent: true };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const { register, onSubmit, errorsFor, formErrors } = useZodForm(ForgotPasswordSchema, {
    serverErrors: actionData?.errors,
  });
  const pending = useIsPending();
  return (
    <div className="mx-auto max-w-md">
      <PageHeader
        title="Reset your password"
        description="We will email you a link to choose a new password."
      />
      <FormErrors errors={formErrors} title="No link was sent" />
      {actionData?.sent ? (
        <Alert tone="success" title="Check your email">
          If an account uses that address, we have sent it a link to reset the password. The link
          works once and expires soon.
        </Alert>
      ) : (
        <Form method="post" noValidate onSubmit={onSubmit} className="space-y-4">
          <Field
            label="Email address"
            inputProps={{
              ...register("email"),
              type: "email",
              autoComplete: "email",
              spellCheck: false,
            }}
            errors={errorsFor("email")}
          />
          <StatusButton type="submit" pending={pending}>
            Send the link
          </StatusButton>
        </Form>
      )}
      <p className="mt-6">
        <Link to="/login" className="text-brand-700 underline">
          Back to sign in
        </Link>
      </p>
    </div>
  );
}
