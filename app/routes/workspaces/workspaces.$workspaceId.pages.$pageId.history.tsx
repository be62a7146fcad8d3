import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { Form } from "~/components/form";
import {
  Alert,
  Button,
  Field,
  PageHeader,
  Pagination,
  Table,
  TextareaField,
} from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/format";
import { DiffView } from "~/modules/workspaces/components/content-views";
import { getPageHistory } from "~/modules/workspaces/pages.server";
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
    list: url.searchParams.get("list") ?? undefined,
  });
  return {
    history: await getPageHistory(
      user,
      idParam(params, "workspaceId"),
      idParam(params, "pageId"),
      compare,
    ),
    asked: compare,
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

/**
 * One end of the comparison, by number. Keyed by its value so that following a link to another
 * comparison shows that comparison's numbers (an uncontrolled input keeps what it first showed).
 */
function VersionField(props: { name: string; label: string; value: number; latest: number }) {
  return (
    <Field
      key={`${props.name}-${props.value}`}
      label={props.label}
      hint={`1 to ${props.latest}`}
      inputProps={{
        name: props.name,
        type: "number",
        inputMode: "numeric",
        min: 1,
        max: props.latest,
        required: true,
        defaultValue: String(props.value),
        className: "w-28",
      }}
    />
  );
}

/** The query string for one comparison and one page of the list, leaving out the defaults. */
function historyHref(from: number, to: number, list: number) {
  const params = new URLSearchParams();
  if (from) params.set("from", String(from));
  if (to) params.set("to", String(to));
  if (list > 1) params.set("list", String(list));
  const query = params.toString();
  return query ? `?${query}` : ".";
}

export default function PageHistory() {
  const { history, asked, where } = useLoaderData<typeof loader>();
  const { workspaceId } = useParams();
  const versionsPath = `/workspaces/${workspaceId}/pages/${history.page.id}/versions`;
  const latest = history.page.version;
  const missing = history.missing;
  const newest = history.versions[0]?.version ?? latest;
  const oldest = history.versions.at(-1)?.version ?? 1;
  const listCaption =
    history.listPages > 1
      ? `Versions ${newest} to ${oldest} of ${history.versionCount}, newest first`
      : `All ${history.versionCount} versions, newest first`;
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
        {missing.length ? (
          <Alert tone="info" className="mb-4">
            This page has versions 1 to {latest}; there is no version {missing.join(" or ")}.
            Showing the changes from version {history.from} to version {history.to}.
          </Alert>
        ) : null}
        <Form method="get" className="mb-4 flex flex-wrap items-end gap-3">
          <VersionField name="from" label="From version" value={history.from} latest={latest} />
          <VersionField name="to" label="To version" value={history.to} latest={latest} />
          {history.list > 1 ? <input type="hidden" name="list" value={history.list} /> : null}
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
        {history.texts ? (
          <>
            <p className="mt-4">
              Download them to compare in a tool of your own:{" "}
              <a
                href={`${versionsPath}/${history.from}`}
                download
                className="text-brand-700 underline"
              >
                version {history.from}
              </a>{" "}
              and{" "}
              <a
                href={`${versionsPath}/${history.to}`}
                download
                className="text-brand-700 underline"
              >
                version {history.to}
              </a>{" "}
              (markdown files).
            </p>
            <div className="mt-4 grid gap-4 lg:grid-cols-2">
              <TextareaField
                label={`Version ${history.from} in full (read only)`}
                textareaProps={{ readOnly: true, value: history.texts.from, rows: 20 }}
              />
              <TextareaField
                label={`Version ${history.to} in full (read only)`}
                textareaProps={{ readOnly: true, value: history.texts.to, rows: 20 }}
              />
            </div>
          </>
        ) : null}
      </section>
      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading" className="mb-2 text-xl font-semibold">
          Versions
        </h2>
        <Table caption={listCaption} captionHidden={history.listPages <= 1}>
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
                      to={historyHref(v.version - 1, v.version, history.list)}
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
        <Pagination
          page={history.list}
          pageCount={history.listPages}
          makeHref={(list) => historyHref(asked.from, asked.to, list)}
          className="mt-4"
        />
      </section>
    </>
  );
}
