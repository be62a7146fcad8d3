import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { CheckboxGroup, Field, PageHeader, StatusButton } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formatDateTime } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import { getRegistrations, registerFindings } from "~/modules/workspaces/registrations.server";
import { roleMay } from "~/modules/workspaces/rules";
import { RegistrationSchema } from "~/modules/workspaces/schema";
import { idParam, readFormData } from "~/lib/request.server";
import { refusalInit } from "~/lib/service";

export const meta: MetaFunction = () => [{ title: "Registered findings | Exchange portal" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    ...(await getRegistrations(user, idParam(params, "workspaceId"))),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "workspaceId");
  const parsed = parseForm(await readFormData(request), RegistrationSchema, {
    arrays: ["pageIds"],
  });
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const result = await registerFindings(user, id, parsed.data);
  if (!result.ok) return data({ errors: result.errors }, refusalInit(result));
  return redirectWithFlash(`/workspaces/${id}/registrations/${result.registrationId}`, {
    tone: "success",
    message: "Findings registered. This snapshot can no longer be changed.",
  });
}

export default function Registrations() {
  const { pages, registrations, role, where } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  return (
    <>
      <PageHeader
        title="Registered findings"
        description="A registration freezes chosen pages as they are, with the time and a SHA-256 hash of the content. Nobody can change or delete it afterwards."
      />
      {registrations.length ? (
        <ul className="space-y-3">
          {registrations.map((r) => (
            <li key={r.id}>
              <Link to={r.id} className="font-semibold text-brand-700 underline">
                {r.title}
              </Link>
              <br />
              <span className="text-sm text-gray-700">
                Registered {formatDateTime(r.registeredAt, where)} · SHA-256{" "}
                <code className="break-all">{r.contentHash}</code>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>Nothing registered yet.</p>
      )}
      {roleMay(role, "manage") ? (
        <section aria-labelledby="register-heading" className="mt-8 max-w-2xl">
          <h2 id="register-heading" className="mb-2 text-xl font-semibold">
            Register findings
          </h2>
          {pages.length ? (
            <Form method="post" className="space-y-4">
              <FormErrors errors={actionData?.errors?.[""]} />
              <Field
                label="Title"
                inputProps={{ name: "title" }}
                errors={actionData?.errors?.title}
              />
              <CheckboxGroup
                legend="Pages to register"
                name="pageIds"
                options={pages.map((p) => ({
                  value: p.id,
                  label: `${p.title} (version ${p.version})`,
                }))}
                errors={actionData?.errors?.pageIds}
              />
              <StatusButton type="submit" pending={pending}>
                Register these pages
              </StatusButton>
            </Form>
          ) : (
            <p>Add pages first.</p>
          )}
        </section>
      ) : null}
    </>
  );
}
