import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors, useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Button, Field, PageHeader, SelectField, StatusButton, Table } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import type { FieldErrors } from "~/lib/forms";
import { runIntent, withParsedForm } from "~/lib/intents.server";
import { refusalInit } from "~/lib/service";
import { WorkspaceFields } from "~/modules/workspaces/components/workspace-fields";
import { ROLE_LABELS, ROLES } from "~/modules/workspaces/rules";
import {
  InviteSchema,
  MemberRoleSchema,
  MemberSchema,
  WorkspaceSettingsSchema,
} from "~/modules/workspaces/schema";
import {
  cancelInvitation,
  getMembersPage,
  inviteMember,
  removeMember,
  setMemberRole,
} from "~/modules/workspaces/members.server";
import {
  getWorkspaceFrame,
  labelChoices,
  updateWorkspaceSettings,
} from "~/modules/workspaces/workspaces.server";
import { formId, idParam, readFormData } from "~/lib/request.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Members: ${data?.frame.name ?? "Workspace"} | Exchange portal` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "workspaceId");
  const frame = await getWorkspaceFrame(user, id);
  return {
    frame,
    me: user.id,
    view: await getMembersPage(user, id),
    labels: frame.role === "OWNER" ? await labelChoices(user) : [],
  };
}

const MESSAGES: Record<string, string> = {
  invite: "Invitation sent.",
  role: "Role changed.",
  remove: "Member removed.",
  leave: "You have left the workspace.",
  "cancel-invitation": "Invitation withdrawn.",
  settings: "Settings saved.",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "workspaceId");
  const formData = await readFormData(request);
  const intent = String(formData.get("intent") ?? "");
  const subject = String(formData.get("userId") ?? formData.get("invitationId") ?? "");
  const result = await runIntent(intent, {
    invite: () => withParsedForm(formData, InviteSchema, (i) => inviteMember(user, id, i)),
    role: () =>
      withParsedForm(formData, MemberRoleSchema, (i) => setMemberRole(user, id, i.userId, i.role)),
    remove: () => withParsedForm(formData, MemberSchema, (i) => removeMember(user, id, i.userId)),
    leave: () => removeMember(user, id, user.id),
    "cancel-invitation": () => cancelInvitation(user, id, formId(formData, "invitationId")),
    settings: () =>
      withParsedForm(formData, WorkspaceSettingsSchema, (i) =>
        updateWorkspaceSettings(user, id, i),
      ),
  });
  if (!result.ok) return data({ intent, subject, errors: result.errors }, refusalInit(result));
  const to = intent === "leave" ? "/workspaces" : `/workspaces/${id}/members`;
  return redirectWithFlash(to, { tone: "success", message: MESSAGES[intent]! });
}

