import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { Badge, Button, PageHeader, Table } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { formatDate } from "~/lib/format";
import { listPlacements } from "~/modules/placements/placement-list.server";
import {
  PLACEMENT_STATUS_LABELS,
  PLACEMENT_STATUSES,
  type PlacementStatus,
} from "~/modules/placements/workflow";

export const meta: MetaFunction = () => [{ title: "Placements | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const raw = new URL(request.url).searchParams.get("status") ?? "";
  const status = (PLACEMENT_STATUSES as readonly string[]).includes(raw)
    ? (raw as PlacementStatus)
    : undefined;
  return {
    isHr: user.roles.includes("HR"),
    status: status ?? "",
    placements: await listPlacements(user, status),
    where: { locale: user.institute.locale, timeZone: "UTC" },
  };
}

export default function Placements() {
  const { isHr, status, placements, where } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Placements"
        description="Secondments agreed through the portal, from the accepted offer to the last day."
        actions={
          isHr ? (
            <>
              <Link to="/checklists" className="text-brand-700 underline">
                Checklist templates
              </Link>
              <a href="/placements/export" className="text-brand-700 underline" download>
                Placements (CSV)
              </a>
              <a
                href="/placements/export?what=checklist"
                className="text-brand-700 underline"
                download
              >
                Checklist status (CSV)
              </a>
            </>
          ) : null
        }
      />
      <Form method="get" className="mb-6 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="status" className="block font-semibold">
            Status
          </label>
          <select
            id="status"
            name="status"
            defaultValue={status}
            className="mt-1 rounded border-2 border-gray-600 bg-white px-3 py-2"
          >
            <option value="">Any status</option>
            {PLACEMENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {PLACEMENT_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary">
          Show
        </Button>
      </Form>
      {placements.length === 0 ? (
        <p>No placements{status ? " with this status" : ""}.</p>
      ) : (
        <Table caption="Placements" captionHidden>
          <thead>
            <tr>
              <th scope="col">Secondee</th>
              <th scope="col">Posting</th>
              <th scope="col">Host</th>
              <th scope="col">Start</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {placements.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <Link to={`/placements/${p.id}`} className="text-brand-700 underline">
                    {p.secondee.displayName}
                  </Link>
                </th>
                <td>{p.posting.title}</td>
                <td>{p.posting.hostInstitute.code}</td>
                <td>{p.startDate ? formatDate(p.startDate, where) : "Not set"}</td>
                <td>
                  <Badge tone={p.status === "ACTIVE" ? "success" : "neutral"}>
                    {PLACEMENT_STATUS_LABELS[p.status]}
                  </Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
