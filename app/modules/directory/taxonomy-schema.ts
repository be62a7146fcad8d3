import { z } from "zod";
import { idField, multiLine, singleLine } from "~/lib/validation";

export const AREA_NAME_MAX = 80;

/** Adding an expertise area, and renaming one (the same two fields). */
export const AreaSchema = z.object({
  name: singleLine("a name", AREA_NAME_MAX),
  description: multiLine("the description", 500),
});

export type AreaInput = z.output<typeof AreaSchema>;

/** Merging one area into another: every profile carrying it gets the other one instead. */
export const MergeAreaSchema = z.object({
  intoId: idField.refine((s) => s.length > 0, { message: "Choose the area to merge into" }),
  // react-hook-form gives a ticked box as true; a plain form post sends "on".
  confirm: z
    .unknown()
    .refine((v) => v === true || v === "on", { message: "Tick the box to confirm the merge" }),
});
