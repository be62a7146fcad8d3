import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useSearchParams } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors, useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Alert, Field, PageHeader, StatusButton } from "~/components/ui";
import { requireAnonymous } from "~/lib/auth.server";
import { parseForm } from "~/lib/forms";
import { readFormData, requestInfo } from "~/lib/request.server";
import { beginSsoSignIn } from "~/modules/accounts/sso-sign-in.server";
import { SsoStartSchema } from "~/modules/accounts/schema";

export const meta: MetaFunction = () => [
  { title: "Sign in with your institute | Exchange portal" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseForm(await readFormData(request), SsoStartSchema);
  if (!parsed.success) return data({ errors: parsed.errors, unavailable: null }, { status: 400 });
  const result = await beginSsoSignIn(parsed.data, requestInfo(request, context));
  if (result.ok) return redirect(result.url);
  if ("field" in result)
    return data(
      { errors: { [result.field]: [result.message] }, unavailable: null },
      { status: 400 },
    );
  return data({ errors: null, unavailable: result.message }, { status: result.status });
}

export default function SsoSignIn() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { register, onSubmit, errorsFor, formErrors } = useZodForm(
    () => import("~/modules/accounts/schema").then((m) => m.SsoStartSchema),
    { serverErrors: actionData?.errors ?? undefined },
  );
  const pending = useIsPending();
  return (
    <div className="mx-auto max-w-md">
      <PageHeader
        title="Sign in with your institute"
        description="Enter your work email address; we send you to your institute's own sign-in page."
      />
      {actionData?.unavailable ? (
        <Alert tone="error" title="Your institute's sign-in service is unavailable">
          {actionData.unavailable}
        </Alert>
      ) : null}
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
        <StatusButton type="submit" pending={pending}>
          Continue
        </StatusButton>
      </Form>
      <p className="mt-6">
        <Link to="/login" className="text-brand-700 underline">
          Sign in with a portal password instead
        </Link>
      </p>
    </div>
  );
}
