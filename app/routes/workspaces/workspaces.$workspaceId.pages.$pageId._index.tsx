import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formatDateTime } from "~/lib/format";
import type { FieldErrors } from "~/lib/forms";
import { runIntent, withParsedForm } from "~/lib/intents.server";
import { refusalInit } from "~/lib/service";
import { MarkdownView } from "~/modules/workspaces/components/content-views";
import { NewThreadForm, ThreadView } from "~/modules/workspaces/components/discussion";
import { addComment, createThread } from "~/modules/workspaces/discussion.server";
import { getPage } from "~/modules/workspaces/pages.server";
import { roleMay } from "~/modules/workspaces/rules";
import { CommentSchema, ThreadSchema } from "~/modules/workspaces/schema";
import { formId, idParam, readFormData } from "~/lib/request.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.view.page.title ?? "Page"} | Exchange portal` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    view: await getPage(user, idParam(params, "workspaceId"), idParam(params, "pageId")),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "workspaceId");
  const pageId = idParam(params, "pageId");
  const formData = await readFormData(request);
  const intent = String(formData.get("intent") ?? "");
  const threadId = formId(formData, "threadId");
  const result = await runIntent(intent, {
    thread: () =>
      withParsedForm(formData, ThreadSchema, (i) => createThread(user, id, { ...i, pageId })),
    comment: () =>
      withParsedForm(formData, CommentSchema, (i) => addComment(user, id, threadId, i.body)),
  });
  if (!result.ok) return data({ intent, threadId, errors: result.errors }, refusalInit(result));
  return redirectWithFlash(`/workspaces/${id}/pages/${pageId}`, {
    tone: "success",
    message: intent === "thread" ? "Discussion started." : "Comment added.",
  });
}

export default function PageView() {
  const { view, where } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { page } = view;
  return (
    <>
      <PageHeader
        title={page.title}
        description={`Version ${page.version}, ${formatDateTime(page.updatedAt, where)} by ${page.updatedByName}`}
        actions={
          <>
            {roleMay(view.role, "edit") ? (
              <Link to="edit" className="text-brand-700 underline">
                Edit<span className="sr-only"> {page.title}</span>
              </Link>
            ) : null}
            <Link to="history" className="text-brand-700 underline">
              History and differences
            </Link>
          </>
        }
      />
      <article aria-label={page.title} className="mb-10">
        <MarkdownView html={page.html} />
      </article>
      <section aria-labelledby="page-discussion-heading">
        <h2 id="page-discussion-heading" className="mb-3 text-xl font-semibold">
          Discussion of this page
        </h2>
        {view.threads.length ? (
          <div className="space-y-6">
            {view.threads.map((t) => (
              <ThreadView
                key={t.id}
                thread={t}
                where={where}
                errors={
                  actionData?.intent === "comment" && actionData.threadId === t.id
                    ? (actionData.errors as FieldErrors)
                    : undefined
                }
                headingLevel={3}
              />
            ))}
          </div>
        ) : (
          <p>No discussion yet.</p>
        )}
        <NewThreadForm
          errors={actionData?.intent === "thread" ? (actionData.errors as FieldErrors) : undefined}
          heading="Start a discussion of this page"
        />
      </section>
    </>
  );
}
