import { z } from "zod";
import { idField } from "~/lib/validation";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  })
  .optional()
  .catch(undefined);

/** The dashboard's filters from the URL; a bad value means "no filter", never an error. */
export const DashboardFilterSchema = z.object({
  from: day,
  to: day,
  postingId: idField.optional().catch(undefined),
});
export type DashboardFilter = z.output<typeof DashboardFilterSchema>;
