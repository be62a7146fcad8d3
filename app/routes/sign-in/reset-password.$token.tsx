import type { MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { SetPasswordPage } from "~/modules/accounts/components/set-password-form";
import { setPasswordAction, setPasswordLoader } from "~/modules/accounts/set-password-route.server";

export const meta: MetaFunction = () => [{ title: "Choose a new password | Exchange portal" }];

export const loader = setPasswordLoader("PASSWORD_RESET");
export const action = setPasswordAction(
  "PASSWORD_RESET",
  "Your password has been changed. Sign in with your new password.",
);

export default function ResetPassword() {
  const { link } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <SetPasswordPage
      title="Choose a new password"
      intro="Choosing a new password signs you out everywhere else."
      link={link}
      errors={actionData?.errors}
      submitLabel="Change password"
    />
  );
}
