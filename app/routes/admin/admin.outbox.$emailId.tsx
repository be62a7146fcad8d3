import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { Alert, Badge, Button, PageHeader } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formatDateTime } from "~/lib/format";
import { getOutboxEmail, retryOutboxEmail } from "~/modules/notifications/outbox.server";
import { OUTBOX_STATUS_TONE } from "~/modules/notifications/components/status";
import { assertNotForgedAction, idParam } from "~/lib/request.server";

export const meta: MetaFunction = () => [{ title: "Email | Exchange portal" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  const email = await getOutboxEmail(actor, idParam(params, "emailId"));
  return { email, where: { locale: actor.institute.locale, timeZone: actor.institute.timeZone } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await assertNotForgedAction(request);
  const actor = await requireRole(request, "ADMIN");
  const id = idParam(params, "emailId");
  const result = await retryOutboxEmail(actor, id);
  if (!result.ok) return data({ error: result.error }, { status: 400 });
  return redirectWithFlash(`/admin/outbox/${id}`, {
    tone: "success",
    message: "The email will be sent again shortly.",
  });
}

export default function OutboxEmail() {
  const { email, where } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p className="mb-4">
        <Link to="/admin/outbox" className="text-brand-700 underline">
          Back to the outbox
        </Link>
      </p>
      <PageHeader
        title={email.subject}
        description={`To ${email.to} · created ${formatDateTime(email.createdAt, where)}`}
      />
      <p className="mb-4 flex flex-wrap items-center gap-2">
        <Badge tone={OUTBOX_STATUS_TONE[email.status]}>{email.status}</Badge>
        <span>
          {email.attempts} attempt{email.attempts === 1 ? "" : "s"}
        </span>
        {email.sentAt ? <span>· sent {formatDateTime(email.sentAt, where)}</span> : null}
      </p>
      {email.lastError ? (
        <div className="mb-4">
          <Alert tone="error" title="Last delivery error">
            {email.lastError}
          </Alert>
        </div>
      ) : null}
      {actionData?.error ? (
        <div className="mb-4">
          <Alert tone="error">{actionData.error}</Alert>
        </div>
      ) : null}
      {email.status === "FAILED" ? (
        <Form method="post" className="mb-6">
          <Button type="submit">Retry sending</Button>
        </Form>
      ) : null}
      <h2 className="mb-2 text-xl font-semibold">Message</h2>
      <pre className="whitespace-pre-wrap break-words rounded border border-slate-300 bg-white p-4 font-mono text-sm">
        {email.text}
      </pre>
      <details className="mt-4">
        <summary className="cursor-pointer text-brand-700 underline">HTML source</summary>
        <pre className="mt-2 max-h-96 overflow-auto whitespace-pre-wrap break-words rounded border border-slate-300 bg-white p-4 font-mono text-xs">
          {email.html}
        </pre>
      </details>
    </>
  );
}
