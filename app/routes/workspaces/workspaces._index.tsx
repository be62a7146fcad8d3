import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Badge, Button, PageHeader, StatusButton, Table, buttonClassName } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formatDate } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import { ROLE_LABELS } from "~/modules/workspaces/rules";
import { InvitationAnswerSchema } from "~/modules/workspaces/schema";
import { answerInvitation } from "~/modules/workspaces/members.server";
import { listMyWorkspaces } from "~/modules/workspaces/workspaces.server";
import { readFormData } from "~/lib/request.server";

export const meta: MetaFunction = () => [{ title: "Workspaces | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    ...(await listMyWorkspaces(user)),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(await readFormData(request), InvitationAnswerSchema);
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const result = await answerInvitation(user, parsed.data.invitationId, parsed.data.answer);
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  return parsed.data.answer === "accept"
    ? redirectWithFlash(`/workspaces/${result.workspaceId}`, {
        tone: "success",
        message: "You have joined the workspace.",
      })
    : redirectWithFlash("/workspaces", { tone: "success", message: "Invitation declined." });
}

export default function Workspaces() {
  const { workspaces, invitations, where } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  return (
    <div className="max-w-5xl">
      <PageHeader
        title="Workspaces"
        description="Shared research spaces: plans, findings, files, discussion and tasks. You see only the workspaces you are a member of."
        actions={
          <>
            <Link to="/workspaces/new" className={buttonClassName({})}>
              New workspace
            </Link>
            <Link to="/tasks" className={buttonClassName({ variant: "secondary" })}>
              My tasks
            </Link>
          </>
        }
      />
      <FormErrors errors={actionData?.errors?.[""] ?? actionData?.errors?.invitationId} />
      {invitations.length ? (
        <section aria-labelledby="invitations-heading" className="mb-8">
          <h2 id="invitations-heading" className="mb-2 text-xl font-semibold">
            Invitations for you
          </h2>
          <ul className="space-y-3">
            {invitations.map((i) => (
              <li key={i.id} className="rounded border border-gray-300 p-3">
                <p>
                  <strong>{i.workspaceName}</strong> as {ROLE_LABELS[i.role].toLowerCase()}{" "}
                  <Badge>{i.label}</Badge> <Badge>{i.marking}</Badge>
                </p>
                <Form method="post" className="mt-2 flex gap-2">
                  <input type="hidden" name="invitationId" value={i.id} />
                  <StatusButton
                    type="submit"
                    name="answer"
                    value="accept"
                    pending={pending}
                    aria-label={`Accept the invitation to ${i.workspaceName}`}
                  >
                    Accept
                  </StatusButton>
                  <Button
                    type="submit"
                    name="answer"
                    value="decline"
                    variant="secondary"
                    aria-label={`Decline the invitation to ${i.workspaceName}`}
                  >
                    Decline
                  </Button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="mine-heading">
        <h2 id="mine-heading" className="mb-2 text-xl font-semibold">
          My workspaces
        </h2>
        {workspaces.length ? (
          <Table caption="My workspaces" captionHidden>
            <thead>
              <tr>
                <th scope="col">Workspace</th>
                <th scope="col">Label</th>
                <th scope="col">Marking</th>
                <th scope="col">My role</th>
                <th scope="col">Members</th>
                <th scope="col">Open tasks</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {workspaces.map((w) => (
                <tr key={w.id}>
                  <th scope="row">
                    <Link to={`/workspaces/${w.id}`} className="text-brand-700 underline">
                      {w.name}
                    </Link>
                  </th>
                  <td>{w.label}</td>
                  <td>{w.marking}</td>
                  <td>{ROLE_LABELS[w.role]}</td>
                  <td>{w.memberCount}</td>
                  <td>{w.openTasks}</td>
                  <td>{formatDate(w.updatedAt, where)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <p>
            You are not a member of any workspace yet. Create one, or ask an owner to invite you.
          </p>
        )}
      </section>
    </div>
  );
}
