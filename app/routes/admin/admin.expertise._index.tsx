import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors, useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Badge, Field, PageHeader, StatusButton, Table, TextareaField } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formDataToObject, parseForm } from "~/lib/forms";
import { readFormData, requestInfo } from "~/lib/request.server";
import { createArea, listAreas } from "~/modules/directory/taxonomy.server";
import { AREA_NAME_MAX, AreaSchema } from "~/modules/directory/taxonomy-schema";

export const meta: MetaFunction = () => [{ title: "Expertise areas | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  const includeRetired = new URL(request.url).searchParams.get("show") === "all";
  return { areas: await listAreas(actor, { includeRetired }), includeRetired };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  const formData = await readFormData(request);
  const values = formDataToObject(formData);
  const parsed = parseForm(formData, AreaSchema);
  if (!parsed.success) return data({ errors: parsed.errors, values }, { status: 400 });
  const result = await createArea(actor, parsed.data, requestInfo(request, context));
  if (!result.ok) return data({ errors: result.errors, values }, { status: 400 });
  return redirectWithFlash("/admin/expertise", {
    tone: "success",
    message: `“${parsed.data.name}” added. People can now choose it on their profiles.`,
  });
}

export default function ExpertiseAreas() {
  const { areas, includeRetired } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // With JavaScript off a refused form comes back from the server: keep what was typed.
  const initial = {
    name: String(actionData?.values.name ?? ""),
    description: String(actionData?.values.description ?? ""),
  };
  const { register, onSubmit, errorsFor, formErrors } = useZodForm(AreaSchema, {
    serverErrors: actionData?.errors,
    defaultValues: initial,
  });
  const pending = useIsPending();
  return (
    <>
      <PageHeader
        title="Expertise areas"
        description="The shared list people choose from on their directory profiles."
      />
      <p className="mb-4">
        {includeRetired ? (
          <Link to="/admin/expertise">Show current areas only</Link>
        ) : (
          <Link to="/admin/expertise?show=all">Show retired areas too</Link>
        )}
      </p>
      {areas.length === 0 ? (
        <p className="mb-8 text-slate-700">
          There are no expertise areas yet. Add the first below.
        </p>
      ) : (
        <Table caption={includeRetired ? "All expertise areas" : "Current expertise areas"}>
          <thead>
            <tr>
              <th scope="col">Area</th>
              <th scope="col">Description</th>
              <th scope="col">Profiles</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {areas.map((a) => (
              <tr key={a.id}>
                <th scope="row" className="font-semibold">
                  {a.name}
                </th>
                <td className="max-w-prose">{a.description}</td>
                <td>{a.profileCount}</td>
                <td>
                  {a.retiredAt ? <Badge tone="warning">Retired</Badge> : <Badge>Offered</Badge>}
                </td>
                <td>
                  <Link to={`/admin/expertise/${a.id}`}>
                    Manage<span className="sr-only"> {a.name}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <section aria-labelledby="add-area" className="mt-10 max-w-xl border-t border-slate-200 pt-6">
        <h2 id="add-area" className="mb-4 text-xl font-semibold">
          Add an area
        </h2>
        <FormErrors errors={formErrors} />
        <Form method="post" noValidate onSubmit={onSubmit} className="space-y-4">
          <Field
            label="Name"
            hint="Short and lower case unless a proper noun, like red-teaming or interpretability."
            inputProps={{
              ...register("name"),
              defaultValue: initial.name,
              maxLength: AREA_NAME_MAX,
              autoComplete: "off",
            }}
            errors={errorsFor("name")}
          />
          <TextareaField
            label="Description (optional)"
            hint="Helps people decide whether the area fits them."
            textareaProps={{
              ...register("description"),
              defaultValue: initial.description,
              rows: 3,
            }}
            errors={errorsFor("description")}
          />
          <StatusButton type="submit" pending={pending}>
            Add area
          </StatusButton>
        </Form>
      </section>
    </>
  );
}
