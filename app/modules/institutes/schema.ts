import { z } from "zod";
import { singleLine } from "~/lib/validation";

const zones = new Set(Intl.supportedValuesOf("timeZone"));

export const InstituteSchema = z.object({
  name: singleLine("a name", 160),
  country: z
    .string({ message: "Enter a two-letter country code" })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, { message: "Enter a two-letter country code, like US or GB" }),
  timeZone: z
    .string({ message: "Enter a time zone" })
    .trim()
    .refine((z) => zones.has(z) || z === "UTC", {
      message: "Enter a time zone from the IANA list, like Europe/London",
    }),
  locale: z
    .string({ message: "Enter a locale" })
    .trim()
    .refine(
      (l) => {
        try {
          return /^[a-z]{2,3}(-[A-Z]{2})?$/.test(l) && Intl.getCanonicalLocales(l).length === 1;
        } catch {
          return false;
        }
      },
      { message: "Enter a locale like en-GB or en-US" },
    ),
});

/** Splits a list typed with commas, spaces or new lines. */
function listOf(label: string, item: RegExp, { required }: { required: boolean }) {
  return z
    .string({ message: `Enter ${label}` })
    .max(2000, { message: `Keep ${label} under 2000 characters` })
    .transform((s) => [...new Set(s.split(/[\s,]+/).filter(Boolean))])
    .refine((list) => !required || list.length > 0, { message: `Enter ${label}` })
    .refine((list) => list.every((v) => item.test(v)), {
      message: `Check ${label}: one of them is not in the right form`,
    });
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
// amr values are short words (RFC 8176); acr values may be URIs.
const AUTH_VALUE = /^[A-Za-z0-9:._/#-]{1,200}$/;
export const SECRET_ENV_PREFIX = "env:";

/**
 * An institute's OpenID provider. The client secret is write-only: left empty it keeps the one
 * stored; `env:NAME` names an environment variable that holds it instead.
 */
export const IdentityProviderSchema = z.object({
  issuer: z
    .string({ message: "Enter the issuer URL" })
    .trim()
    .max(500, { message: "Enter an issuer URL of 500 characters or fewer" })
    .refine(
      (s) => {
        try {
          const url = new URL(s);
          return (
            (url.protocol === "https:" || url.protocol === "http:") && !url.search && !url.hash
          );
        } catch {
          return false;
        }
      },
      { message: "Enter the issuer URL, like https://login.example.gov" },
    ),
  clientId: singleLine("the client id", 200),
  clientSecret: z
    .string()
    .max(500, { message: "Enter a client secret of 500 characters or fewer" })
    .default("")
    .refine(
      (s) =>
        !s.startsWith(SECRET_ENV_PREFIX) ||
        /^[A-Z_][A-Z0-9_]{0,99}$/.test(s.slice(SECRET_ENV_PREFIX.length)),
      { message: "After env: give a variable name in capitals, like env:US_AISI_OIDC_SECRET" },
    ),
  emailDomains: listOf("the email domains", DOMAIN, { required: true }).transform((list) =>
    list.map((d) => d.toLowerCase()),
  ),
  mfaValues: listOf("the multi-factor values", AUTH_VALUE, { required: false }),
  phishingResistantValues: listOf("the phishing-resistant values", AUTH_VALUE, {
    required: false,
  }),
  // "on" from a posted checkbox; true or false from the form library in the browser.
  passwordsAllowed: z
    .union([z.string(), z.boolean()])
    .optional()
    .transform((v) => v === "on" || v === true),
});
