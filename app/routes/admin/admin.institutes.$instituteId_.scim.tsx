import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { Alert, Button, PageHeader, TextareaField } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { getEnv } from "~/lib/env.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms";
import { idParam, readFormData, requestInfo } from "~/lib/request.server";
import { EmailDomainsSchema } from "~/modules/scim/schema";
import { scimSettings, setEmailDomains } from "~/modules/scim/settings.server";
import { revokeScimToken, rotateScimToken } from "~/modules/scim/tokens.server";

// An institute's SCIM provisioning: the endpoint, its bearer token (shown once, when made) and
// the email domains provisioned addresses must be in.

export const meta: MetaFunction = () => [{ title: "Provisioning (SCIM) | Exchange portal" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  return {
    institute: await scimSettings(actor, idParam(params, "instituteId")),
    baseUrl: `${new URL(getEnv().APP_URL).origin}/scim/v2`,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  const instituteId = idParam(params, "instituteId");
  const formData = await readFormData(request);
  const info = requestInfo(request, context);
  const intent = formData.get("intent");
  if (intent === "rotate") {
    // The token travels in this one answer and is never stored: reloading the page loses it.
    return { token: await rotateScimToken(actor, instituteId, info), errors: null };
  }
  if (intent === "revoke") {
    await revokeScimToken(actor, instituteId, info);
    return redirectWithFlash(`/admin/institutes/${instituteId}/scim`, {
      tone: "success",
      message: "The SCIM token is revoked: the identity provider can no longer provision.",
    });
  }
  if (intent === "domains") {
    const parsed = parseForm(formData, EmailDomainsSchema);
    if (!parsed.success) return data({ token: null, errors: parsed.errors }, { status: 400 });
    await setEmailDomains(actor, instituteId, parsed.data.emailDomains, info);
    return redirectWithFlash(`/admin/institutes/${instituteId}/scim`, {
      tone: "success",
      message: "Email domains saved.",
    });
  }
  return data({ token: null, errors: { "": ["Choose an action."] } }, { status: 400 });
}

export default function InstituteScim() {
  const { institute, baseUrl } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors as Record<string, string[]> | null | undefined;
  const token = actionData?.token;
  return (
    <div className="max-w-2xl space-y-8">
      <PageHeader
        title={`${institute.code}: provisioning (SCIM)`}
        description="Let the institute's identity provider create, update and deactivate its people."
      />
      <p>
        <Link to={`/admin/institutes/${institute.id}`} className="text-brand-700 underline">
          Back to {institute.name}
        </Link>
      </p>
      <FormErrors errors={errors?.[""]} />
      <section aria-labelledby="endpoint" className="space-y-2">
        <h2 id="endpoint" className="text-xl font-semibold">
          Endpoint
        </h2>
        <p>
          Tenant URL: <code className="break-all">{baseUrl}</code>
        </p>
      </section>
      <section aria-labelledby="token" className="space-y-3">
        <h2 id="token" className="text-xl font-semibold">
          Bearer token
        </h2>
        {token ? (
          <Alert tone="success" title="Copy this token now: it is shown only once.">
            <p className="mt-2">
              <code className="break-all" data-testid="scim-token">
                {token}
              </code>
            </p>
            <p className="mt-2">Any token made before it has stopped working.</p>
          </Alert>
        ) : null}
        <p>
          {institute.scimToken
            ? `A token exists, made ${new Date(institute.scimToken.createdAt).toUTCString()}. Making a new one stops the old one at once.`
            : "No token yet: the identity provider cannot provision."}
        </p>
        <Form method="post" className="flex flex-wrap gap-3">
          <Button type="submit" name="intent" value="rotate">
            {institute.scimToken ? "Make a new token" : "Make a token"}
          </Button>
          {institute.scimToken ? (
            <Button type="submit" name="intent" value="revoke" variant="danger">
              Revoke the token
            </Button>
          ) : null}
        </Form>
      </section>
      <section aria-labelledby="domains" className="space-y-3">
        <h2 id="domains" className="text-xl font-semibold">
          Email domains
        </h2>
        <Form method="post" className="space-y-3">
          <TextareaField
            label="Domains provisioned addresses must be in"
            hint="One per line, like example.gov. Leave empty to accept any address."
            textareaProps={{
              name: "emailDomains",
              rows: 3,
              defaultValue: institute.emailDomains.join("\n"),
            }}
            errors={errors?.emailDomains}
          />
          <Button type="submit" name="intent" value="domains" variant="secondary">
            Save domains
          </Button>
        </Form>
      </section>
    </div>
  );
}