export default function Members() {
  const { frame, me, view, labels } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  const owner = view.role === "OWNER";
  const errorsFor = (intent: string, subject?: string) =>
    actionData?.intent === intent && (!subject || actionData.subject === subject)
      ? (actionData.errors as FieldErrors)
      : undefined;
  const settingsForm = useZodForm(WorkspaceSettingsSchema, {
    serverErrors: errorsFor("settings"),
    defaultValues: { ...view.settings, version: view.settings.version } as never,
  });
  return (
    <>
      <PageHeader title="Members" description={`Who is in ${frame.name}, and what they may do.`} />
      <FormErrors
        errors={
          errorsFor("role")?.[""] ??
          errorsFor("remove")?.[""] ??
          errorsFor("leave")?.[""] ??
          errorsFor("cancel-invitation")?.[""]
        }
      />
      <Table caption="Members" captionHidden>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Institute</th>
            <th scope="col">Role</th>
            {owner ? <th scope="col">Change</th> : null}
          </tr>
        </thead>
        <tbody>
          {view.members.map((m) => (
            <tr key={m.user.id}>
              <th scope="row">
                {m.user.displayName}
                {m.user.id === me ? " (you)" : ""}
                {m.viaPlacementId ? (
                  <span className="block text-sm font-normal text-gray-700">
                    Through a placement, until it ends
                  </span>
                ) : null}
              </th>
              <td>{m.user.institute.code}</td>
              <td>{ROLE_LABELS[m.role]}</td>
              {owner ? (
                <td>
                  <div className="flex flex-wrap items-end gap-2">
                    <Form method="post" className="flex items-end gap-2">
                      <input type="hidden" name="intent" value="role" />
                      <input type="hidden" name="userId" value={m.user.id} />
                      <SelectField
                        label={<span className="sr-only">Role of {m.user.displayName}</span>}
                        selectProps={{ name: "role", defaultValue: m.role }}
                        options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
                      />
                      <Button type="submit" variant="secondary" size="sm">
                        Set role<span className="sr-only"> of {m.user.displayName}</span>
                      </Button>
                    </Form>
                    {m.user.id !== me ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="userId" value={m.user.id} />
                        <Button type="submit" variant="danger" size="sm">
                          Remove<span className="sr-only"> {m.user.displayName}</span>
                        </Button>
                      </Form>
                    ) : null}
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
      <Form method="post" className="mt-3">
        <input type="hidden" name="intent" value="leave" />
        <Button type="submit" variant="secondary">
          Leave this workspace
        </Button>
      </Form>

      {owner ? (
        <>
          <section aria-labelledby="invite-heading" className="mt-8">
            <h2 id="invite-heading" className="mb-2 text-xl font-semibold">
              Invite someone
            </h2>
            <p className="mb-3 text-gray-700">
              They get an email and join when they accept.{" "}
              {frame.label === "JOINT"
                ? "Staff of any partner institute can be invited."
                : `Only ${frame.labelInstitute ?? "one institute's"} staff can be invited (${frame.label}).`}
            </p>
            <Form method="post" className="space-y-3">
              <input type="hidden" name="intent" value="invite" />
              <FormErrors errors={errorsFor("invite")?.[""]} />
              <Field
                label="Email address"
                inputProps={{ name: "email", type: "email", autoComplete: "off" }}
                errors={errorsFor("invite")?.email}
              />
              <SelectField
                label="Role"
                selectProps={{ name: "role", defaultValue: "EDITOR" }}
                options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
                errors={errorsFor("invite")?.role}
              />
              <StatusButton type="submit" pending={pending}>
                Send invitation
              </StatusButton>
            </Form>
            {view.invitations.length ? (
              <>
                <h3 className="mb-2 mt-6 text-lg font-semibold">Waiting for an answer</h3>
                <ul className="space-y-2">
                  {view.invitations.map((i) => (
                    <li key={i.id} className="flex flex-wrap items-center gap-3">
                      {i.invitee.displayName} ({i.invitee.email}) as{" "}
                      {ROLE_LABELS[i.role].toLowerCase()}
                      <Form method="post">
                        <input type="hidden" name="intent" value="cancel-invitation" />
                        <input type="hidden" name="invitationId" value={i.id} />
                        <Button type="submit" variant="secondary" size="sm">
                          Withdraw
                          <span className="sr-only">
                            {" "}
                            the invitation of {i.invitee.displayName}
                          </span>
                        </Button>
                      </Form>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
          <section aria-labelledby="settings-heading" className="mt-8 max-w-2xl">
            <h2 id="settings-heading" className="mb-2 text-xl font-semibold">
              Settings
            </h2>
            <Form method="post" noValidate onSubmit={settingsForm.onSubmit} className="space-y-5">
              <input type="hidden" name="intent" value="settings" />
              <input type="hidden" {...settingsForm.register("version")} />
              <FormErrors errors={settingsForm.formErrors} />
              <WorkspaceFields form={settingsForm} labels={labels} />
              <StatusButton type="submit" pending={pending}>
                Save settings
              </StatusButton>
            </Form>
          </section>
        </>
      ) : null}
    </>
  );
}
