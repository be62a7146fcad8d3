import { clock } from "~/lib/clock";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { notFound } from "~/lib/service";
import {
  activationBlockers,
  canMoveItem,
  dueDate,
  effectiveStatuses,
  isSettled,
  progress,
  todayIn,
} from "~/modules/checklists/logic";
import {
  eligibleSupervisors,
  hrItemSides,
  hrOf,
  itemActors,
  movers,
  otherSideReason,
  partiesOf,
} from "./access.server";
import { readPlacementPage } from "./queries.server";
import { SUPERVISOR_CHOICES } from "./schema";
import { isPlacementEditable, placementMovesFor } from "./workflow";
import { calendarDate } from "~/lib/time-zones";

/**
 * The placement page: details, the checklist with shown statuses and due dates, progress, gate.
 * One statement (readPlacementPage); the supervisor picker's candidates only when HR ask for it
 * (`supervisorSearch` set), at most SUPERVISOR_CHOICES.
 */
export async function getPlacement(
  actor: Actor,
  placementId: string,
  { now = clock.now(), supervisorSearch }: { now?: Date; supervisorSearch?: string | null } = {},
) {
  const loaded = await readPlacementPage(placementId);
  if (!loaded) throw notFound();
  const parties = partiesOf(actor, loaded);
  const { checklistItems: items, extensions, ...placement } = loaded;
  if (!parties.length) throw notFound();
  const shown = effectiveStatuses(items.map((i) => ({ ...i, dependsOn: i.dependsOnIds })));
  const start = calendarDate(placement.startDate);
  const today = todayIn(placement.posting.hostInstitute.timeZone, now);
  const byId = new Map(items.map((i) => [i.id, i]));
  const hrSides = hrItemSides(parties);
  const view = items.map(({ dependsOnIds, dueOffsetDays, ...i }) => {
    const status = shown.get(i.id)!;
    const actors = itemActors(parties, i.ownerSide);
    const settledByHr = hrSides.includes(i.ownerSide);
    const due = start ? dueDate(start, dueOffsetDays) : null;
    return {
      ...i,
      shownStatus: status,
      due,
      overdue: due !== null && due < today && !isSettled(i.status),
      waitingFor: dependsOnIds
        .filter((d) => !isSettled(byId.get(d)?.status ?? "DONE"))
        .map((d) => byId.get(d)?.title ?? ""),
      moves: (["IN_PROGRESS", "DONE", "WAIVED", "TODO"] as const).filter((to) =>
        actors.some((a) => canMoveItem(status, to, i.ownerSide, a)),
      ),
      mayRemove: settledByHr,
      /** For HR of the other institute: why the item offers them nothing to do. */
      notYours:
        hrOf(parties).length && !settledByHr && i.ownerSide !== "SECONDEE"
          ? otherSideReason(i.ownerSide)
          : null,
    };
  });
  const isHr = hrOf(parties).length > 0;
  const picking = isHr && isPlacementEditable(placement.status) && supervisorSearch != null;
  const supervisorPicker = picking
    ? await supervisorCandidates(placement.hostInstituteId, supervisorSearch)
    : null;
  return {
    placement: { ...placement, homeInstituteName: placement.secondee.institute.name },
    parties,
    items: view,
    progress: progress(items),
    blockers: activationBlockers(items).map((i) => i.title),
    moves: placementMovesFor(placement.status, movers(parties)),
    extensions,
    isHr,
    /** The owner sides HR may add items for. */
    addSides: hrSides,
    supervisorPicker,
  };
}

/**
 * Who may supervise on the host side: active staff of the host institute. The picker's page of
 * them, by name (a search narrows it), one more than shown to tell that there are more.
 */
async function supervisorCandidates(hostInstituteId: string, search: string) {
  const query = search.trim().slice(0, 100);
  const found = await db.user.findMany({
    where: {
      ...eligibleSupervisors(hostInstituteId),
      ...(query ? { displayName: { contains: query, mode: "insensitive" as const } } : {}),
    },
    orderBy: [{ displayName: "asc" }, { id: "asc" }],
    select: { id: true, displayName: true, jobTitle: true },
    take: SUPERVISOR_CHOICES + 1,
  });
  return {
    query,
    candidates: found.slice(0, SUPERVISOR_CHOICES),
    more: found.length > SUPERVISOR_CHOICES,
  };
}
