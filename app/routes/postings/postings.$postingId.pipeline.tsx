import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Alert, PageHeader, Pagination, Table } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { formatDate } from "~/lib/format";
import { getPipeline } from "~/modules/applications/posting-pipeline.server";
import { STATUS_LABELS } from "~/modules/applications/workflow";
import { idParam } from "~/lib/request.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Pipeline: ${data.posting.title}, ${STATUS_LABELS[data.stage]}${data.page > 1 ? `, page ${data.page}` : ""} | Exchange portal`
      : "Pipeline | Exchange portal",
  },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "HR");
  const search = new URL(request.url).searchParams;
  return {
    ...(await getPipeline(user, idParam(params, "postingId"), {
      stage: search.get("stage"),
      page: search.get("page"),
    })),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

export default function Pipeline() {
  const { posting, total, stages, stage, page, pageCount, pageSize, items, notices, where } =
    useLoaderData<typeof loader>();
  const current = stages.find((s) => s.status === stage)!;
  const first = (page - 1) * pageSize + 1;
  return (
    <>
      <PageHeader
        title={`Applications: ${posting.title}`}
        description={`${total} submitted ${total === 1 ? "application" : "applications"} · ${posting.places} ${posting.places === 1 ? "place" : "places"}`}
        actions={
          <Link to={`/postings/${posting.id}`} className="text-brand-700 underline">
            Back to the posting
          </Link>
        }
      />
      {notices.length ? (
        <Alert tone="warning" className="mb-4">
          {notices.join(" ")}
        </Alert>
      ) : null}
      <nav aria-label="Stages" className="mb-6">
        <ul className="flex flex-wrap gap-2">
          {stages.map((s) => (
            <li key={s.status}>
              <Link
                to={`?stage=${s.status}`}
                aria-current={s.status === stage ? "page" : undefined}
                className={
                  s.status === stage
                    ? "inline-block rounded border border-brand-700 bg-brand-700 px-3 py-1 font-semibold text-white no-underline"
                    : "inline-block rounded border border-slate-300 px-3 py-1 underline"
                }
              >
                {STATUS_LABELS[s.status]} ({s.count})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {total === 0 ? <p>No applications yet.</p> : null}
      <section aria-labelledby="stage-heading" className="mb-6">
        <h2 id="stage-heading" className="mb-2 text-lg font-semibold">
          {STATUS_LABELS[stage]} ({current.count})
        </h2>
        {items.length === 0 ? (
          <p>No applications at this stage.</p>
        ) : (
          <>
            {pageCount > 1 ? (
              <p className="mb-2 text-sm">
                Showing {first}–{first + items.length - 1} of {current.count}, oldest submission
                first.
              </p>
            ) : null}
            <Table caption={`${STATUS_LABELS[stage]} applications`} captionHidden>
              <thead>
                <tr>
                  <th scope="col">Applicant</th>
                  <th scope="col">Home institute</th>
                  <th scope="col">Submitted</th>
                  <th scope="col">Reviews</th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">
                      <Link to={`/applications/${a.id}`} className="text-brand-700 underline">
                        {a.applicantName}
                      </Link>
                    </th>
                    <td>{a.homeCode}</td>
                    <td>{a.submittedAt ? formatDate(a.submittedAt, where) : "–"}</td>
                    <td>{a.reviews}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <Pagination
              className="mt-4"
              page={page}
              pageCount={pageCount}
              makeHref={(n) => `?stage=${stage}&page=${n}`}
            />
          </>
        )}
      </section>
    </>
  );
}
