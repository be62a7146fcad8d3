import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { Button, Field, PageHeader, SelectField } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { urlDateErrors } from "~/lib/validation";
import { STATUS_LABELS } from "~/modules/applications/workflow";
import { OWNER_SIDE_LABELS } from "~/modules/checklists/logic";
import { BarChart } from "~/modules/dashboards/components/bar-chart";
import { cachedDashboard } from "~/modules/dashboards/dashboard-cache.server";
import { DashboardFilterSchema } from "~/modules/dashboards/schema";
import { PLACEMENT_STATUS_LABELS } from "~/modules/placements/workflow";

export const meta: MetaFunction = () => [{ title: "HR dashboard | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "HR");
  const params = new URL(request.url).searchParams;
  const filter = DashboardFilterSchema.parse(Object.fromEntries(params));
  return {
    dashboard: await cachedDashboard(user, filter),
    institute: user.institute.name,
    dateErrors: urlDateErrors(params, ["from", "to"]),
  };
}

export default function Dashboard() {
  const { dashboard: d, institute, dateErrors } = useLoaderData<typeof loader>();
  const median = d.timeToDecision.medianDays;
  return (
    <div className="max-w-5xl">
      <PageHeader
        title="HR dashboard"
        description={`${institute}: postings you host, your staff's applications, placements and checklists.`}
      />
      <Form
        method="get"
        aria-label="Filter the dashboard"
        className="mb-8 flex flex-wrap items-end gap-4"
      >
        <Field
          label="Submitted from"
          errors={dateErrors.from}
          inputProps={{ name: "from", type: "date", defaultValue: d.filter.from ?? "" }}
        />
        <Field
          label="Submitted to"
          errors={dateErrors.to}
          inputProps={{ name: "to", type: "date", defaultValue: d.filter.to ?? "" }}
        />
        <SelectField
          label="Posting"
          placeholder="All postings"
          selectProps={{ name: "postingId", defaultValue: d.filter.postingId ?? "" }}
          options={d.postings.map((p) => ({ value: p.id, label: p.title }))}
        />
        <Button type="submit" variant="secondary">
          Show
        </Button>
      </Form>
      <div className="grid gap-6">
        <BarChart
          title="Applications to postings you host, by stage"
          unit="applications"
          bars={d.hostedByStage.map((s) => ({ label: STATUS_LABELS[s.key], count: s.count }))}
        />
        <BarChart
          title="Applications by your staff, by stage"
          unit="applications"
          bars={d.outgoingByStage.map((s) => ({ label: STATUS_LABELS[s.key], count: s.count }))}
        />
        <BarChart
          title="Placements you host or send, by status"
          unit="placements"
          bars={d.placementsByStatus.map((s) => ({
            label: PLACEMENT_STATUS_LABELS[s.key],
            count: s.count,
          }))}
        />
        <BarChart
          title="Overdue checklist items, by whose turn it is"
          unit="items"
          bars={d.overdueBySide.map((s) => ({ label: OWNER_SIDE_LABELS[s.key], count: s.count }))}
        />
        <section aria-labelledby="decision-heading">
          <h2 id="decision-heading" className="mb-2 text-xl font-semibold">
            Time from submission to decision
          </h2>
          <p className="mb-3">
            {d.timeToDecision.decided
              ? `${d.timeToDecision.decided} applications decided (offer or rejection); median ${median?.toFixed(1)} days.`
              : "No application has been decided in this period."}
          </p>
          <BarChart
            title="Applications by days to decision"
            unit="applications"
            bars={d.timeToDecision.buckets.map((b) => ({ label: b.key, count: b.count }))}
          />
        </section>
        <BarChart
          title="Applications to your postings, by month submitted"
          unit="applications"
          bars={d.perMonth.map((m) => ({ label: m.key, count: m.count }))}
        />
      </div>
    </div>
  );
}
