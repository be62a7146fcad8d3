import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, PageHeader, Table } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/format";
import { listManagedPostings } from "~/modules/postings/posting-list.server";
import { POSTING_STATUS_LABELS } from "~/modules/postings/workflow";

export const meta: MetaFunction = () => [{ title: "Manage postings | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "HR");
  return {
    postings: await listManagedPostings(user),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
    institute: user.institute.name,
  };
}

export default function ManagePostings() {
  const { postings, where, institute } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Manage postings"
        description={`Every posting hosted by ${institute}, in every state.`}
        actions={
          <Link
            to="/postings/new"
            className="rounded bg-brand-700 px-4 py-2 font-semibold text-white"
          >
            New posting
          </Link>
        }
      />
      {postings.length === 0 ? (
        <p>No postings yet.</p>
      ) : (
        <Table caption="Postings" captionHidden>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Status</th>
              <th scope="col">Deadline</th>
              <th scope="col">Places</th>
              <th scope="col">Applications</th>
            </tr>
          </thead>
          <tbody>
            {postings.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <Link to={`/postings/${p.id}`} className="text-brand-700 underline">
                    {p.title}
                  </Link>
                </th>
                <td>
                  <Badge tone={p.status === "OPEN" ? "success" : "neutral"}>
                    {POSTING_STATUS_LABELS[p.status]}
                  </Badge>
                </td>
                <td>{formatDateTime(p.deadline, where)}</td>
                <td>{p.places}</td>
                <td>
                  <Link to={`/postings/${p.id}/pipeline`} className="text-brand-700 underline">
                    {p.applications}
                    <span className="sr-only"> applications to {p.title}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
