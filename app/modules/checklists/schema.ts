import { z } from "zod";
import { idField, multiLine, optionalDate, singleLine } from "~/lib/validation";
import { MAX_DUE_OFFSET, MIN_DUE_OFFSET, OWNER_SIDES } from "./logic";

export const EVIDENCE_KINDS = ["ATTESTATION", "DOCUMENT"] as const;

/** One checklist item, in a template or on a placement. */
export const ChecklistItemSchema = z.object({
  title: singleLine("a title", 150),
  guidance: multiLine("guidance", 2000),
  ownerSide: z.enum(OWNER_SIDES, { message: "Choose who does this" }),
  dueOffsetDays: z
    .string({ message: "Enter the number of days" })
    .trim()
    .refine((s) => /^-?\d{1,4}$/.test(s), {
      message: "Enter a whole number of days (negative for before the start)",
    })
    .transform(Number)
    .refine((n) => n >= MIN_DUE_OFFSET && n <= MAX_DUE_OFFSET, {
      message: `Days must be between ${MIN_DUE_OFFSET} and ${MAX_DUE_OFFSET}`,
    }),
  required: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  evidenceKind: z.enum(EVIDENCE_KINDS, { message: "Choose the kind of evidence" }),
  dependsOn: z.array(idField).max(50),
});
export type ChecklistItemInput = z.output<typeof ChecklistItemSchema>;

/** A field the form only shows for some moves: absent means empty. */
const shownSometimes = <T extends z.ZodType>(schema: T) => z.preprocess((v) => v ?? "", schema);

/** Moving an item; evidence fields apply to DONE, the reason to WAIVED. */
export const ItemMoveSchema = z.object({
  to: z.enum(["TODO", "IN_PROGRESS", "DONE", "WAIVED"], { message: "Choose an action" }),
  version: z.coerce.number({ message: "Reload the page and try again" }).int().min(0),
  verifiedBy: shownSometimes(singleLine("who verified it", 150, { required: false })),
  verifiedOn: shownSometimes(optionalDate("the date it was verified")),
  reference: shownSometimes(singleLine("a reference", 150, { required: false })),
  level: shownSometimes(singleLine("a level", 100, { required: false })),
  expiresOn: shownSometimes(optionalDate("the expiry date")),
  reason: shownSometimes(multiLine("a reason", 1000)),
});
export type ItemMoveInput = z.output<typeof ItemMoveSchema>;

export const TemplateSchema = z.object({
  name: singleLine("a name", 150),
  homeInstituteId: idField,
});
