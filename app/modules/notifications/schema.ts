import { z } from "zod";
import { OutboxStatus } from "~/generated/prisma/enums";

// Query-string values: an empty or unknown value means "no filter" rather than an error page.
const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

export const OutboxFilterSchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(OutboxStatus).optional()).catch(undefined),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).optional()).catch(undefined),
});

export type OutboxFilter = z.infer<typeof OutboxFilterSchema>;

export const NotificationActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("read"),
    notificationId: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, {
        message: "Choose a notification",
      }),
  }),
  z.object({ intent: z.literal("read-all") }),
]);

export const NotificationPreferencesSchema = z.object({
  email: z.array(z.string().max(64)).max(50),
});
