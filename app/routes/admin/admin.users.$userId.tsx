import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors, useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Badge, Button, Field, PageHeader, StatusButton, TextareaField } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms";
import { idParam, readFormData, requestInfo } from "~/lib/request.server";
import { endUserSessions, resetSecondFactor } from "~/modules/accounts/recovery.server";
import { getUserForAdmin, setUserActive, updateUser } from "~/modules/accounts/users.server";
import { ManagerAndRolesFields } from "~/modules/accounts/components/user-fields";
import { EditUserSchema, ResetMfaSchema } from "~/modules/accounts/schema";
import { ERASED_NAME } from "~/modules/privacy/erasure";
import { eraseUser } from "~/modules/privacy/privacy.server";

export const meta: MetaFunction = () => [{ title: "User | Exchange portal" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  return getUserForAdmin(actor, idParam(params, "userId"));
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  const userId = idParam(params, "userId");
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const info = requestInfo(request, context);
  if (intent === "deactivate" || intent === "reactivate") {
    const result = await setUserActive(actor, userId, intent === "reactivate", info);
    if (!result.ok) return data({ errors: result.errors }, { status: 400 });
    return redirectWithFlash(`/admin/users/${userId}`, {
      tone: "success",
      message:
        intent === "deactivate"
          ? "The account is deactivated and all its sessions have ended."
          : "The account is active again.",
    });
  }
  if (intent === "end-sessions") {
    const result = await endUserSessions(actor, userId, info);
    if (!result.ok) return data({ errors: result.errors }, { status: 400 });
    return redirectWithFlash(`/admin/users/${userId}`, {
      tone: "success",
      message: `${result.ended} session${result.ended === 1 ? "" : "s"} ended. The account stays active.`,
    });
  }
  if (intent === "reset-mfa") {
    const parsed = parseForm(formData, ResetMfaSchema);
    if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
    const result = await resetSecondFactor(actor, userId, parsed.data, info);
    if (!result.ok) return data({ errors: result.errors }, { status: 400 });
    return redirectWithFlash(`/admin/users/${userId}`, {
      tone: "success",
      message: "Two-step verification is reset, their sessions have ended and they have been told.",
    });
  }
  if (intent === "erase") {
    const result = await eraseUser(actor, userId, String(formData.get("confirmEmail") ?? ""));
    if (!result.ok) return data({ errors: result.errors }, { status: 400 });
    return redirectWithFlash(`/admin/users/${userId}`, {
      tone: "success",
      message: `Personal data erased. ${result.auditEventsErased} audit events were blanked.`,
    });
  }
  const parsed = parseForm(formData, EditUserSchema, { arrays: ["roles"] });
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const result = await updateUser(actor, userId, parsed.data, info);
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  return redirectWithFlash(`/admin/users/${userId}`, {
    tone: "success",
    message: "Changes saved.",
  });
}

export default function EditUser() {
  const { user, managers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, onSubmit, errorsFor, formErrors } = useZodForm(EditUserSchema, {
    serverErrors: actionData?.errors,
    defaultValues: {
      displayName: user.displayName,
      jobTitle: user.jobTitle,
      team: user.team,
      lineManagerId: user.lineManagerId ?? "",
      roles: user.roles,
    },
  });
  const pending = useIsPending();
  return (
    <div className="max-w-2xl">
      <PageHeader title={user.displayName} description={`${user.email} · ${user.institute.name}`} />
      <p className="mb-6 flex flex-wrap gap-2">
        {user.deactivatedAt ? (
          <Badge tone="danger">Deactivated</Badge>
        ) : (
          <Badge tone="success">Active</Badge>
        )}
        {user.mfaEnabled ? (
          <Badge tone="success">Two-step verification on</Badge>
        ) : (
          <Badge tone="warning">Two-step verification off</Badge>
        )}
        <Badge>{user._count.sessions} active sessions</Badge>
      </p>
      <FormErrors errors={formErrors} />
      <Form method="post" noValidate onSubmit={onSubmit} className="space-y-4">
        <Field
          label="Full name"
          inputProps={{ ...register("displayName") }}
          errors={errorsFor("displayName")}
        />
        <Field
          label="Job title"
          inputProps={{ ...register("jobTitle") }}
          errors={errorsFor("jobTitle")}
        />
        <Field label="Team" inputProps={{ ...register("team") }} errors={errorsFor("team")} />
        <ManagerAndRolesFields
          managers={managers}
          managerProps={register("lineManagerId")}
          rolesProps={register("roles")}
          defaultRoles={user.roles}
          errorsFor={errorsFor}
        />
        <StatusButton type="submit" name="intent" value="save" pending={pending}>
          Save changes
        </StatusButton>
      </Form>
      <section aria-labelledby="access" className="mt-10 border-t border-slate-200 pt-6">
        <h2 id="access" className="mb-2 text-xl font-semibold">
          Access
        </h2>
        <Form method="post">
          {user.deactivatedAt ? (
            <Button type="submit" name="intent" value="reactivate" variant="secondary">
              Reactivate account
            </Button>
          ) : (
            <>
              <p className="mb-3 text-slate-700">
                Deactivating ends all of this person&apos;s sessions at once and stops them signing
                in.
              </p>
              <Button type="submit" name="intent" value="deactivate" variant="danger">
                Deactivate account
              </Button>
            </>
          )}
        </Form>
      </section>
      <section aria-labelledby="sessions" className="mt-10 border-t border-slate-200 pt-6">
        <h2 id="sessions" className="mb-2 text-xl font-semibold">
          Sessions
        </h2>
        <p className="mb-3 text-slate-700">
          Ends every session of this person (a lost or stolen device) without deactivating them:
          they can sign in again straight away.
        </p>
        <Form method="post">
          <Button type="submit" name="intent" value="end-sessions" variant="secondary">
            End all sessions
          </Button>
        </Form>
      </section>
      {user.hasSecondFactor ? (
        <section aria-labelledby="reset-mfa" className="mt-10 border-t border-slate-200 pt-6">
          <h2 id="reset-mfa" className="mb-2 text-xl font-semibold">
            Reset two-step verification
          </h2>
          <p className="mb-3 text-slate-700">
            For someone who has lost their authenticator, passkeys and recovery codes. Check who
            they are first by another channel (a video call, their line manager). This removes their
            authenticator, recovery codes and passkeys, ends their sessions and emails them.
          </p>
          <Form method="post" className="space-y-3">
            <TextareaField
              label="How you checked who they are"
              textareaProps={{ name: "reason", rows: 3, maxLength: 500 }}
              errors={(actionData?.errors as Record<string, string[]> | undefined)?.reason}
            />
            <Button type="submit" name="intent" value="reset-mfa" variant="danger">
              Reset two-step verification
            </Button>
          </Form>
        </section>
      ) : null}
      {user.deactivatedAt && user.displayName !== ERASED_NAME ? (
        <section aria-labelledby="erase" className="mt-10 border-t border-slate-200 pt-6">
          <h2 id="erase" className="mb-2 text-xl font-semibold">
            Erase personal data
          </h2>
          <p className="mb-3 text-slate-700">
            For someone who has left: removes their profile, statements, documents and sign-in
            details, and blanks their name and address everywhere. Applications, placements and the
            audit log keep their records, by &ldquo;{ERASED_NAME}&rdquo;. This cannot be undone.
          </p>
          <Form method="post" className="space-y-3">
            <Field
              label="Type their email address to confirm"
              inputProps={{ name: "confirmEmail", type: "email", autoComplete: "off" }}
              errors={(actionData?.errors as Record<string, string[]> | undefined)?.confirmEmail}
            />
            <Button type="submit" name="intent" value="erase" variant="danger">
              Erase personal data
            </Button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
