import { z } from "zod";

// A UTC calendar day from the query string; anything else (including 2026-02-31) means "no bound".
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  })
  .optional()
  .catch(undefined);

/** The audit log's filters as they appear in the URL; bad values are dropped, never an error. */
export const AuditFilterSchema = z.object({
  action: z.string().max(100).optional().catch(undefined),
  actor: z.string().max(320).optional().catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

export type AuditFilterParams = z.output<typeof AuditFilterSchema>;
