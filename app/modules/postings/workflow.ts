/** The posting lifecycle as data. Only the host institute's HR move postings; the system closes
 * them at their deadline and marks them filled when an acceptance takes the last place. */

export const POSTING_STATUSES = ["DRAFT", "OPEN", "CLOSED", "FILLED", "CANCELLED"] as const;
export type PostingStatus = (typeof POSTING_STATUSES)[number];

export type PostingMover = "HOST_HR" | "SYSTEM";

const MOVES: readonly { from: readonly PostingStatus[]; to: PostingStatus; by: PostingMover }[] = [
  { from: ["DRAFT"], to: "OPEN", by: "HOST_HR" },
  { from: ["OPEN"], to: "CLOSED", by: "HOST_HR" },
  { from: ["OPEN"], to: "CLOSED", by: "SYSTEM" },
  { from: ["OPEN", "CLOSED"], to: "FILLED", by: "HOST_HR" },
  { from: ["OPEN", "CLOSED"], to: "FILLED", by: "SYSTEM" },
  { from: ["DRAFT", "OPEN", "CLOSED"], to: "CANCELLED", by: "HOST_HR" },
];

export function canMovePosting(from: PostingStatus, to: PostingStatus, by: PostingMover) {
  return MOVES.some((m) => m.to === to && m.by === by && m.from.includes(from));
}

export function postingMovesFor(from: PostingStatus, by: PostingMover): PostingStatus[] {
  return POSTING_STATUSES.filter((to) => canMovePosting(from, to, by));
}

/** Offers can be made while the posting is open or closed to new applications, not once filled or cancelled. */
export function takesOffers(status: PostingStatus) {
  return status === "OPEN" || status === "CLOSED";
}

/** Host HR may still change the details of a posting in these states. */
export function isEditable(status: PostingStatus) {
  return status === "DRAFT" || status === "OPEN" || status === "CLOSED";
}

export const POSTING_STATUS_LABELS: Record<PostingStatus, string> = {
  DRAFT: "Draft",
  OPEN: "Open",
  CLOSED: "Closed",
  FILLED: "Filled",
  CANCELLED: "Cancelled",
};

export const POSTING_MOVE_LABELS: Record<PostingStatus, string> = {
  DRAFT: "Back to draft",
  OPEN: "Publish",
  CLOSED: "Close to applications",
  FILLED: "Mark filled",
  CANCELLED: "Cancel posting",
};
