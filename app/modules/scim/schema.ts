import { z } from "zod";
import { emailField, singleLine } from "~/lib/validation";

/** The checks a provisioned person's attributes pass, the same as an invited person's. */
export const ScimUserSchema = z.object({
  userName: emailField,
  displayName: singleLine("a name", 120),
  jobTitle: singleLine("a job title", 120, { required: false }),
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
