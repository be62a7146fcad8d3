import type { OwnerSide, PlacementStatus } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import { isHrOf, type Actor } from "~/lib/permissions";
import { notFound } from "~/lib/service";
import { APPLICATION_STATUSES } from "~/modules/applications/workflow";
import {
  DECISION_BUCKETS,
  readDashboardFigures,
  type Figure,
  type FigureRow,
} from "./queries.server";
import type { DashboardFilter } from "./schema";
import { clock } from "~/lib/clock";

/** Every stage an application can be in once submitted. */
export const APPLICATION_STAGES = APPLICATION_STATUSES.filter((s) => s !== "DRAFT");
export const PLACEMENT_STATES: PlacementStatus[] = [
  "PLANNED",
  "CLEARING",
  "ACTIVE",
  "COMPLETED",
  "CANCELLED",
];
export const SIDES: OwnerSide[] = ["SECONDEE", "HOME", "HOST"];

function counts<K extends string>(keys: readonly K[], rows: FigureRow[]) {
  const byKey = new Map(rows.map((r) => [r.key, r.n ?? 0]));
  return keys.map((key) => ({ key, count: byKey.get(key) ?? 0 }));
}

/**
 * The HR dashboard of the actor's institute: applications to its postings by stage, its own staff's
 * applications by stage, placements by status, overdue checklist items by owner side, time from
 * submission to decision, and applications per month. HR of that institute only.
 *
 * Every figure is computed in the database, in one statement: a large institute's figures stand on
 * tens of thousands of rows, which must not travel to be counted here.
 */
export async function getDashboard(actor: Actor, filter: DashboardFilter, now = clock.now()) {
  if (!isHrOf(actor, actor.instituteId)) throw notFound();
  const instituteId = actor.instituteId;
  const postings = await db.posting.findMany({
    where: { hostInstituteId: instituteId, status: { not: "DRAFT" } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: { id: true, title: true },
    take: 500,
  });
  // A posting id that is not one of ours is ignored, not honoured.
  const postingId = postings.some((p) => p.id === filter.postingId) ? filter.postingId : undefined;
  const rows = await readDashboardFigures(instituteId, { ...filter, postingId }, now);
  const figure = (name: Figure) => rows.filter((r) => r.figure === name);
  const buckets = counts(
    DECISION_BUCKETS.map((b) => b.label),
    figure("decided"),
  );

  return {
    postings,
    filter: { ...filter, postingId },
    hostedByStage: counts(APPLICATION_STAGES, figure("hosted")),
    outgoingByStage: counts(APPLICATION_STAGES, figure("outgoing")),
    placementsByStatus: counts(PLACEMENT_STATES, figure("placements")),
    overdueBySide: counts(SIDES, figure("overdue")),
    timeToDecision: {
      decided: buckets.reduce((sum, b) => sum + b.count, 0),
      medianDays: figure("median")[0]?.n ?? null,
      buckets,
    },
    perMonth: figure("month").map((m) => ({ key: m.key!, count: m.n! })),
  };
}
