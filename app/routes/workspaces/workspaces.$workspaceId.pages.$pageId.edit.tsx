import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors, useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Field, PageHeader, StatusButton, TextareaField } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { refusalStatus } from "~/lib/service";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms";
import { DiffView } from "~/modules/workspaces/components/content-views";
import { getPageForEdit, savePage } from "~/modules/workspaces/pages.server";
import { PageSaveSchema } from "~/modules/workspaces/schema";
import { idParam, readFormData } from "~/lib/request.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit: ${data?.page.title ?? "page"} | Exchange portal` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    page: await getPageForEdit(user, idParam(params, "workspaceId"), idParam(params, "pageId")),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "workspaceId");
  const pageId = idParam(params, "pageId");
  const parsed = parseForm(await readFormData(request), PageSaveSchema);
  if (!parsed.success) return data({ errors: parsed.errors, conflict: null }, { status: 400 });
  const result = await savePage(user, id, pageId, parsed.data);
  if (!result.ok) {
    const conflict =
      "current" in result
        ? { current: result.current, diff: result.diff, mine: parsed.data }
        : null;
    return data({ errors: result.errors, conflict }, { status: refusalStatus(result) });
  }
  return redirectWithFlash(`/workspaces/${id}/pages/${pageId}`, {
    tone: "success",
    message: "Page saved.",
  });
}

export default function EditPage() {
  const { page } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const conflict = actionData?.conflict ?? null;
  // After a conflict the form starts again from their version, keeping the user's text to merge.
  const values = conflict
    ? {
        title: conflict.mine.title,
        body: conflict.mine.body,
        baseVersion: conflict.current.version,
      }
    : { title: page.title, body: page.body, baseVersion: page.version };
  return (
    <>
      <PageHeader title={`Edit: ${page.title}`} />
      {conflict ? (
        <section aria-labelledby="conflict-heading" className="mb-8 space-y-4">
          <h2 id="conflict-heading" className="text-xl font-semibold">
            Someone else saved this page while you were editing
          </h2>
          <p>
            Below is their version {conflict.current.version} (by {conflict.current.updatedByName}),
            and what your text changes in it. Your text is still in the form: merge their changes
            into it and save again.
          </p>
          <TextareaField
            label={`Their version ${conflict.current.version} (read only)`}
            textareaProps={{ readOnly: true, value: conflict.current.body, rows: 10 }}
          />
          <DiffView lines={conflict.diff} caption="From their version to yours" />
        </section>
      ) : null}
      <PageForm
        key={`${values.baseVersion}-${conflict ? "c" : "n"}`}
        values={values}
        errors={actionData?.errors}
      />
      <p className="mt-4">
        <Link to=".." relative="path" className="text-brand-700 underline">
          Back to the page without saving
        </Link>
      </p>
    </>
  );
}

function PageForm({
  values,
  errors,
}: {
  values: { title: string; body: string; baseVersion: number };
  errors?: Record<string, string[]>;
}) {
  const pending = useIsPending();
  const form = useZodForm(PageSaveSchema, {
    serverErrors: errors,
    defaultValues: values as never,
  });
  return (
    <Form method="post" noValidate onSubmit={form.onSubmit} className="space-y-4">
      <FormErrors errors={form.formErrors} />
      <input type="hidden" {...form.register("baseVersion")} />
      <Field label="Title" inputProps={form.register("title")} errors={form.errorsFor("title")} />
      <TextareaField
        label="Text"
        hint="Markdown: headings with #, **bold**, lists, tables, links."
        textareaProps={{ ...form.register("body"), rows: 20 }}
        errors={form.errorsFor("body")}
      />
      <StatusButton type="submit" pending={pending}>
        Save new version
      </StatusButton>
    </Form>
  );
}
