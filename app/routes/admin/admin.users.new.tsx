import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Field, PageHeader, SelectField, StatusButton } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms";
import { readFormData, requestInfo } from "~/lib/request.server";
import { invitationChoices, inviteUser } from "~/modules/accounts/users.server";
import { ManagerAndRolesFields } from "~/modules/accounts/components/user-fields";
import { InviteUserSchema } from "~/modules/accounts/schema";
import { refusalInit } from "~/lib/service";

export const meta: MetaFunction = () => [{ title: "Invite a user | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  return { institutes: await invitationChoices(actor) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  const parsed = parseForm(await readFormData(request), InviteUserSchema, { arrays: ["roles"] });
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const result = await inviteUser(actor, parsed.data, requestInfo(request, context));
  if (!result.ok) return data({ errors: result.errors }, refusalInit(result));
  return redirectWithFlash(`/admin/users/${result.userId}`, {
    tone: "success",
    message: `Invitation sent to ${parsed.data.email}.`,
  });
}

export default function InviteUser() {
  const { institutes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, onSubmit, errorsFor, form } = useZodForm(InviteUserSchema, {
    serverErrors: actionData?.errors,
    defaultValues: { roles: ["STAFF"], instituteId: institutes[0]?.id ?? "" },
  });
  const pending = useIsPending();
  const instituteId = form.watch("instituteId");
  const managers =
    institutes.find((i) => i.id === instituteId)?.users ?? institutes.flatMap((i) => i.users);
  return (
    <div className="max-w-2xl">
      <PageHeader
        title="Invite a user"
        description="They will receive an email with a link to set their password. The link expires after a week."
      />
      <Form method="post" noValidate onSubmit={onSubmit} className="space-y-4">
        <Field
          label="Email address"
          inputProps={{
            ...register("email"),
            type: "email",
            autoComplete: "off",
            spellCheck: false,
          }}
          errors={errorsFor("email")}
        />
        <Field
          label="Full name"
          inputProps={{ ...register("displayName"), autoComplete: "off" }}
          errors={errorsFor("displayName")}
        />
        <Field
          label="Job title"
          inputProps={{ ...register("jobTitle") }}
          errors={errorsFor("jobTitle")}
        />
        <Field label="Team" inputProps={{ ...register("team") }} errors={errorsFor("team")} />
        <SelectField
          label="Institute"
          selectProps={register("instituteId")}
          options={institutes.map((i) => ({ value: i.id, label: `${i.code} · ${i.name}` }))}
          errors={errorsFor("instituteId")}
        />
        <ManagerAndRolesFields
          managers={managers}
          managerProps={register("lineManagerId")}
          rolesProps={register("roles")}
          defaultRoles={["STAFF"]}
          errorsFor={errorsFor}
        />
        <StatusButton type="submit" pending={pending}>
          Send invitation
        </StatusButton>
      </Form>
    </div>
  );
}
