import type { Prisma } from "~/generated/prisma/client";
import { isHrOf, type Actor } from "~/lib/permissions";
import { notFound } from "~/lib/service";
import type { ItemActor } from "~/modules/checklists/logic";
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

/** How the actor may act on checklist items: as HR, or as one of the sides. */
export function itemActors(parties: PlacementParty[]): ItemActor[] {
  const actors: ItemActor[] = [];
  if (parties.includes("HOME_HR") || parties.includes("HOST_HR")) actors.push("HR");
  if (parties.includes("SECONDEE")) actors.push("SECONDEE");
  if (parties.includes("LINE_MANAGER")) actors.push("HOME");
  if (parties.includes("HOST_SUPERVISOR")) actors.push("HOST");
  return actors;
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
