import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formatDateTime } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import { NewThreadForm } from "~/modules/workspaces/components/discussion";
import { createThread, listThreads } from "~/modules/workspaces/discussion.server";
import { ThreadSchema } from "~/modules/workspaces/schema";
import { idParam, readFormData } from "~/lib/request.server";
import { refusalInit } from "~/lib/service";

export const meta: MetaFunction = () => [{ title: "Discussion | Exchange portal" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    ...(await listThreads(user, idParam(params, "workspaceId"))),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "workspaceId");
  const parsed = parseForm(await readFormData(request), ThreadSchema);
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  // Threads on a page are started from the page; here they belong to the workspace.
  const result = await createThread(user, id, { ...parsed.data, pageId: "" });
  if (!result.ok) return data({ errors: result.errors }, refusalInit(result));
  return redirectWithFlash(`/workspaces/${id}/discussion/${result.threadId}`, {
    tone: "success",
    message: "Discussion started.",
  });
}

export default function Discussion() {
  const { threads, where } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="Discussion" description="Threads on the workspace and on its pages." />
      {threads.length ? (
        <ul className="space-y-3">
          {threads.map((t) => (
            <li key={t.id}>
              <Link to={t.id} className="font-semibold text-brand-700 underline">
                {t.title}
              </Link>
              <br />
              <span className="text-sm text-gray-700">
                {t._count.comments} comment{t._count.comments === 1 ? "" : "s"} · started{" "}
                {formatDateTime(t.createdAt, where)}
                {t.page ? ` · on the page “${t.page.title}”` : ""}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>No discussions yet.</p>
      )}
      <NewThreadForm errors={actionData?.errors} heading="Start a discussion" />
    </>
  );
}
