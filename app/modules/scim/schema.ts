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
