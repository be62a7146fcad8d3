import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { Badge, Button, PageHeader, Pagination, SelectField, Table } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/format";
import { listOutbox } from "~/modules/notifications/outbox.server";
import { OutboxFilterSchema } from "~/modules/notifications/schema";
import { OUTBOX_STATUS_TONE } from "~/modules/notifications/components/status";

export const meta: MetaFunction = () => [{ title: "Email outbox | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  const filter = OutboxFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const result = await listOutbox(actor, filter);
  return {
    ...result,
    filter,
    where: { locale: actor.institute.locale, timeZone: actor.institute.timeZone },
  };
}

export default function Outbox() {
  const { emails, counts, page, pageCount, filter, where } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Email outbox"
        description={`Queued ${counts.QUEUED} · Sending ${counts.SENDING} · Sent ${counts.SENT} · Failed ${counts.FAILED}. Without SMTP configured, mail waits here to be read.`}
      />
      <Form method="get" className="mb-6 flex items-end gap-4" aria-label="Filter emails">
        <SelectField
          label="Status"
          selectProps={{ name: "status", defaultValue: filter.status ?? "" }}
          options={[
            { value: "", label: "All" },
            { value: "QUEUED", label: "Queued" },
            { value: "SENDING", label: "Sending" },
            { value: "SENT", label: "Sent" },
            { value: "FAILED", label: "Failed" },
          ]}
        />
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </Form>
      <Table caption="Emails, newest first" captionHidden>
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">To</th>
            <th scope="col">Subject</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {emails.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.createdAt, where)}</td>
              <td>{e.to}</td>
              <td>
                <Link to={`/admin/outbox/${e.id}`} className="text-brand-700 underline">
                  {e.subject}
                </Link>
              </td>
              <td>
                <Badge tone={OUTBOX_STATUS_TONE[e.status]}>{e.status}</Badge>
              </td>
              <td>{e.attempts}</td>
              <td className="max-w-xs break-words text-sm">{e.lastError || "—"}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Pagination
        page={page}
        pageCount={pageCount}
        makeHref={(p) =>
          `?${new URLSearchParams({ ...(filter.status ? { status: filter.status } : {}), page: String(p) })}`
        }
      />
    </>
  );
}
