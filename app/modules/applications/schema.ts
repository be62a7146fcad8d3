import { z } from "zod";
import { CLEARANCE_LEVELS } from "~/modules/postings/schema";
import { idField, multiLine, optionalDate } from "~/lib/validation";
import { APPLICATION_STATUSES } from "./workflow";

export const STATEMENT_MAX = 10_000;

/** The application form (a draft may be saved incomplete; submitting checks the rest). */
export const ApplicationSchema = z
  .object({
    statement: multiLine("your statement", STATEMENT_MAX),
    availableFrom: optionalDate("the date you are available from"),
    availableUntil: optionalDate("the date you are available until"),
    declaredClearance: z.enum(CLEARANCE_LEVELS, { message: "Choose your current clearance" }),
    intent: z.enum(["save", "submit"]).default("save"),
    version: z.coerce.number({ message: "Reload the page and try again" }).int().min(0),
  })
  .superRefine((v, ctx) => {
    if (v.availableFrom && v.availableUntil && v.availableUntil < v.availableFrom)
      ctx.addIssue({
        code: "custom",
        path: ["availableUntil"],
        message: "This must be on or after the date you are available from",
      });
  });
export type ApplicationInput = z.output<typeof ApplicationSchema>;

export const TransitionSchema = z.object({
  to: z.enum(APPLICATION_STATUSES, { message: "Choose an action" }),
  version: z.coerce.number({ message: "Reload the page and try again" }).int().min(0),
  comment: multiLine("a comment", 2000),
});
export type TransitionInput = z.output<typeof TransitionSchema>;

export const NoteSchema = z.object({ body: multiLine("a note", 5000, { required: true }) });

export const AssignReviewerSchema = z.object({
  reviewerId: idField.refine((s) => s.length > 0, { message: "Choose a reviewer" }),
});

export const DeclarationSchema = z.object({
  declaration: z.enum(["NO_CONFLICT", "RECUSED"], {
    message: "Declare that you have no conflict of interest, or recuse yourself",
  }),
});

export const RUBRIC = [
  { key: "expertise", label: "Relevant expertise" },
  { key: "fit", label: "Fit with the team's work" },
  { key: "contribution", label: "Contribution to the partnership" },
  { key: "readiness", label: "Readiness (clearance, timing)" },
] as const;
export type CriterionKey = (typeof RUBRIC)[number]["key"];

const score = z
  .string()
  .trim()
  .refine((s) => s === "" || /^[1-4]$/.test(s), { message: "Score from 1 to 4" });

export const ReviewSchema = z.object({
  score_expertise: score,
  comment_expertise: multiLine("a comment", 2000),
  score_fit: score,
  comment_fit: multiLine("a comment", 2000),
  score_contribution: score,
  comment_contribution: multiLine("a comment", 2000),
  score_readiness: score,
  comment_readiness: multiLine("a comment", 2000),
  comment: multiLine("an overall comment", 5000),
  /** Save a draft, or submit (every score then required). */
  stage: z.enum(["save", "submit"]).default("save"),
});
export type ReviewInput = z.output<typeof ReviewSchema>;
