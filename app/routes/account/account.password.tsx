import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { refusalInit } from "~/lib/service";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Field, PageHeader, StatusButton } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms";
import { PASSWORD_MIN_LENGTH, PASSWORD_MIN_LENGTH_WITH_MFA } from "~/lib/password-policy";
import { readFormData, requestInfo } from "~/lib/request.server";
import { sessionCookie } from "~/lib/session.server";
import { changePassword } from "~/modules/accounts/password.server";
import { changePasswordSchema } from "~/modules/accounts/schema";

export const meta: MetaFunction = () => [{ title: "Change your password | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    email: user.email,
    minLength: user.mfaEnabled ? PASSWORD_MIN_LENGTH_WITH_MFA : PASSWORD_MIN_LENGTH,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const schema = changePasswordSchema(
    user.mfaEnabled ? PASSWORD_MIN_LENGTH_WITH_MFA : PASSWORD_MIN_LENGTH,
  );
  const parsed = parseForm(await readFormData(request), schema);
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const result = await changePassword(user, parsed.data, requestInfo(request, context));
  if (!result.ok) return data({ errors: result.errors }, refusalInit(result));
  return redirectWithFlash(
    "/account",
    {
      tone: "success",
      message: "Your password has been changed. Your other sessions were signed out.",
    },
    { headers: { "Set-Cookie": sessionCookie(result.token, result.cookieExpiresAt) } },
  );
}

export default function ChangePassword() {
  const { email, minLength } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, onSubmit, errorsFor } = useZodForm(changePasswordSchema(minLength), {
    serverErrors: actionData?.errors,
  });
  const pending = useIsPending();
  return (
    <div className="max-w-md">
      <PageHeader title="Change your password" />
      <Form method="post" noValidate onSubmit={onSubmit} className="space-y-4">
        <input type="text" name="username" value={email} autoComplete="username" readOnly hidden />
        <Field
          label="Current password"
          inputProps={{
            ...register("current"),
            type: "password",
            autoComplete: "current-password",
          }}
          errors={errorsFor("current")}
        />
        <Field
          label="New password"
          hint={`At least ${minLength} characters. Any characters are allowed.`}
          inputProps={{ ...register("password"), type: "password", autoComplete: "new-password" }}
          errors={errorsFor("password")}
        />
        <Field
          label="Repeat the new password"
          inputProps={{ ...register("confirm"), type: "password", autoComplete: "new-password" }}
          errors={errorsFor("confirm")}
        />
        <StatusButton type="submit" pending={pending}>
          Change password
        </StatusButton>
      </Form>
    </div>
  );
}
