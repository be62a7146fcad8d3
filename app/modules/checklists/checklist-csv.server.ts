import { clock } from "~/lib/clock";
import { csvLine } from "~/lib/csv";
import { db } from "~/lib/db.server";
import { requireRateLimit } from "~/lib/rate-limits.server";
import type { Actor } from "~/lib/permissions";
import { recordAuditNow } from "~/modules/audit/audit.server";
import { assertHr, institutePlacements } from "~/modules/placements/access.server";
import { dueDate, effectiveStatuses, todayIn } from "./logic";
import { calendarDate } from "~/lib/time-zones";

/** HR: every checklist item of their institute's placements, with status and due date, as CSV. */
export async function exportChecklistCsv(actor: Actor, now = clock.now()) {
  assertHr(actor);
  await requireRateLimit("exportsPerPerson", actor.id);
  const placements = await db.placement.findMany({
    where: institutePlacements(actor),
    orderBy: [{ startDate: { sort: "asc", nulls: "last" } }, { id: "asc" }],
    select: {
      id: true,
      status: true,
      startDate: true,
      secondee: { select: { displayName: true, institute: { select: { code: true } } } },
      posting: { select: { hostInstitute: { select: { code: true, timeZone: true } } } },
      checklistItems: {
        orderBy: [{ position: "asc" }, { id: "asc" }],
        select: {
          id: true,
          title: true,
          ownerSide: true,
          required: true,
          status: true,
          dueOffsetDays: true,
          dependsOnIds: true,
          completedAt: true,
          waivedReason: true,
        },
      },
    },
  });
  let csv = csvLine([
    "Placement",
    "Secondee",
    "Home institute",
    "Host institute",
    "Placement status",
    "Item",
    "Owner",
    "Required",
    "Status",
    "Due",
    "Overdue",
    "Completed at",
    "Waived because",
  ]);
  let rows = 0;
  for (const p of placements) {
    const shown = effectiveStatuses(
      p.checklistItems.map((i) => ({ ...i, dependsOn: i.dependsOnIds })),
    );
    const today = todayIn(p.posting.hostInstitute.timeZone, now);
    for (const item of p.checklistItems) {
      const start = calendarDate(p.startDate);
      const due = start ? dueDate(start, item.dueOffsetDays) : null;
      const status = shown.get(item.id) ?? item.status;
      const open = status !== "DONE" && status !== "WAIVED";
      csv += csvLine([
        p.id,
        p.secondee.displayName,
        p.secondee.institute.code,
        p.posting.hostInstitute.code,
        p.status,
        item.title,
        item.ownerSide,
        item.required ? "yes" : "no",
        status,
        due ?? "",
        open && due !== null && due < today ? "yes" : "no",
        item.completedAt,
        item.waivedReason,
      ]);
      rows += 1;
    }
  }
  await recordAuditNow({ actor, action: "checklists.export", details: { rows } });
  return csv;
}
