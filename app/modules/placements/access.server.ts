import type { Prisma } from "~/generated/prisma/client";
import { isHrOf, type Actor } from "~/lib/permissions";
import { forbidden, notFound } from "~/lib/service";
import {
  hrSettles,
  type InstituteSide,
  type ItemActor,
  type OwnerSide,
} from "~/modules/checklists/logic";
import type { PlacementMover } from "./workflow";

// Who the actor is to a placement, and so what they may see and do: every placement and checklist
// item service starts from here.

type Tx = Prisma.TransactionClient;

export type PlacementParty =
  "SECONDEE" | "LINE_MANAGER" | "HOME_HR" | "HOST_HR" | "HOST_SUPERVISOR";

const PLACEMENT_SELECT = {
  id: true,
  status: true,
  version: true,
  startDate: true,
  endDate: true,
  arrangementType: true,
  costArrangement: true,
  homeInstituteId: true,
  hostInstituteId: true,
  secondeeId: true,
  hostSupervisorId: true,
  secondee: { select: { id: true, displayName: true, lineManagerId: true } },
} satisfies Prisma.PlacementSelect;
type Loaded = Prisma.PlacementGetPayload<{ select: typeof PLACEMENT_SELECT }>;

export function partiesOf(actor: Actor, p: Loaded): PlacementParty[] {
  const parties: PlacementParty[] = [];
  if (p.secondeeId === actor.id) parties.push("SECONDEE");
  if (p.secondee.lineManagerId === actor.id) parties.push("LINE_MANAGER");
  if (isHrOf(actor, p.homeInstituteId)) parties.push("HOME_HR");
  if (isHrOf(actor, p.hostInstituteId)) parties.push("HOST_HR");
  if (p.hostSupervisorId === actor.id) parties.push("HOST_SUPERVISOR");
  return parties;
}

/** The institute sides the actor is HR of on this placement. */
export function hrOf(parties: PlacementParty[]): InstituteSide[] {
  return [
    ...(parties.includes("HOME_HR") ? (["HOME"] as const) : []),
    ...(parties.includes("HOST_HR") ? (["HOST"] as const) : []),
  ];
}

/** The owner sides whose items the actor, as HR, may add, remove and settle. */
export function hrItemSides(parties: PlacementParty[]): OwnerSide[] {
  const sides = hrOf(parties);
  return (["HOME", "HOST", "SECONDEE"] as const).filter((owner) =>
    sides.some((side) => hrSettles(side, owner)),
  );
}

/**
 * How the actor may act on one item of `owner`'s side: as HR who settle it, or as the side (the
 * line manager for the home side, the host supervisor for the host's, the secondee for their own).
 */
export function itemActors(parties: PlacementParty[], owner: OwnerSide): ItemActor[] {
  const actors: ItemActor[] = [];
  if (hrItemSides(parties).includes(owner)) actors.push("HR");
  if (parties.includes("SECONDEE")) actors.push("SECONDEE");
  if (parties.includes("LINE_MANAGER")) actors.push("HOME");
  if (parties.includes("HOST_SUPERVISOR")) actors.push("HOST");
  return actors;
}

/**
 * Why HR of the other institute may not act on an item of `owner`'s side: the words of their 403,
 * and of the note the placement page shows in place of the item's actions.
 */
export function otherSideReason(owner: InstituteSide): string {
  return owner === "HOME"
    ? "This item is the home institute's to settle: its HR or the line manager can change it."
    : "This item is the host institute's to settle: its HR or the host supervisor can change it.";
}

/**
 * The actor's ways of acting on one item of `owner`'s side, when they have any standing on it; a
 * 403 otherwise, saying why when they are HR of the other institute.
 */
export function requireItemStanding(parties: PlacementParty[], owner: OwnerSide): ItemActor[] {
  const actors = itemActors(parties, owner);
  if (actors.includes("HR") || actors.includes(owner)) return actors;
  if (owner !== "SECONDEE" && hrOf(parties).length) throw forbidden(otherSideReason(owner));
  throw forbidden();
}

export function movers(parties: PlacementParty[]): PlacementMover[] {
  return [
    ...(parties.includes("HOST_HR") ? (["HOST_HR"] as const) : []),
    ...(parties.includes("HOME_HR") ? (["HOME_HR"] as const) : []),
  ];
}

/** The placement with the actor's parts in it; 404 when they have none (no existence leaks). */
export async function loadPlacementFor(tx: Tx, actor: Actor, placementId: string) {
  const placement = await tx.placement.findUnique({
    where: { id: placementId },
    select: PLACEMENT_SELECT,
  });
  if (!placement) throw notFound();
  const parties = partiesOf(actor, placement);
  if (!parties.length) throw notFound();
  return { placement, parties };
}

/** Who may be named host supervisor: active staff of the host institute. */
export const eligibleSupervisors = (hostInstituteId: string) =>
  ({ instituteId: hostInstituteId, deactivatedAt: null }) satisfies Prisma.UserWhereInput;

/** For HR only; anyone else is told there is nothing here. */
export function assertHr(actor: Actor) {
  if (!actor.roles.includes("HR")) throw notFound();
}

/** The placements HR of the actor's institute deal with: those it hosts or sends. */
export const institutePlacements = (actor: Actor): Prisma.PlacementWhereInput => ({
  OR: [{ hostInstituteId: actor.instituteId }, { homeInstituteId: actor.instituteId }],
});
