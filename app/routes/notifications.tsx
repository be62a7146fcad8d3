import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { Badge, Button, PageHeader, Pagination } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formatDateTime } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import { isNotificationKind, NOTIFICATION_KINDS } from "~/modules/notifications/kinds";
import {
  listNotifications,
  markAllRead,
  markRead,
} from "~/modules/notifications/notifications.server";
import { NotificationActionSchema } from "~/modules/notifications/schema";
import { readFormData } from "~/lib/request.server";

export const meta: MetaFunction = () => [{ title: "Notifications | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = Number(new URL(request.url).searchParams.get("page") ?? "1");
  return {
    ...(await listNotifications(user, Number.isSafeInteger(page) && page > 0 ? page : 1)),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(await readFormData(request), NotificationActionSchema);
  if (!parsed.success) return data({ errors: ["Choose a notification."] }, { status: 400 });
  if (parsed.data.intent === "read") {
    await markRead(user, parsed.data.notificationId);
    return redirectWithFlash(request.url, { tone: "success", message: "Marked as read." });
  }
  const count = await markAllRead(user);
  return redirectWithFlash("/notifications", {
    tone: "success",
    message: count ? `${count} marked as read.` : "Nothing was unread.",
  });
}

export default function Notifications() {
  const { items, unread, page, pageCount, where } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="max-w-4xl">
      <PageHeader
        title="Notifications"
        description={`${unread} unread. Everything the portal emails you is also here.`}
        actions={
          <>
            {unread ? (
              <Form method="post">
                <input type="hidden" name="intent" value="read-all" />
                <Button type="submit" variant="secondary">
                  Mark all as read
                </Button>
              </Form>
            ) : null}
            <Link to="/account/notifications" className="self-center text-brand-700 underline">
              Choose what is emailed
            </Link>
          </>
        }
      />
      <FormErrors errors={actionData?.errors} />
      {items.length ? (
        <ol className="space-y-3">
          {items.map((n) => (
            <li
              key={n.id}
              className={`rounded border p-3 ${n.readAt ? "border-gray-300 bg-white" : "border-brand-700 bg-brand-50"}`}
            >
              <p className="flex flex-wrap items-center gap-2">
                {n.readAt ? null : <Badge tone="info">Unread</Badge>}
                {n.link ? (
                  <Link to={n.link} className="font-semibold text-brand-700 underline">
                    {n.title}
                  </Link>
                ) : (
                  <span className="font-semibold">{n.title}</span>
                )}
              </p>
              <p className="mt-1 flex flex-wrap items-center gap-3 text-sm text-gray-700">
                <span>
                  {isNotificationKind(n.kind) ? NOTIFICATION_KINDS[n.kind].label : n.kind} ·{" "}
                  {formatDateTime(n.createdAt, where)}
                </span>
                {n.readAt ? null : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="read" />
                    <input type="hidden" name="notificationId" value={n.id} />
                    <Button type="submit" variant="link" size="sm">
                      Mark as read<span className="sr-only">: {n.title}</span>
                    </Button>
                  </Form>
                )}
              </p>
            </li>
          ))}
        </ol>
      ) : (
        <p>No notifications yet.</p>
      )}
      <Pagination page={page} pageCount={pageCount} makeHref={(n) => `?page=${n}`} />
    </div>
  );
}
