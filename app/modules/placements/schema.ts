import { z } from "zod";
import { idField, multiLine, optionalDate } from "~/lib/validation";

export const ARRANGEMENT_TYPES = [
  "US_IPA_ASSIGNMENT",
  "UK_LOAN",
  "UK_SECONDMENT",
  "OTHER",
] as const;
export const ARRANGEMENT_LABELS: Record<(typeof ARRANGEMENT_TYPES)[number], string> = {
  US_IPA_ASSIGNMENT: "US IPA assignment",
  UK_LOAN: "UK loan",
  UK_SECONDMENT: "UK secondment",
  OTHER: "Other arrangement",
};
export const COST_ARRANGEMENTS = ["HOME_PAYS", "HOST_PAYS", "SHARED"] as const;
export const COST_LABELS: Record<(typeof COST_ARRANGEMENTS)[number], string> = {
  HOME_PAYS: "Home institute pays",
  HOST_PAYS: "Host institute pays",
  SHARED: "Costs shared",
};

export const PlacementDetailsSchema = z.object({
  startDate: optionalDate("the start date"),
  endDate: optionalDate("the planned end date"),
  // Absent: left as it is (the page names the supervisor on its own form, PlacementSupervisorSchema).
  hostSupervisorId: idField.optional(),
  arrangementType: z.enum(ARRANGEMENT_TYPES, { message: "Choose the arrangement" }),
  costArrangement: z.enum(COST_ARRANGEMENTS, { message: "Choose who pays" }),
  extensionReason: multiLine("a reason", 1000),
  version: z.coerce.number({ message: "Reload the page and try again" }).int().min(0),
});
export type PlacementDetailsInput = z.output<typeof PlacementDetailsSchema>;

export const PlacementSupervisorSchema = z.object({
  // Empty: no host supervisor.
  hostSupervisorId: idField,
  version: z.coerce.number({ message: "Reload the page and try again" }).int().min(0),
});
export type PlacementSupervisorInput = z.output<typeof PlacementSupervisorSchema>;

/** How many host staff the supervisor picker offers at once; a search narrows them. */
export const SUPERVISOR_CHOICES = 20;

/** The picker's search (GET); anything odd is simply a search for it, capped. */
export const SupervisorSearchSchema = z
  .string()
  .transform((s) => s.trim().slice(0, 100))
  .catch("");

export const PlacementMoveSchema = z.object({
  to: z.enum(["CLEARING", "ACTIVE", "COMPLETED", "CANCELLED"], { message: "Choose an action" }),
  version: z.coerce.number({ message: "Reload the page and try again" }).int().min(0),
});
