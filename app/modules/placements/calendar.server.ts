import { clock } from "~/lib/clock";
import { calendar, type AllDayEvent } from "~/lib/icalendar";
import type { Actor } from "~/lib/permissions";
import { isSettled, type OwnerSide } from "~/modules/checklists/logic";
import { getPlacement } from "./placement-page.server";
import { calendarDate } from "~/lib/time-zones";

/** The placement's dates and checklist due dates as an iCalendar file. */
export async function placementCalendar(actor: Actor, placementId: string, now = clock.now()) {
  const view = await getPlacement(actor, placementId, { now });
  const p = view.placement;
  const who = p.secondee.displayName;
  const events: AllDayEvent[] = [];
  const start = calendarDate(p.startDate);
  const end = calendarDate(p.endDate);
  if (start)
    events.push({
      uid: `${p.id}-start@exchange`,
      date: start,
      summary: `Secondment starts: ${who}`,
    });
  if (end)
    events.push({ uid: `${p.id}-end@exchange`, date: end, summary: `Secondment ends: ${who}` });
  for (const item of view.items) {
    if (!item.due || isSettled(item.status)) continue;
    events.push({
      uid: `${item.id}@exchange`,
      date: item.due,
      summary: `Due: ${item.title} (${who})`,
      description: `${OWNER_SIDE_LABELS_TEXT[item.ownerSide]}. ${item.guidance}`.trim(),
    });
  }
  return calendar(`Placement: ${who}`, events, now);
}

const OWNER_SIDE_LABELS_TEXT: Record<OwnerSide, string> = {
  HOME: "For the home institute",
  HOST: "For the host institute",
  SECONDEE: "For the secondee",
};
