import { z } from "zod";
import { emailField, singleLine } from "~/lib/validation";

/**
 * An address checked as the portal checks one, but kept as the provider spelled it: the provider
 * compares what it reads back with what it wrote. The portal's own copy is lower-cased.
 */
const spelledAddress = z
  .string({ message: "Enter an email address" })
  .transform((s) => s.trim())
  .superRefine((s, ctx) => {
    const checked = emailField.safeParse(s);
    if (!checked.success)
      ctx.addIssue({ code: "custom", message: checked.error.issues[0]!.message });
  });

/** A line the provider may leave out: empty is none. */
const optionalLine = (label: string, max: number) =>
  singleLine(label, max, { required: false })
    .transform((s) => (s === "" ? null : s))
    .nullable();

/** The checks a provisioned person's attributes pass, the same as an invited person's. */
export const ScimUserSchema = z.object({
  userName: spelledAddress,
  displayName: singleLine("a name", 120),
  givenName: optionalLine("a given name", 120),
  familyName: optionalLine("a family name", 120),
  formattedName: optionalLine("a full name", 250),
  workEmail: spelledAddress.nullable(),
  jobTitle: singleLine("a job title", 120, { required: false }),
  team: singleLine("a team", 120, { required: false }),
  active: z.boolean(),
  externalId: singleLine("an external id", 256).nullable(),
  managerId: z.string().max(64).nullable(),
});

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The institute's email domains, typed one per line or separated by commas or spaces. */
export const EmailDomainsSchema = z.object({
  emailDomains: z
    .string({ message: "Enter the domains, or leave the box empty" })
    .max(2000, { message: "Enter at most 20 domains" })
    .transform((s) => [
      ...new Set(
        s
          .split(/[\s,]+/)
          .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
          .filter(Boolean),
      ),
    ])
    .refine((list) => list.length <= 20, { message: "Enter at most 20 domains" })
    .refine((list) => list.every((d) => DOMAIN.test(d)), {
      message: "Enter domains like example.gov, without any name before an @",
    }),
});
