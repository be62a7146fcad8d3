import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Alert, PageHeader } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { refusalStatus } from "~/lib/service";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms";
import { PostingForm } from "~/modules/postings/components/posting-form";
import { getPostingForm } from "~/modules/postings/posting-page.server";
import { updatePosting } from "~/modules/postings/postings.server";
import { POSTING_ARRAYS, PostingSchema } from "~/modules/postings/schema";
import { isEditable } from "~/modules/postings/workflow";
import { idParam, readFormData } from "~/lib/request.server";

export const meta: MetaFunction = () => [{ title: "Edit posting | Exchange portal" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "HR");
  return getPostingForm(user, idParam(params, "postingId"));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "HR");
  const id = idParam(params, "postingId");
  const parsed = parseForm(await readFormData(request), PostingSchema, { arrays: POSTING_ARRAYS });
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const result = await updatePosting(user, id, parsed.data);
  if (!result.ok) return data({ errors: result.errors }, { status: refusalStatus(result) });
  return redirectWithFlash(`/postings/${id}`, { tone: "success", message: "Posting updated." });
}

export default function EditPosting() {
  const { values, status, ...options } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-3xl">
      <PageHeader title="Edit posting" description={values?.title} />
      {status && !isEditable(status) ? (
        <Alert tone="info">A filled or cancelled posting can no longer be edited.</Alert>
      ) : (
        // A new key after a conflict reloads the form with the current values and version.
        <PostingForm
          key={values?.version}
          options={options}
          values={values}
          serverErrors={actionData?.errors}
          submitLabel="Save changes"
        />
      )}
    </div>
  );
}
