import { db } from "~/lib/db.server";
import { environmentSecret, httpIssuerAllowed, secretContext } from "~/lib/oidc.server";
import { assertAdmin, type Actor } from "~/lib/permissions";
import { sealSecret } from "~/lib/secret-box.server";
import { notFound, refused, type RequestInfo } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { SECRET_ENV_PREFIX } from "./schema";

/** What the admin page shows: everything but the secret, of which only its kind is said. */
export async function getIdentityProvider(actor: Actor, instituteId: string) {
  assertAdmin(actor);
  const institute = await db.institute.findUnique({
    where: { id: instituteId },
    select: {
      id: true,
      code: true,
      name: true,
      identityProvider: {
        select: {
          issuer: true,
          clientId: true,
          clientSecretEnv: true,
          clientSecretSealed: true,
          emailDomains: true,
          mfaValues: true,
          phishingResistantValues: true,
          passwordsAllowed: true,
        },
      },
    },
  });
  if (!institute) throw notFound();
  const provider = institute.identityProvider;
  const { clientSecretSealed, ...shown } = provider ?? { clientSecretSealed: "" };
  return {
    institute: { id: institute.id, code: institute.code, name: institute.name },
    provider: provider
      ? {
          ...(shown as Omit<typeof provider, "clientSecretSealed">),
          hasStoredSecret: Boolean(clientSecretSealed),
        }
      : null,
  };
}

export type IdentityProviderInput = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  emailDomains: string[];
  mfaValues: string[];
  phishingResistantValues: string[];
  passwordsAllowed: boolean;
};

/** Creates or replaces the institute's provider; the audit row never holds the secret. */
export async function saveIdentityProvider(
  actor: Actor,
  instituteId: string,
  input: IdentityProviderInput,
  req: RequestInfo,
) {
  const { provider } = await getIdentityProvider(actor, instituteId);
  if (!httpIssuerAllowed(new URL(input.issuer)))
    return refused(
      "Use an https issuer URL: plain http is allowed only for this machine.",
      "issuer",
    );
  const envName = input.clientSecret.startsWith(SECRET_ENV_PREFIX)
    ? input.clientSecret.slice(SECRET_ENV_PREFIX.length)
    : "";
  if (envName && !environmentSecret(envName))
    return refused(`The environment variable ${envName} is not set on the server.`, "clientSecret");
  const keepsSecret = input.clientSecret === "";
  if (keepsSecret && !provider?.hasStoredSecret && !provider?.clientSecretEnv)
    return refused(
      "Enter the client secret, or env: and the name of a variable holding it.",
      "clientSecret",
    );
  // Home-realm discovery needs each domain to name one provider.
  const taken = await db.identityProvider.findFirst({
    where: { instituteId: { not: instituteId }, emailDomains: { hasSome: input.emailDomains } },
    select: { emailDomains: true, institute: { select: { code: true } } },
  });
  if (taken) {
    const clash = input.emailDomains.filter((d) => taken.emailDomains.includes(d));
    return refused(
      `${clash.join(", ")} already signs in through ${taken.institute.code}'s provider.`,
      "emailDomains",
    );
  }
  const secret = keepsSecret
    ? {}
    : envName
      ? { clientSecretEnv: envName, clientSecretSealed: "" }
      : {
          clientSecretEnv: "",
          clientSecretSealed: sealSecret(input.clientSecret, secretContext(instituteId)),
        };
  const settings = {
    issuer: input.issuer,
    clientId: input.clientId,
    emailDomains: input.emailDomains,
    mfaValues: input.mfaValues,
    phishingResistantValues: input.phishingResistantValues,
    passwordsAllowed: input.passwordsAllowed,
  };
  await db.$transaction(async (tx) => {
    await tx.identityProvider.upsert({
      where: { instituteId },
      create: { instituteId, ...settings, ...secret },
      update: { ...settings, ...secret },
    });
    await recordAudit(tx, {
      actor,
      action: provider ? "institute.sso.updated" : "institute.sso.created",
      targetType: "Institute",
      targetId: instituteId,
      instituteId,
      ipAddress: req.ipAddress,
      details: {
        ...settings,
        secret: keepsSecret ? "unchanged" : envName ? `environment ${envName}` : "replaced",
      },
    });
  });
  return { ok: true as const };
}
