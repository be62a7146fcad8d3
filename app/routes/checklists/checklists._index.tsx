import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Field, PageHeader, SelectField, StatusButton, Table } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms";
import {
  createTemplate,
  listTemplates,
  partnerInstitutes,
} from "~/modules/checklists/templates.server";
import { TemplateSchema } from "~/modules/checklists/schema";
import { readFormData } from "~/lib/request.server";

export const meta: MetaFunction = () => [{ title: "Checklist templates | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "HR");
  return { templates: await listTemplates(user), partners: await partnerInstitutes(user) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "HR");
  const parsed = parseForm(await readFormData(request), TemplateSchema);
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const result = await createTemplate(user, parsed.data);
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  return redirectWithFlash(`/checklists/${result.templateId}`, {
    tone: "success",
    message: "Template created. Add its items.",
  });
}

export default function Templates() {
  const { templates, partners } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  const from = (id: string | null) =>
    id ? (partners.find((p) => p.id === id)?.name ?? "one institute") : "any partner";
  return (
    <div className="max-w-4xl">
      <PageHeader
        title="Checklist templates"
        description="The clearance steps your institute asks of every secondee it hosts. Each new placement gets a copy."
      />
      {templates.length ? (
        <Table caption="Templates" captionHidden>
          <thead>
            <tr>
              <th scope="col">Template</th>
              <th scope="col">For secondees from</th>
              <th scope="col">Items</th>
            </tr>
          </thead>
          <tbody>
            {templates.map((t) => (
              <tr key={t.id}>
                <th scope="row">
                  <Link to={`/checklists/${t.id}`} className="text-brand-700 underline">
                    {t.name}
                  </Link>
                </th>
                <td>{from(t.homeInstituteId)}</td>
                <td>{t._count.items}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p>No templates yet.</p>
      )}
      <section aria-labelledby="new-heading" className="mt-8">
        <h2 id="new-heading" className="mb-2 text-lg font-semibold">
          New template
        </h2>
        <Form method="post" className="space-y-3">
          <FormErrors errors={actionData?.errors?.[""]} />
          <Field label="Name" inputProps={{ name: "name" }} errors={actionData?.errors?.name} />
          <SelectField
            label="For secondees from"
            placeholder="Any partner institute"
            selectProps={{ name: "homeInstituteId" }}
            options={partners.map((p) => ({ value: p.id, label: p.name }))}
            errors={actionData?.errors?.homeInstituteId}
          />
          <StatusButton type="submit" pending={pending}>
            Create template
          </StatusButton>
        </Form>
      </section>
    </div>
  );
}
