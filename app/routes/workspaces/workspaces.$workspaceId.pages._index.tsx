import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors, useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Field, PageHeader, StatusButton, Table, TextareaField } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formatDateTime } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import { createPage, listPages } from "~/modules/workspaces/pages.server";
import { roleMay } from "~/modules/workspaces/rules";
import { PageSchema } from "~/modules/workspaces/schema";
import { idParam, readFormData } from "~/lib/request.server";
import { refusalInit } from "~/lib/service";

export const meta: MetaFunction = () => [{ title: "Pages | Exchange portal" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    ...(await listPages(user, idParam(params, "workspaceId"))),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "workspaceId");
  const parsed = parseForm(await readFormData(request), PageSchema);
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const result = await createPage(user, id, parsed.data);
  if (!result.ok) return data({ errors: result.errors }, refusalInit(result));
  return redirectWithFlash(`/workspaces/${id}/pages/${result.pageId}`, {
    tone: "success",
    message: "Page created.",
  });
}

export default function Pages() {
  const { pages, role, where } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  const form = useZodForm(PageSchema, {
    serverErrors: actionData?.errors,
    defaultValues: { title: "", body: "" },
  });
  return (
    <>
      <PageHeader title="Pages" description="Markdown documents, with every version kept." />
      {pages.length ? (
        <Table caption="Pages" captionHidden>
          <thead>
            <tr>
              <th scope="col">Page</th>
              <th scope="col">Version</th>
              <th scope="col">Last edited</th>
            </tr>
          </thead>
          <tbody>
            {pages.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <Link to={p.id} className="text-brand-700 underline">
                    {p.title}
                  </Link>
                </th>
                <td>{p.version}</td>
                <td>
                  {formatDateTime(p.updatedAt, where)} by {p.updatedByName}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p>No pages yet.</p>
      )}
      {roleMay(role, "edit") ? (
        <section aria-labelledby="new-page-heading" className="mt-8 max-w-3xl">
          <h2 id="new-page-heading" className="mb-2 text-xl font-semibold">
            New page
          </h2>
          <Form method="post" noValidate onSubmit={form.onSubmit} className="space-y-4">
            <FormErrors errors={form.formErrors} />
            <Field
              label="Title"
              inputProps={form.register("title")}
              errors={form.errorsFor("title")}
            />
            <TextareaField
              label="Text"
              hint="Markdown: headings with #, **bold**, lists, tables, links."
              textareaProps={{ ...form.register("body"), rows: 10 }}
              errors={form.errorsFor("body")}
            />
            <StatusButton type="submit" pending={pending}>
              Create page
            </StatusButton>
          </Form>
        </section>
      ) : null}
    </>
  );
}
