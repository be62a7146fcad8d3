import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors } from "~/components/forms";
import { Alert, PageHeader } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/format";
import { MarkdownView } from "~/modules/workspaces/components/content-views";
import { getRegistration } from "~/modules/workspaces/registrations.server";
import { assertNotForgedAction, idParam } from "~/lib/request.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Registration: ${data?.registration.title ?? ""} | Exchange portal` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    registration: await getRegistration(
      user,
      idParam(params, "workspaceId"),
      idParam(params, "registrationId"),
    ),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

/** Nothing can be posted to a registration: members are told why, anyone else gets a 404. */
export async function action({ request, params }: ActionFunctionArgs) {
  await assertNotForgedAction(request);
  const user = await requireUser(request);
  await getRegistration(user, idParam(params, "workspaceId"), idParam(params, "registrationId"));
  return data(
    { errors: ["A registered snapshot cannot be changed or deleted. Register a new one instead."] },
    { status: 405, headers: { Allow: "GET" } },
  );
}

export default function Registration() {
  const { registration: r, where } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <PageHeader
        title={`Registration: ${r.title}`}
        description={`Registered ${formatDateTime(r.registeredAt, where)} by ${r.registeredByName}. Frozen: it cannot be edited or deleted.`}
      />
      <FormErrors errors={actionData?.errors} />
      <dl className="mb-6 grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold">SHA-256</dt>
        <dd>
          <code className="break-all">{r.contentHash}</code>
        </dd>
        <dt className="font-semibold">Check</dt>
        <dd>
          {r.intact
            ? "The content below matches this hash."
            : "The content below does NOT match this hash."}
        </dd>
      </dl>
      {r.intact ? null : (
        <Alert tone="error" title="Integrity check failed">
          This registration&apos;s content does not match its hash. Report it to an administrator.
        </Alert>
      )}
      {r.pages.map((p) => (
        <article
          key={p.pageId}
          aria-labelledby={`snapshot-${p.pageId}`}
          className="mb-8 rounded border border-gray-300 p-4"
        >
          <h2 id={`snapshot-${p.pageId}`} className="mb-3 text-xl font-semibold">
            {p.title} <span className="text-base font-normal">(version {p.version})</span>
          </h2>
          <MarkdownView html={p.html} />
        </article>
      ))}
    </>
  );
}
