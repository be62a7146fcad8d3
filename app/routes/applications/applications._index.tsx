import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, PageHeader, Table } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { formatDate } from "~/lib/format";
import { listApplicationsFor, type ApplicationListItem } from "~/modules/applications/lists.server";
import { STATUS_LABELS } from "~/modules/applications/workflow";

export const meta: MetaFunction = () => [{ title: "Applications | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    lists: await listApplicationsFor(user),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

function List({
  id,
  title,
  items,
  where,
  showApplicant,
}: {
  id: string;
  title: string;
  items: ApplicationListItem[];
  where: { locale: string; timeZone: string };
  showApplicant: boolean;
}) {
  if (!items.length) return null;
  return (
    <section aria-labelledby={id} className="mb-8">
      <h2 id={id} className="mb-2 text-lg font-semibold">
        {title} ({items.length})
      </h2>
      <Table caption={title} captionHidden>
        <thead>
          <tr>
            <th scope="col">{showApplicant ? "Applicant" : "Posting"}</th>
            {showApplicant ? <th scope="col">Posting</th> : null}
            <th scope="col">Host</th>
            <th scope="col">Status</th>
            <th scope="col">Submitted</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id}>
              <th scope="row">
                <Link to={`/applications/${a.id}`} className="text-brand-700 underline">
                  {showApplicant ? a.applicantName : a.postingTitle}
                </Link>
              </th>
              {showApplicant ? <td>{a.postingTitle}</td> : null}
              <td>{a.hostCode}</td>
              <td>
                <Badge>{STATUS_LABELS[a.status]}</Badge>
              </td>
              <td>{a.submittedAt ? formatDate(a.submittedAt, where) : "Not yet"}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}

export default function Applications() {
  const { lists, where } = useLoaderData<typeof loader>();
  const empty = !Object.values(lists).some((l) => l.length);
  return (
    <>
      <PageHeader
        title="Applications"
        description="Your own applications, releases you are asked to decide, and reviews assigned to you."
      />
      {empty ? (
        <p>
          Nothing here yet.{" "}
          <Link to="/postings" className="text-brand-700 underline">
            Browse open secondments
          </Link>
          .
        </p>
      ) : null}
      <List
        id="mine"
        title="Your applications"
        items={lists.mine}
        where={where}
        showApplicant={false}
      />
      <List
        id="releases"
        title="Releases to decide (as line manager)"
        items={lists.releases}
        where={where}
        showApplicant
      />
      <List
        id="reviews"
        title="Reviews assigned to you"
        items={lists.reviews}
        where={where}
        showApplicant
      />
      <List
        id="staff"
        title="Your institute's staff applications"
        items={lists.staff}
        where={where}
        showApplicant
      />
    </>
  );
}
