import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms";
import { PostingForm } from "~/modules/postings/components/posting-form";
import { getPostingForm } from "~/modules/postings/posting-page.server";
import { createPosting } from "~/modules/postings/postings.server";
import { POSTING_ARRAYS, PostingSchema } from "~/modules/postings/schema";
import { readFormData } from "~/lib/request.server";

export const meta: MetaFunction = () => [{ title: "New posting | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "HR");
  return getPostingForm(user);
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "HR");
  const parsed = parseForm(await readFormData(request), PostingSchema, { arrays: POSTING_ARRAYS });
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const result = await createPosting(user, parsed.data);
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  return redirectWithFlash(`/postings/${result.postingId}`, {
    tone: "success",
    message: "Posting saved as a draft. Publish it when it is ready.",
  });
}

export default function NewPosting() {
  const options = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-3xl">
      <PageHeader
        title="New posting"
        description="Saved as a draft: only HR of your institute see it until you publish it."
      />
      <PostingForm
        options={options}
        values={null}
        serverErrors={actionData?.errors}
        submitLabel="Save draft"
      />
    </div>
  );
}
