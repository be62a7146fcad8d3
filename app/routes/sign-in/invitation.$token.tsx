import type { MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { SetPasswordPage } from "~/modules/accounts/components/set-password-form";
import { setPasswordAction, setPasswordLoader } from "~/modules/accounts/set-password-route.server";

export const meta: MetaFunction = () => [{ title: "Accept your invitation | Exchange portal" }];

export const loader = setPasswordLoader("INVITATION");
export const action = setPasswordAction(
  "INVITATION",
  "Your account is ready. Sign in with your new password.",
);

export default function AcceptInvitation() {
  const { link } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <SetPasswordPage
      title="Welcome to the Exchange portal"
      intro="Choose a password to finish setting up your account."
      link={link}
      errors={actionData?.errors}
      submitLabel="Set password and continue"
    />
  );
}
