import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Button, PageHeader, SelectField, Table } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/format";
import { DiffView } from "~/modules/workspaces/components/content-views";
import { getPageHistory } from "~/modules/workspaces/content.server";
import { DiffSchema } from "~/modules/workspaces/schema";
import { idParam } from "~/lib/request.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `History: ${data?.history.page.title ?? "page"} | Exchange portal` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const compare = DiffSchema.parse({
    from: url.searchParams.get("from") ?? undefined,
    to: url.searchParams.get("to") ?? undefined,
  });
  return {
    history: await getPageHistory(
      user,
      idParam(params, "workspaceId"),
      idParam(params, "pageId"),
      compare,
      request,
    ),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

export default function PageHistory() {
  const { history, where } = useLoaderData<typeof loader>();
  const options = history.versions.map((v) => ({
    value: String(v.version),
    label: `Version ${v.version}: ${v.authorName}, ${formatDateTime(v.createdAt, where)}`,
  }));
  return (
    <>
      <PageHeader
        title={`History: ${history.page.title}`}
        actions={
          <Link to=".." relative="path" className="text-brand-700 underline">
            Back to the page
          </Link>
        }
      />
      <section aria-labelledby="compare-heading" className="mb-8">
        <h2 id="compare-heading" className="mb-2 text-xl font-semibold">
          Compare versions
        </h2>
        <Form method="get" className="mb-4 flex flex-wrap items-end gap-3">
          <SelectField
            label="From"
            selectProps={{ name: "from", defaultValue: String(history.from) }}
            options={options}
          />
          <SelectField
            label="To"
            selectProps={{ name: "to", defaultValue: String(history.to) }}
            options={options}
          />
          <Button type="submit" variant="secondary">
            Compare
          </Button>
        </Form>
        {history.titleChange ? (
          <p className="mb-2">
            Title changed from “{history.titleChange.from}” to “{history.titleChange.to}”.
          </p>
        ) : null}
        <DiffView
          lines={history.diff}
          caption={`Changes from version ${history.from} to version ${history.to}`}
        />
      </section>
      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading" className="mb-2 text-xl font-semibold">
          All versions
        </h2>
        <Table caption="All versions" captionHidden>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Title</th>
              <th scope="col">By</th>
              <th scope="col">When</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {history.versions.map((v) => (
              <tr key={v.version}>
                <th scope="row">{v.version}</th>
                <td>{v.title}</td>
                <td>{v.authorName}</td>
                <td>{formatDateTime(v.createdAt, where)}</td>
                <td>
                  {v.version > 1 ? (
                    <Link
                      to={`?from=${v.version - 1}&to=${v.version}`}
                      className="text-brand-700 underline"
                    >
                      What version {v.version} changed
                    </Link>
                  ) : (
                    "First version"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      </section>
    </>
  );
}
