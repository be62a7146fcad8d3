import { z } from "zod";
import { OutboxStatus } from "~/generated/prisma/enums";

// Query-string values: an empty or unknown value means "no filter" rather than an error page.
const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

export const OutboxFilterSchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(OutboxStatus).optional()).catch(undefined),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).optional()).catch(undefined),
});

export type OutboxFilter = z.infer<typeof OutboxFilterSchema>;
