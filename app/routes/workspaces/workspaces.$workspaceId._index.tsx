import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, PageHeader } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { formatDate, formatDateTime } from "~/lib/format";
import { ActivityList } from "~/modules/workspaces/components/content-views";
import { ROLE_LABELS, TASK_STATUS_LABELS } from "~/modules/workspaces/rules";
import { getWorkspaceFrame, getWorkspaceHome } from "~/modules/workspaces/workspaces.server";
import { idParam } from "~/lib/request.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.frame.name ?? "Workspace"} | Exchange portal` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "workspaceId");
  return {
    frame: await getWorkspaceFrame(user, id),
    home: await getWorkspaceHome(user, id),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

export default function WorkspaceHome() {
  const { frame, home, where } = useLoaderData<typeof loader>();
  const base = `/workspaces/${frame.id}`;
  return (
    <>
      <PageHeader title={frame.name} description={home.purpose} />
      <div className="grid gap-8 md:grid-cols-2">
        <section aria-labelledby="tasks-heading">
          <h2 id="tasks-heading" className="mb-2 text-xl font-semibold">
            Open tasks
          </h2>
          {home.tasks.length ? (
            <ul className="space-y-2">
              {home.tasks.map((t) => (
                <li key={t.id}>
                  <span className="font-semibold">{t.title}</span>{" "}
                  <Badge>{TASK_STATUS_LABELS[t.status]}</Badge>
                  <br />
                  <span className="text-sm text-gray-700">
                    {t.assignee ? t.assignee.displayName : "Unassigned"}
                    {t.dueOn ? ` · due ${formatDate(t.dueOn, { ...where, timeZone: "UTC" })}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p>No open tasks.</p>
          )}
          <p className="mt-2">
            <Link to={`${base}/tasks`} className="text-brand-700 underline">
              All tasks
            </Link>
          </p>
        </section>
        <section aria-labelledby="members-heading">
          <h2 id="members-heading" className="mb-2 text-xl font-semibold">
            Members
          </h2>
          <ul className="space-y-1">
            {home.members.map((m) => (
              <li key={m.user.id}>
                {m.user.displayName} ({m.user.institute.code}) · {ROLE_LABELS[m.role]}
                {m.viaPlacementId ? " · through a placement" : ""}
              </li>
            ))}
          </ul>
          <p className="mt-2">
            <Link to={`${base}/members`} className="text-brand-700 underline">
              Manage members
            </Link>
          </p>
        </section>
        <section aria-labelledby="activity-heading">
          <h2 id="activity-heading" className="mb-2 text-xl font-semibold">
            Recent activity
          </h2>
          <ActivityList items={home.activity} base={base} where={where} />
          <p className="mt-2">
            <Link to={`${base}/activity`} className="text-brand-700 underline">
              All activity
            </Link>
          </p>
        </section>
        <section aria-labelledby="registrations-heading">
          <h2 id="registrations-heading" className="mb-2 text-xl font-semibold">
            Registered findings
          </h2>
          {home.registrations.length ? (
            <ul className="space-y-2">
              {home.registrations.map((r) => (
                <li key={r.id}>
                  <Link to={`${base}/registrations/${r.id}`} className="text-brand-700 underline">
                    {r.title}
                  </Link>
                  <br />
                  <span className="text-sm text-gray-700">
                    {formatDateTime(r.registeredAt, where)} · SHA-256{" "}
                    <code className="break-all">{r.contentHash}</code>
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p>Nothing registered yet.</p>
          )}
          {home.registrationCount > home.registrations.length ? (
            <p className="mt-2">
              <Link to={`${base}/registrations`} className="text-brand-700 underline">
                All {home.registrationCount} registrations
              </Link>
            </p>
          ) : null}
        </section>
      </div>
    </>
  );
}
