import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PageHeader, Table } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { formatDate } from "~/lib/format";
import { getPipeline } from "~/modules/applications/applications.server";
import { STATUS_LABELS } from "~/modules/applications/workflow";
import { idParam } from "~/lib/request.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Pipeline: ${data?.posting.title ?? "posting"} | Exchange portal` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "HR");
  return {
    ...(await getPipeline(user, idParam(params, "postingId"))),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

export default function Pipeline() {
  const { posting, byStage, where } = useLoaderData<typeof loader>();
  const total = byStage.reduce((n, s) => n + s.items.length, 0);
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
      <nav aria-label="Stages" className="mb-6">
        <ul className="flex flex-wrap gap-2">
          {byStage.map((s) => (
            <li key={s.status}>
              <a
                href={`#stage-${s.status}`}
                className="rounded border border-slate-300 px-3 py-1 underline"
              >
                {STATUS_LABELS[s.status]} ({s.items.length})
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {byStage.length === 0 ? <p>No applications yet.</p> : null}
      {byStage.map((s) => (
        <section
          key={s.status}
          id={`stage-${s.status}`}
          className="mb-6"
          aria-labelledby={`h-${s.status}`}
        >
          <h2 id={`h-${s.status}`} className="mb-2 text-lg font-semibold">
            {STATUS_LABELS[s.status]} ({s.items.length})
          </h2>
          <Table caption={`${STATUS_LABELS[s.status]} applications`} captionHidden>
            <thead>
              <tr>
                <th scope="col">Applicant</th>
                <th scope="col">Home institute</th>
                <th scope="col">Submitted</th>
                <th scope="col">Reviews</th>
              </tr>
            </thead>
            <tbody>
              {s.items.map((a) => (
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
        </section>
      ))}
    </>
  );
}
