import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Button, Field, PageHeader, SelectField, StatusButton, Table } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formatDate } from "~/lib/format";
import type { FieldErrors } from "~/lib/forms";
import { runIntent, withParsedForm } from "~/lib/intents.server";
import { refusalInit } from "~/lib/service";
import { createTask, listTasks, moveTask } from "~/modules/workspaces/tasks.server";
import { roleMay, TASK_STATUS_LABELS, TASK_STATUSES } from "~/modules/workspaces/rules";
import { TaskSchema, TaskStatusSchema } from "~/modules/workspaces/schema";
import { idParam, readFormData } from "~/lib/request.server";

export const meta: MetaFunction = () => [{ title: "Tasks | Exchange portal" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    ...(await listTasks(user, idParam(params, "workspaceId"))),
    me: user.id,
    where: { locale: user.institute.locale, timeZone: "UTC" },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "workspaceId");
  const formData = await readFormData(request);
  const intent = String(formData.get("intent") ?? "");
  const taskId = String(formData.get("taskId") ?? "");
  const result = await runIntent(intent, {
    create: () => withParsedForm(formData, TaskSchema, (i) => createTask(user, id, i)),
    move: () => withParsedForm(formData, TaskStatusSchema, (i) => moveTask(user, id, i)),
  });
  if (!result.ok) return data({ intent, taskId, errors: result.errors }, refusalInit(result));
  return redirectWithFlash(`/workspaces/${id}/tasks`, {
    tone: "success",
    message: intent === "create" ? "Task added." : "Task updated.",
  });
}

export default function Tasks() {
  const { tasks, members, role, me, where } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  const errors = (intent: string) =>
    actionData?.intent === intent ? (actionData.errors as FieldErrors) : undefined;
  return (
    <>
      <PageHeader title="Tasks" />
      <FormErrors errors={errors("move")?.[""]} />
      {tasks.length ? (
        <Table caption="Tasks" captionHidden>
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Assignee</th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.title}</th>
                <td>{t.assignee?.displayName ?? "Unassigned"}</td>
                <td>{t.dueOn ? formatDate(t.dueOn, where) : "None"}</td>
                <td>
                  {roleMay(role, "edit") || t.assigneeId === me ? (
                    <Form method="post" className="flex items-end gap-2">
                      <input type="hidden" name="intent" value="move" />
                      <input type="hidden" name="taskId" value={t.id} />
                      <input type="hidden" name="version" value={t.version} />
                      <SelectField
                        label={<span className="sr-only">Status of {t.title}</span>}
                        selectProps={{ name: "status", defaultValue: t.status }}
                        options={TASK_STATUSES.map((s) => ({
                          value: s,
                          label: TASK_STATUS_LABELS[s],
                        }))}
                      />
                      <Button type="submit" variant="secondary" size="sm">
                        Set<span className="sr-only"> the status of {t.title}</span>
                      </Button>
                    </Form>
                  ) : (
                    TASK_STATUS_LABELS[t.status]
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p>No tasks yet.</p>
      )}
      {roleMay(role, "edit") ? (
        <section aria-labelledby="new-task-heading" className="mt-8 max-w-2xl">
          <h2 id="new-task-heading" className="mb-2 text-xl font-semibold">
            New task
          </h2>
          <Form method="post" className="space-y-3">
            <input type="hidden" name="intent" value="create" />
            <FormErrors errors={errors("create")?.[""]} />
            <Field label="Task" inputProps={{ name: "title" }} errors={errors("create")?.title} />
            <SelectField
              label="Assignee"
              placeholder="Unassigned"
              selectProps={{ name: "assigneeId" }}
              options={members.map((m) => ({ value: m.id, label: m.displayName }))}
              errors={errors("create")?.assigneeId}
            />
            <Field
              label="Due date"
              inputProps={{ name: "dueOn", type: "date" }}
              errors={errors("create")?.dueOn}
            />
            <StatusButton type="submit" pending={pending}>
              Add task
            </StatusButton>
          </Form>
        </section>
      ) : null}
    </>
  );
}
