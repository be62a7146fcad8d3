/** The placement lifecycle as data: PLANNED → CLEARING → ACTIVE → COMPLETED, or CANCELLED. */

export const PLACEMENT_STATUSES = [
  "PLANNED",
  "CLEARING",
  "ACTIVE",
  "COMPLETED",
  "CANCELLED",
] as const;
export type PlacementStatus = (typeof PLACEMENT_STATUSES)[number];

export type PlacementMover = "HOST_HR" | "HOME_HR";

const MOVES: readonly {
  from: readonly PlacementStatus[];
  to: PlacementStatus;
  by: readonly PlacementMover[];
}[] = [
  { from: ["PLANNED"], to: "CLEARING", by: ["HOST_HR", "HOME_HR"] },
  // Only the host lets someone start, and only through the activation gate.
  { from: ["CLEARING"], to: "ACTIVE", by: ["HOST_HR"] },
  { from: ["ACTIVE"], to: "COMPLETED", by: ["HOST_HR"] },
  { from: ["PLANNED", "CLEARING", "ACTIVE"], to: "CANCELLED", by: ["HOST_HR", "HOME_HR"] },
];

export function canMovePlacement(from: PlacementStatus, to: PlacementStatus, by: PlacementMover) {
  return MOVES.some((m) => m.to === to && m.by.includes(by) && m.from.includes(from));
}

export function placementMovesFor(from: PlacementStatus, movers: readonly PlacementMover[]) {
  return PLACEMENT_STATUSES.filter((to) => movers.some((by) => canMovePlacement(from, to, by)));
}

/** Once finished, a placement's details and checklist are a record, not a form. */
export function isPlacementEditable(status: PlacementStatus) {
  return status === "PLANNED" || status === "CLEARING" || status === "ACTIVE";
}

export const PLACEMENT_STATUS_LABELS: Record<PlacementStatus, string> = {
  PLANNED: "Planned",
  CLEARING: "Clearing",
  ACTIVE: "Active",
  COMPLETED: "Completed",
  CANCELLED: "Cancelled",
};
