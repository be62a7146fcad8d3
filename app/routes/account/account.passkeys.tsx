import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { Alert, Button, Field, PageHeader } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import { mustResistPhishing } from "~/lib/permissions";
import { readFormData, requestInfo } from "~/lib/request.server";
import { refusalInit } from "~/lib/service";
import {
  PasskeysNeedJavaScript,
  usePasskeyCeremony,
  usePasskeysAvailable,
} from "~/modules/accounts/components/passkey-ceremony";
import { listPasskeys, removePasskey, renamePasskey } from "~/modules/accounts/passkeys.server";
import { RemovePasskeySchema, RenamePasskeySchema } from "~/modules/accounts/schema";

export const meta: MetaFunction = () => [{ title: "Passkeys | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { allowPasskeyEnrolment: true });
  const passkeys = await listPasskeys(user);
  return {
    passkeys,
    required: mustResistPhishing(user),
    where: user.institute,
    added: new URL(request.url).searchParams.has("added"),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, { allowPasskeyEnrolment: true });
  const form = await readFormData(request);
  const req = requestInfo(request, context);
  const id = String(form.get("id") ?? "");
  if (form.get("intent") === "rename") {
    const parsed = parseForm(form, RenamePasskeySchema);
    if (!parsed.success) return data({ id, errors: parsed.errors }, { status: 400 });
    await renamePasskey(user, parsed.data, req);
    return redirect("/account/passkeys");
  }
  const parsed = parseForm(form, RemovePasskeySchema);
  if (!parsed.success) return data({ id, errors: parsed.errors }, { status: 400 });
  const result = await removePasskey(user, parsed.data, req);
  if (!result.ok) return data({ id, errors: result.errors }, refusalInit(result));
  return redirect("/account/passkeys");
}

export default function Passkeys() {
  const { passkeys, required, where, added } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const available = usePasskeysAvailable();
  const ceremony = usePasskeyCeremony("/account/passkeys/register", "register");
  const [name, setName] = useState("");
  // Once a passkey is added the page stays mounted: clear the name it was given.
  useEffect(() => setName(""), [passkeys.length]);
  const errorsFor = (passkeyId: string, field: string) =>
    actionData?.id === passkeyId ? actionData.errors[field] : undefined;
  return (
    <div className="max-w-2xl">
      <PageHeader
        title="Passkeys"
        description="A passkey signs you in with your device's screen lock, fingerprint or face, without a password. It cannot be used on a fake site."
      />
      {required && passkeys.length === 0 ? (
        <div className="mb-6">
          <Alert tone="info" title="Required for your role">
            HR coordinators and administrators must add a passkey before using the portal.
          </Alert>
        </div>
      ) : null}
      {added ? (
        <div className="mb-6">
          <Alert tone="success" title="Passkey added" />
        </div>
      ) : null}
      <section aria-labelledby="your-passkeys" className="mb-8 space-y-4">
        <h2 id="your-passkeys" className="text-xl font-semibold">
          Your passkeys
        </h2>
        {passkeys.length === 0 ? <p>You have no passkeys yet.</p> : null}
        <ul className="space-y-6">
          {passkeys.map((p) => (
            <li key={p.id} className="rounded border border-gray-300 p-4">
              <h3 className="font-semibold">{p.name}</h3>
              <p className="text-sm text-gray-700">
                Added {formatDateTime(p.createdAt, where)} · Last used{" "}
                {p.lastUsedAt ? formatDateTime(p.lastUsedAt, where) : "never"}
              </p>
              <FormErrors errors={errorsFor(p.id, "")} />
              <Form method="post" className="mt-3 flex flex-wrap items-end gap-3">
                <input type="hidden" name="id" value={p.id} />
                <div className="grow">
                  <Field
                    label={`New name for ${p.name}`}
                    inputProps={{ name: "name", defaultValue: p.name, maxLength: 60 }}
                    errors={errorsFor(p.id, "name")}
                  />
                </div>
                <Button type="submit" name="intent" value="rename" variant="secondary">
                  Rename
                </Button>
              </Form>
              <Form method="post" className="mt-3">
                <input type="hidden" name="id" value={p.id} />
                <Button type="submit" name="intent" value="remove" variant="danger">
                  Remove {p.name}
                </Button>
              </Form>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="add-passkey" className="space-y-4">
        <h2 id="add-passkey" className="text-xl font-semibold">
          Add a passkey
        </h2>
        <FormErrors errors={ceremony.errors?.[""]} title="The passkey was not added" />
        <form
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            void ceremony.run({ name });
          }}
        >
          <Field
            label="Name"
            hint="So that you can tell your passkeys apart, for example “Work laptop”."
            inputProps={{
              name: "name",
              value: name,
              maxLength: 60,
              onChange: (e) => setName(e.target.value),
            }}
            errors={ceremony.errors?.name}
          />
          {available ? (
            <Button type="submit" disabled={ceremony.busy}>
              Add a passkey
            </Button>
          ) : (
            <PasskeysNeedJavaScript />
          )}
        </form>
      </section>
    </div>
  );
}
