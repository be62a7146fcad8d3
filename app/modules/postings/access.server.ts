import type { Prisma } from "~/generated/prisma/client";
import type { PostingStatus } from "~/generated/prisma/enums";
import { clock } from "~/lib/clock";
import type { Actor } from "~/lib/permissions";

/**
 * Who may see a posting: host HR always; anyone at the host institute, and staff of an eligible
 * institute, once it is open (or closed or filled, for those who applied). Everything else is a 404.
 */
export function visibleTo(actor: Actor): Prisma.PostingWhereInput {
  return {
    OR: [
      ...(actor.roles.includes("HR") ? [{ hostInstituteId: actor.instituteId }] : []),
      { status: "OPEN", hostInstituteId: actor.instituteId },
      { status: "OPEN", eligibleInstituteIds: { has: actor.instituteId } },
      { applications: { some: { applicantId: actor.id } } },
    ],
  };
}

/** Whether this person may apply now: open, before its deadline, their institute eligible, not the host. */
export function applyRefusal(
  posting: {
    status: PostingStatus;
    deadline: Date;
    eligibleInstituteIds: string[];
    hostInstituteId: string;
  },
  actor: Actor,
  now = clock.now(),
): string | null {
  if (posting.status !== "OPEN") return "This posting is not open for applications.";
  if (posting.deadline <= now) return "The deadline for this posting has passed.";
  if (posting.hostInstituteId === actor.instituteId)
    return "Secondments are for staff of partner institutes.";
  if (!posting.eligibleInstituteIds.includes(actor.instituteId))
    return "Staff of your institute are not eligible for this posting.";
  return null;
}
