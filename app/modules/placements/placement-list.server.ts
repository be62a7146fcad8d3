import type { PlacementStatus } from "~/generated/prisma/enums";
import { csvLine } from "~/lib/csv";
import { db } from "~/lib/db.server";
import { requireRateLimit } from "~/lib/rate-limits.server";
import type { Actor } from "~/lib/permissions";
import { recordAuditNow } from "~/modules/audit/audit.server";
import { assertHr, institutePlacements } from "./access.server";
import { calendarDate } from "~/lib/time-zones";

/** Placements the actor deals with: HR see their institute's (hosted or sent); anyone their own. */
export async function listPlacements(actor: Actor, status?: PlacementStatus) {
  const isHr = actor.roles.includes("HR");
  // The actor's reports first, so that every branch of the OR is an indexed column of Placement
  // (one index scan each, OR-ed as bitmaps): a condition on the secondee's line manager is a join,
  // which no index can serve inside an OR, and reads every placement.
  const reports = await db.user.findMany({
    where: { lineManagerId: actor.id },
    select: { id: true },
  });
  return db.placement.findMany({
    where: {
      AND: [
        {
          OR: [
            { secondeeId: { in: [actor.id, ...reports.map((r) => r.id)] } },
            { hostSupervisorId: actor.id },
            ...(isHr
              ? [{ hostInstituteId: actor.instituteId }, { homeInstituteId: actor.instituteId }]
              : []),
          ],
        },
        status ? { status } : {},
      ],
    },
    orderBy: [{ startDate: "asc" }, { id: "asc" }],
    select: {
      id: true,
      status: true,
      startDate: true,
      secondee: { select: { displayName: true } },
      posting: { select: { title: true, hostInstitute: { select: { code: true } } } },
    },
    take: 500,
  });
}
/** HR: every placement their institute hosts or sends, one row each, as CSV. Audited. */
export async function exportPlacementsCsv(actor: Actor) {
  assertHr(actor);
  await requireRateLimit("exportsPerPerson", actor.id);
  const placements = await db.placement.findMany({
    where: institutePlacements(actor),
    orderBy: [{ startDate: { sort: "asc", nulls: "last" } }, { id: "asc" }],
    select: {
      id: true,
      status: true,
      startDate: true,
      endDate: true,
      arrangementType: true,
      costArrangement: true,
      homeInstituteId: true,
      hostInstituteId: true,
      secondee: {
        select: { displayName: true, email: true, institute: { select: { code: true } } },
      },
      hostSupervisor: { select: { displayName: true } },
      posting: { select: { title: true, hostInstitute: { select: { code: true } } } },
      checklistItems: { select: { status: true, required: true } },
    },
  });
  let csv = csvLine([
    "Placement",
    "Secondee",
    "Secondee email",
    "Home institute",
    "Host institute",
    "Posting",
    "Status",
    "Start",
    "Planned end",
    "Host supervisor",
    "Arrangement",
    "Costs",
    "Checklist items done or waived",
    "Checklist items",
  ]);
  for (const p of placements) {
    const settled = p.checklistItems.filter((i) => i.status === "DONE" || i.status === "WAIVED");
    csv += csvLine([
      p.id,
      p.secondee.displayName,
      p.secondee.email,
      p.secondee.institute.code,
      p.posting.hostInstitute.code,
      p.posting.title,
      p.status,
      calendarDate(p.startDate),
      calendarDate(p.endDate),
      p.hostSupervisor?.displayName ?? "",
      p.arrangementType,
      p.costArrangement,
      settled.length,
      p.checklistItems.length,
    ]);
  }
  await recordAuditNow({
    actor,
    action: "placements.export",
    details: { rows: placements.length },
  });
  return csv;
}
