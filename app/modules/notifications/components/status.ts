import type { BadgeTone } from "~/components/ui";
import type { OutboxStatus } from "~/generated/prisma/enums";

export const OUTBOX_STATUS_TONE: Record<OutboxStatus, BadgeTone> = {
  QUEUED: "info",
  SENDING: "warning",
  SENT: "success",
  FAILED: "danger",
};
