import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors, useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { CheckboxField, Field, PageHeader, StatusButton, TextareaField } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms";
import { redirectUri } from "~/lib/oidc.server";
import { idParam, readFormData, requestInfo } from "~/lib/request.server";
import { refusalInit } from "~/lib/service";
import {
  getIdentityProvider,
  saveIdentityProvider,
} from "~/modules/institutes/identity-provider.server";
import { IdentityProviderSchema } from "~/modules/institutes/schema";

export const meta: MetaFunction = () => [{ title: "Single sign-on | Exchange portal" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  const found = await getIdentityProvider(actor, idParam(params, "instituteId"));
  return { ...found, redirectUri: redirectUri() };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  const instituteId = idParam(params, "instituteId");
  const parsed = parseForm(await readFormData(request), IdentityProviderSchema);
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const result = await saveIdentityProvider(
    actor,
    instituteId,
    parsed.data,
    requestInfo(request, context),
  );
  if (!result.ok) return data({ errors: result.errors }, refusalInit(result));
  return redirectWithFlash(`/admin/institutes/${instituteId}`, {
    tone: "success",
    message: "Single sign-on settings saved.",
  });
}

export default function InstituteSso() {
  const { institute, provider, redirectUri } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, onSubmit, errorsFor, formErrors } = useZodForm(IdentityProviderSchema, {
    serverErrors: actionData?.errors,
    defaultValues: {
      issuer: provider?.issuer ?? "",
      clientId: provider?.clientId ?? "",
      // The secret is never sent back; an env: reference is a name, not a secret.
      clientSecret: provider?.clientSecretEnv ? `env:${provider.clientSecretEnv}` : "",
      emailDomains: provider?.emailDomains.join(", ") ?? "",
      mfaValues: provider?.mfaValues.join(", ") ?? "mfa",
      phishingResistantValues: provider?.phishingResistantValues.join(", ") ?? "hwk, phr",
      passwordsAllowed: provider?.passwordsAllowed ?? true,
    },
  });
  const pending = useIsPending();
  const secretHint = provider?.hasStoredSecret
    ? "A secret is stored (encrypted). Leave this empty to keep it, or enter a new one."
    : "The secret the provider issued, stored encrypted; or env: and the name of a server environment variable that holds it.";
  return (
    <div className="max-w-xl">
      <PageHeader
        title={`${institute.code}: single sign-on`}
        description={`People of ${institute.name} whose email domain is listed sign in through this OpenID provider.`}
      />
      <p className="mb-4 text-gray-800">
        Register the portal at the provider with the redirect URI <code>{redirectUri}</code>.
      </p>
      <FormErrors errors={formErrors} title="The settings were not saved" />
      <Form method="post" noValidate onSubmit={onSubmit} className="space-y-4">
        <Field
          label="Issuer URL"
          hint="As the provider's discovery document names it, like https://login.example.gov."
          inputProps={{ ...register("issuer"), type: "url", spellCheck: false }}
          errors={errorsFor("issuer")}
        />
        <Field
          label="Client id"
          inputProps={{ ...register("clientId"), spellCheck: false }}
          errors={errorsFor("clientId")}
        />
        <Field
          label="Client secret"
          hint={secretHint}
          inputProps={{ ...register("clientSecret"), type: "password", autoComplete: "off" }}
          errors={errorsFor("clientSecret")}
        />
        <TextareaField
          label="Email domains"
          hint="The domains this provider answers for, separated by commas or new lines."
          textareaProps={{ ...register("emailDomains"), rows: 3, spellCheck: false }}
          errors={errorsFor("emailDomains")}
        />
        <Field
          label="Values that count as multi-factor"
          hint="amr or acr values from the ID token, separated by commas, like mfa, otp."
          inputProps={{ ...register("mfaValues"), spellCheck: false }}
          errors={errorsFor("mfaValues")}
        />
        <Field
          label="Values that count as phishing-resistant"
          hint="amr or acr values, like hwk, phr."
          inputProps={{ ...register("phishingResistantValues"), spellCheck: false }}
          errors={errorsFor("phishingResistantValues")}
        />
        <CheckboxField
          label="People of this institute may still sign in with a portal password"
          inputProps={{ ...register("passwordsAllowed") }}
          errors={errorsFor("passwordsAllowed")}
        />
        <StatusButton type="submit" pending={pending}>
          Save
        </StatusButton>
      </Form>
      <p className="mt-6">
        <Link to={`/admin/institutes/${institute.id}`} className="text-brand-700 underline">
          Back to the institute
        </Link>
      </p>
    </div>
  );
}
