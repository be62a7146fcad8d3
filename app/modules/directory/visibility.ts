import type { Visibility } from "~/generated/prisma/enums";

/**
 * How much of a profile a viewer may see: 1 = partner institute, 2 = same institute,
 * 3 = the person themself or HR of their institute. A field is visible when its visibility's rank
 * is at most the viewer's tier. The same ranks are used in SQL (visibility_rank) and here.
 */
export type Tier = 1 | 2 | 3;

export const VISIBILITY_RANK: Record<Visibility, Tier> = { PARTNERS: 1, INSTITUTE: 2, PRIVATE: 3 };

export const VISIBILITY_LABELS: Record<Visibility, string> = {
  PRIVATE: "Only me and HR of my institute",
  INSTITUTE: "My institute",
  PARTNERS: "All partner institutes",
};

export type Viewer = { id: string; instituteId: string; roles: readonly string[] };

export function viewerTier(viewer: Viewer, subject: { userId: string; instituteId: string }): Tier {
  if (viewer.id === subject.userId) return 3;
  if (viewer.instituteId === subject.instituteId) return viewer.roles.includes("HR") ? 3 : 2;
  return 1;
}

export function canSee(tier: Tier, visibility: Visibility) {
  return VISIBILITY_RANK[visibility] <= tier;
}
