import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PageHeader, Pagination } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { ActivityList } from "~/modules/workspaces/components/content-views";
import { getActivity } from "~/modules/workspaces/activity.server";
import { idParam } from "~/lib/request.server";

export const meta: MetaFunction = () => [{ title: "Activity | Exchange portal" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = Number(new URL(request.url).searchParams.get("page") ?? "1");
  const id = idParam(params, "workspaceId");
  return {
    ...(await getActivity(user, id, Number.isSafeInteger(page) && page > 0 ? page : 1)),
    base: `/workspaces/${id}`,
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

export default function Activity() {
  const { activity, page, pageCount, base, where } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Activity" description="Everything done in this workspace, newest first." />
      <ActivityList items={activity} base={base} where={where} />
      <Pagination page={page} pageCount={pageCount} makeHref={(n) => `?page=${n}`} />
    </>
  );
}
