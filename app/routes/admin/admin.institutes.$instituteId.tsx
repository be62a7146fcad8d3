import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Field, PageHeader, StatusButton } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms";
import { idParam, readFormData, requestInfo } from "~/lib/request.server";
import { getInstitute, updateInstitute } from "~/modules/institutes/institutes.server";
import { InstituteSchema } from "~/modules/institutes/schema";

export const meta: MetaFunction = () => [{ title: "Institute | Exchange portal" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  return { institute: await getInstitute(actor, idParam(params, "instituteId")) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  const parsed = parseForm(await readFormData(request), InstituteSchema);
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  await updateInstitute(
    actor,
    idParam(params, "instituteId"),
    parsed.data,
    requestInfo(request, context),
  );
  return redirectWithFlash("/admin/institutes", {
    tone: "success",
    message: `${parsed.data.name} saved.`,
  });
}

export default function EditInstitute() {
  const { institute } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, onSubmit, errorsFor } = useZodForm(InstituteSchema, {
    serverErrors: actionData?.errors,
    defaultValues: {
      name: institute.name,
      country: institute.country,
      timeZone: institute.timeZone,
      locale: institute.locale,
    },
  });
  const pending = useIsPending();
  return (
    <div className="max-w-xl">
      <PageHeader
        title={`${institute.code}: ${institute.name}`}
        description="Dates for this institute's people show in its time zone and locale."
      />
      <Form method="post" noValidate onSubmit={onSubmit} className="space-y-4">
        <Field label="Name" inputProps={{ ...register("name") }} errors={errorsFor("name")} />
        <Field
          label="Country code"
          hint="Two letters, like US or GB."
          inputProps={{ ...register("country"), maxLength: 2 }}
          errors={errorsFor("country")}
        />
        <Field
          label="Time zone"
          hint="An IANA name, like America/New_York."
          inputProps={{ ...register("timeZone") }}
          errors={errorsFor("timeZone")}
        />
        <Field
          label="Locale"
          hint="Like en-US or en-GB."
          inputProps={{ ...register("locale") }}
          errors={errorsFor("locale")}
        />
        <StatusButton type="submit" pending={pending}>
          Save
        </StatusButton>
      </Form>
      <p className="mt-8">
        <Link to={`/admin/institutes/${institute.id}/scim`} className="text-brand-700 underline">
          Provisioning (SCIM): token and email domains
        </Link>
      </p>
      <p className="mt-6">
        <Link to={`/admin/institutes/${institute.id}/sso`} className="text-brand-700 underline">
          Single sign-on settings
        </Link>
      </p>
    </div>
  );
}
