import { z } from "zod";
import {
  idField,
  isCalendarDate,
  multiLine,
  singleLine,
  urlDate,
  urlList,
  urlSearchText,
} from "~/lib/validation";
import { CLEARANCE_LEVELS, DURATIONS, WORK_MODES } from "./labels";

// The lists and their labels live in ./labels (no zod), so pages that only show them stay light.
export {
  CLEARANCE_LABELS,
  CLEARANCE_LEVELS,
  DURATION_LABELS,
  WORK_MODE_LABELS,
  WORK_MODES,
  type ClearanceLevel,
  type WorkMode,
} from "./labels";

const dateField = (label: string) =>
  z
    .string({ message: `Enter ${label}` })
    .trim()
    .refine((s) => s.length > 0, { message: `Enter ${label}` })
    .refine(isCalendarDate, { message: `Enter ${label} as a real date` });

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string({ message: `Enter ${label}` })
    .trim()
    .refine((s) => /^\d{1,4}$/.test(s), { message: `Enter ${label} as a whole number` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, {
      message: `${label[0]!.toUpperCase()}${label.slice(1)} must be between ${min} and ${max}`,
    });

export const PostingSchema = z
  .object({
    title: singleLine("a title", 150),
    team: singleLine("a team", 150, { required: false }),
    description: multiLine("a description", 20_000, { required: true }),
    requiredExpertise: z.array(idField).max(20, { message: "Choose at most 20 areas" }),
    desiredExpertise: z.array(idField).max(20, { message: "Choose at most 20 areas" }),
    minClearance: z.enum(CLEARANCE_LEVELS, { message: "Choose a clearance level" }),
    workMode: z.enum(WORK_MODES, { message: "Choose on site, hybrid or remote" }),
    location: singleLine("a location", 120, { required: false }),
    durationMonths: wholeNumber("the duration in months", 1, 60),
    earliestStart: dateField("the earliest start"),
    latestStart: dateField("the latest start"),
    places: wholeNumber("the number of places", 1, 100),
    /** As the host's clocks show it: "YYYY-MM-DDTHH:mm" (a datetime-local input). */
    deadline: z
      .string({ message: "Enter the application deadline" })
      .trim()
      .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(s), {
        message: "Enter the application deadline as a date and time",
      }),
    eligibleInstitutes: z
      .array(idField)
      .min(1, { message: "Choose at least one institute whose staff may apply" })
      .max(50),
    contactHrId: idField.refine((s) => s.length > 0, {
      message: "Choose the contact HR coordinator",
    }),
    /** The version the form was loaded at (edits only). */
    version: z.coerce.number().int().min(0).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.earliestStart && v.latestStart && v.latestStart < v.earliestStart)
      ctx.addIssue({
        code: "custom",
        path: ["latestStart"],
        message: "The latest start must be on or after the earliest start",
      });
    if (v.workMode !== "REMOTE" && !v.location)
      ctx.addIssue({
        code: "custom",
        path: ["location"],
        message: "Enter where the secondee will work",
      });
  });

export type PostingInput = z.output<typeof PostingSchema>;
export const POSTING_ARRAYS = [
  "requiredExpertise",
  "desiredExpertise",
  "eligibleInstitutes",
] as const;

export const PostingMoveSchema = z.object({
  to: z.enum(["OPEN", "CLOSED", "FILLED", "CANCELLED"], { message: "Choose an action" }),
  version: z.coerce.number({ message: "Reload the page and try again" }).int().min(0),
});

export const PostingFilterSchema = z.object({
  q: urlSearchText,
  institute: urlList(z.string().regex(/^[A-Z0-9-]{2,20}$/)),
  expertise: urlList(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/)),
  duration: urlList(z.enum(DURATIONS), 3),
  workMode: urlList(z.enum(WORK_MODES), 3),
  startFrom: urlDate.transform((d) => d ?? ""),
  startTo: urlDate.transform((d) => d ?? ""),
  page: z.coerce.number().int().min(1).max(500).catch(1),
});
export type PostingFilter = z.output<typeof PostingFilterSchema>;

export function parsePostingFilter(params: URLSearchParams): PostingFilter {
  return PostingFilterSchema.parse({
    q: params.get("q") ?? "",
    institute: params.getAll("institute"),
    expertise: params.getAll("expertise"),
    duration: params.getAll("duration"),
    workMode: params.getAll("workMode"),
    startFrom: params.get("startFrom") ?? "",
    startTo: params.get("startTo") ?? "",
    page: params.get("page") ?? 1,
  });
}
