import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { CheckboxField, PageHeader, StatusButton } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms";
import { getPreferences, savePreferences } from "~/modules/notifications/notifications.server";
import { NotificationPreferencesSchema } from "~/modules/notifications/schema";
import { readFormData } from "~/lib/request.server";

export const meta: MetaFunction = () => [{ title: "Email or in-app | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { preferences: await getPreferences(user) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(await readFormData(request), NotificationPreferencesSchema, {
    arrays: ["email"],
  });
  if (!parsed.success) return data({ errors: ["Choose from the list."] }, { status: 400 });
  await savePreferences(user, parsed.data.email);
  return redirectWithFlash("/account/notifications", {
    tone: "success",
    message: "Your choices are saved.",
  });
}

export default function NotificationPreferences() {
  const { preferences } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  return (
    <div className="max-w-2xl">
      <PageHeader
        title="Email or in-app"
        description="Everything appears on your notifications page. Choose which kinds are also emailed to you."
      />
      <FormErrors errors={actionData?.errors} />
      <Form method="post" className="space-y-4">
        <fieldset className="space-y-3">
          <legend className="mb-2 font-semibold">Also email me about</legend>
          {preferences.map((p) => (
            <CheckboxField
              key={p.kind}
              label={p.label}
              hint={
                p.security ? "Always emailed: it concerns the security of your account." : undefined
              }
              inputProps={
                p.security
                  ? { defaultChecked: true, disabled: true }
                  : { name: "email", value: p.kind, defaultChecked: p.email }
              }
            />
          ))}
        </fieldset>
        <StatusButton type="submit" pending={pending}>
          Save choices
        </StatusButton>
      </Form>
    </div>
  );
}
