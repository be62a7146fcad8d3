import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors, useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { PageHeader, SelectField, StatusButton } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms";
import { WorkspaceFields } from "~/modules/workspaces/components/workspace-fields";
import { WorkspaceSchema } from "~/modules/workspaces/schema";
import { createWorkspace, labelChoices } from "~/modules/workspaces/workspaces.server";
import { readFormData } from "~/lib/request.server";

export const meta: MetaFunction = () => [{ title: "New workspace | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { labels: await labelChoices(user) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(await readFormData(request), WorkspaceSchema);
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const result = await createWorkspace(user, parsed.data);
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  return redirectWithFlash(`/workspaces/${result.workspaceId}`, {
    tone: "success",
    message: "Workspace created. Invite its members from the Members tab.",
  });
}

export default function NewWorkspace() {
  const { labels } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  const form = useZodForm(WorkspaceSchema, {
    serverErrors: actionData?.errors,
    defaultValues: {
      name: "",
      purpose: "",
      label: "JOINT",
      marking: "OFFICIAL",
      template: "GENERAL",
    },
  });
  return (
    <div className="max-w-2xl">
      <PageHeader title="New workspace" />
      <Form method="post" noValidate onSubmit={form.onSubmit} className="space-y-5">
        <FormErrors errors={form.formErrors} />
        <WorkspaceFields form={form} labels={labels} />
        <SelectField
          label="Start with"
          hint="A joint testing exercise starts with the standard pages: test plan, model access, findings and report."
          selectProps={form.register("template")}
          options={[
            { value: "GENERAL", label: "An empty workspace" },
            { value: "JOINT_TESTING", label: "A joint testing exercise" },
          ]}
          errors={form.errorsFor("template")}
        />
        <StatusButton type="submit" pending={pending}>
          Create workspace
        </StatusButton>
      </Form>
    </div>
  );
}
