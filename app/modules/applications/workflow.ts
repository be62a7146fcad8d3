/**
 * The application pipeline as data: states, the moves between them, who may make each move and
 * who is told about it. Pure (no database, no clock) so every combination can be tested exhaustively.
 */

export const APPLICATION_STATUSES = [
  "DRAFT",
  "SUBMITTED",
  "HOME_RELEASED",
  "HOME_DECLINED",
  "UNDER_REVIEW",
  "SHORTLISTED",
  "INTERVIEW",
  "OFFERED",
  "ACCEPTED",
  "DECLINED",
  "REJECTED",
  "WITHDRAWN",
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** How the acting person stands towards one application (one person can stand in several ways). */
export const PARTIES = ["APPLICANT", "LINE_MANAGER", "HOME_HR", "HOST_HR", "REVIEWER"] as const;
export type Party = (typeof PARTIES)[number];

export const FINAL_STATUSES: readonly ApplicationStatus[] = [
  "HOME_DECLINED",
  "ACCEPTED",
  "DECLINED",
  "REJECTED",
  "WITHDRAWN",
];

/** The host's review stages: rejection is possible from each. */
export const REVIEW_STATUSES: readonly ApplicationStatus[] = [
  "HOME_RELEASED",
  "UNDER_REVIEW",
  "SHORTLISTED",
  "INTERVIEW",
];

/**
 * Who is emailed about a move: the applicant; their line manager (at submission, the one on their
 * record, who is asked to release them; later, the one who was asked); and the posting's HR contact.
 */
export type Recipient = "APPLICANT" | "LINE_MANAGER" | "HOST_HR";

type Move = {
  from: readonly ApplicationStatus[];
  to: ApplicationStatus;
  by: Party;
  /** Told about the move, in this order. */
  tell: readonly Recipient[];
};

const MOVES: readonly Move[] = [
  { from: ["DRAFT"], to: "SUBMITTED", by: "APPLICANT", tell: ["APPLICANT", "LINE_MANAGER"] },
  { from: ["SUBMITTED"], to: "HOME_RELEASED", by: "LINE_MANAGER", tell: ["APPLICANT", "HOST_HR"] },
  { from: ["SUBMITTED"], to: "HOME_DECLINED", by: "LINE_MANAGER", tell: ["APPLICANT"] },
  { from: ["HOME_RELEASED"], to: "UNDER_REVIEW", by: "HOST_HR", tell: ["APPLICANT"] },
  { from: ["UNDER_REVIEW"], to: "SHORTLISTED", by: "HOST_HR", tell: ["APPLICANT"] },
  { from: ["SHORTLISTED"], to: "INTERVIEW", by: "HOST_HR", tell: ["APPLICANT"] },
  { from: ["SHORTLISTED", "INTERVIEW"], to: "OFFERED", by: "HOST_HR", tell: ["APPLICANT"] },
  { from: REVIEW_STATUSES, to: "REJECTED", by: "HOST_HR", tell: ["APPLICANT"] },
  { from: ["OFFERED"], to: "ACCEPTED", by: "APPLICANT", tell: ["HOST_HR"] },
  { from: ["OFFERED"], to: "DECLINED", by: "APPLICANT", tell: ["HOST_HR"] },
  {
    from: APPLICATION_STATUSES.filter((s) => s !== "DRAFT" && !FINAL_STATUSES.includes(s)),
    to: "WITHDRAWN",
    by: "APPLICANT",
    // The line manager released them, or was asked to: they hear that it is off.
    tell: ["HOST_HR", "LINE_MANAGER"],
  },
];

/** True when a person standing as `party` may move an application from `from` to `to`. */
export function canMove(from: ApplicationStatus, to: ApplicationStatus, party: Party): boolean {
  return MOVES.some((m) => m.to === to && m.by === party && m.from.includes(from));
}

/** True when `party` may make a move to `to` from some stage (if not necessarily from this one). */
export function mayEverMoveTo(to: ApplicationStatus, party: Party): boolean {
  return MOVES.some((m) => m.to === to && m.by === party);
}

/** The moves open to someone who stands in all of `parties`, in pipeline order. */
export function movesFor(from: ApplicationStatus, parties: readonly Party[]): ApplicationStatus[] {
  return APPLICATION_STATUSES.filter((to) => parties.some((p) => canMove(from, to, p)));
}

/** Who is told about a move to `to` (each status is reached by one move), in the order emailed. */
export function toldOfMoveTo(to: ApplicationStatus): readonly Recipient[] {
  return MOVES.find((m) => m.to === to)?.tell ?? [];
}

export function isFinal(status: ApplicationStatus) {
  return FINAL_STATUSES.includes(status);
}

/** Moves that must carry a comment: a decline or rejection says why. */
export function needsReason(to: ApplicationStatus) {
  return to === "HOME_DECLINED" || to === "REJECTED";
}

export const STATUS_LABELS: Record<ApplicationStatus, string> = {
  DRAFT: "Draft",
  SUBMITTED: "Awaiting release",
  HOME_RELEASED: "Released by line manager",
  HOME_DECLINED: "Not released",
  UNDER_REVIEW: "Under review",
  SHORTLISTED: "Shortlisted",
  INTERVIEW: "Interview",
  OFFERED: "Offer made",
  ACCEPTED: "Offer accepted",
  DECLINED: "Offer declined",
  REJECTED: "Unsuccessful",
  WITHDRAWN: "Withdrawn",
};

/** What the button for a move says. */
export const MOVE_LABELS: Record<ApplicationStatus, string> = {
  DRAFT: "Back to draft",
  SUBMITTED: "Submit application",
  HOME_RELEASED: "Release",
  HOME_DECLINED: "Decline release",
  UNDER_REVIEW: "Start review",
  SHORTLISTED: "Shortlist",
  INTERVIEW: "Invite to interview",
  OFFERED: "Make offer",
  ACCEPTED: "Accept offer",
  DECLINED: "Decline offer",
  REJECTED: "Reject",
  WITHDRAWN: "Withdraw application",
};
