import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { Button, Field, PageHeader, Pagination, SelectField, Table } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/format";
import { urlDateErrors } from "~/lib/validation";
import { auditActions, listAuditEvents } from "~/modules/audit/audit.server";
import { AuditFilterSchema } from "~/modules/audit/schema";

export const meta: MetaFunction = () => [{ title: "Audit log | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  const params = new URL(request.url).searchParams;
  const filter = AuditFilterSchema.parse(Object.fromEntries(params));
  const [result, actions] = await Promise.all([
    listAuditEvents(actor, filter),
    auditActions(actor),
  ]);
  return {
    ...result,
    actions,
    filter,
    dateErrors: urlDateErrors(params, ["from", "to"]),
    where: { locale: actor.institute.locale, timeZone: actor.institute.timeZone },
  };
}

export default function AuditLog() {
  const { events, total, page, pageCount, actions, filter, dateErrors, where } =
    useLoaderData<typeof loader>();
  const query = Object.fromEntries(
    Object.entries(filter).filter(([k, v]) => k !== "page" && v),
  ) as Record<string, string>;
  return (
    <>
      <PageHeader
        title="Audit log"
        description={`${total} events. The log is append-only and hash-chained.`}
      />
      <Form
        method="get"
        className="mb-6 grid items-end gap-4 md:grid-cols-5"
        aria-label="Filter audit events"
      >
        <SelectField
          label="Event"
          selectProps={{ name: "action", defaultValue: filter.action ?? "" }}
          options={[
            { value: "", label: "All events" },
            ...actions.map((a) => ({ value: a, label: a })),
          ]}
        />
        <Field
          label="Actor email contains"
          inputProps={{ name: "actor", defaultValue: filter.actor ?? "", type: "search" }}
        />
        <Field
          label="From (UTC date)"
          errors={dateErrors.from}
          inputProps={{ name: "from", type: "date", defaultValue: filter.from ?? "" }}
        />
        <Field
          label="To (UTC date)"
          errors={dateErrors.to}
          inputProps={{ name: "to", type: "date", defaultValue: filter.to ?? "" }}
        />
        <div>
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </div>
      </Form>
      <p className="mb-4 flex flex-wrap gap-4">
        <span>Download these {total} events (oldest first):</span>
        <a
          href={`/admin/audit/export?${new URLSearchParams({ ...query, format: "csv" })}`}
          className="text-brand-700 underline"
          download
        >
          CSV
        </a>
        <a
          href={`/admin/audit/export?${new URLSearchParams({ ...query, format: "json" })}`}
          className="text-brand-700 underline"
          download
        >
          JSON
        </a>
      </p>
      <Table caption="Audit events, newest first" captionHidden>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Actor</th>
            <th scope="col">Target</th>
            <th scope="col">Address</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{formatDateTime(e.at, where)}</td>
              <td className="font-mono text-sm">{e.action}</td>
              <td>{e.actorEmail || "—"}</td>
              <td>{e.targetType ? `${e.targetType} ${e.targetId}` : "—"}</td>
              <td>{e.ipAddress || "—"}</td>
              <td className="max-w-xs break-words font-mono text-xs">
                {JSON.stringify(e.details)}
                {e.erasedAt ? " (personal data erased)" : ""}
                {e.personal && Object.keys(e.personal).length
                  ? ` ${JSON.stringify(e.personal)}`
                  : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Pagination
        page={page}
        pageCount={pageCount}
        makeHref={(p) => `?${new URLSearchParams({ ...query, page: String(p) })}`}
      />
    </>
  );
}
