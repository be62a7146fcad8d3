import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { Button, Field, PageHeader } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { Highlighted } from "~/modules/workspaces/components/content-views";
import { searchWorkspace } from "~/modules/workspaces/search.server";
import { WorkspaceSearchSchema } from "~/modules/workspaces/schema";
import { idParam } from "~/lib/request.server";

export const meta: MetaFunction = () => [{ title: "Search the workspace | Exchange portal" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const { q } = WorkspaceSearchSchema.parse({ q: url.searchParams.get("q") ?? "" });
  const id = idParam(params, "workspaceId");
  return { ...(await searchWorkspace(user, id, q)), base: `/workspaces/${id}` };
}

const KIND_LABELS = { page: "Page", comment: "Comment", task: "Task" } as const;

export default function WorkspaceSearch() {
  const { q, hits, base } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Search this workspace" description="Pages, comments and tasks." />
      <Form method="get" role="search" className="mb-6 flex flex-wrap items-end gap-2">
        <Field
          label="Search for"
          inputProps={{ name: "q", type: "search", defaultValue: q }}
          className="min-w-[16rem] flex-1"
        />
        <Button type="submit">Search</Button>
      </Form>
      {q ? (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading" className="mb-2 text-xl font-semibold">
            {hits.length} result{hits.length === 1 ? "" : "s"} for “{q}”
          </h2>
          <ol className="space-y-4">
            {hits.map((h) => (
              <li key={`${h.kind}-${h.id}`}>
                <span className="text-sm font-semibold uppercase text-gray-700">
                  {KIND_LABELS[h.kind]}
                </span>{" "}
                <Link to={`${base}${h.link}`} className="font-semibold text-brand-700 underline">
                  {h.title}
                </Link>
                <p className="text-gray-800">
                  <Highlighted runs={h.headline} />
                </p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}
