import { z } from "zod";
import { idField, urlDate } from "~/lib/validation";

/** The dashboard's filters from the URL; a bad value means "no filter", never an error. */
export const DashboardFilterSchema = z.object({
  from: urlDate,
  to: urlDate,
  postingId: idField.optional().catch(undefined),
});
export type DashboardFilter = z.output<typeof DashboardFilterSchema>;
