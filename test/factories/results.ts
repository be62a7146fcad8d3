import type { Actor } from "~/lib/permissions";

/** A service result that must have succeeded (world building): its ok branch, or a thrown error. */
export const must = <T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> => {
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result as Extract<T, { ok: true }>;
};

/** The actor a service is called as, from a user row. */
export const toActor = (u: {
  id: string;
  email: string;
  roles: Actor["roles"];
  instituteId: string;
}): Actor => ({
  id: u.id,
  email: u.email,
  roles: u.roles,
  instituteId: u.instituteId,
});
