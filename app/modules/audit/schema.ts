import { z } from "zod";
import { urlDate } from "~/lib/validation";

/** The audit log's filters as they appear in the URL; bad values are dropped, never an error. */
export const AuditFilterSchema = z.object({
  action: z.string().max(100).optional().catch(undefined),
  actor: z.string().max(320).optional().catch(undefined),
  from: urlDate,
  to: urlDate,
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

export type AuditFilterParams = z.output<typeof AuditFilterSchema>;
