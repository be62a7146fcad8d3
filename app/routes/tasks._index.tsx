import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PageHeader, Table } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { formatDate } from "~/lib/format";
import { listMyTasks } from "~/modules/workspaces/tasks.server";
import { MARKING_LABELS, TASK_STATUS_LABELS } from "~/modules/workspaces/rules";

export const meta: MetaFunction = () => [{ title: "My tasks | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    tasks: await listMyTasks(user),
    where: { locale: user.institute.locale, timeZone: "UTC" },
  };
}

export default function MyTasks() {
  const { tasks, where } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-5xl">
      <PageHeader
        title="My tasks"
        description="Tasks assigned to you and not yet done, in every workspace you belong to."
      />
      {tasks.length ? (
        <Table caption="My tasks" captionHidden>
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Workspace</th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.title}</th>
                <td>
                  <Link
                    to={`/workspaces/${t.workspace.id}/tasks`}
                    className="text-brand-700 underline"
                  >
                    {t.workspace.name}
                  </Link>{" "}
                  <span className="text-sm">({MARKING_LABELS[t.workspace.marking]})</span>
                </td>
                <td>{t.dueOn ? formatDate(t.dueOn, where) : "None"}</td>
                <td>{TASK_STATUS_LABELS[t.status]}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p>No open tasks are assigned to you.</p>
      )}
    </div>
  );
}
