import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms";
import { ThreadView } from "~/modules/workspaces/components/discussion";
import { addComment, getThread } from "~/modules/workspaces/discussion.server";
import { CommentSchema } from "~/modules/workspaces/schema";
import { idParam, readFormData } from "~/lib/request.server";
import { refusalInit } from "~/lib/service";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.view.thread.title ?? "Discussion"} | Exchange portal` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    view: await getThread(user, idParam(params, "workspaceId"), idParam(params, "threadId")),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "workspaceId");
  const threadId = idParam(params, "threadId");
  const parsed = parseForm(await readFormData(request), CommentSchema);
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const result = await addComment(user, id, threadId, parsed.data.body);
  if (!result.ok) return data({ errors: result.errors }, refusalInit(result));
  return redirectWithFlash(`/workspaces/${id}/discussion/${threadId}`, {
    tone: "success",
    message: "Comment added.",
  });
}

export default function Thread() {
  const { view, where } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { thread } = view;
  return (
    <>
      <PageHeader
        title={thread.title}
        description={
          thread.page ? (
            <>
              On the page{" "}
              <Link
                to={`../../pages/${thread.pageId}`}
                relative="path"
                className="text-brand-700 underline"
              >
                {thread.page.title}
              </Link>
            </>
          ) : (
            "A discussion of the workspace"
          )
        }
      />
      <ThreadView
        thread={{ ...thread, title: "Comments" }}
        where={where}
        errors={actionData?.errors}
        headingLevel={2}
      />
    </>
  );
}
