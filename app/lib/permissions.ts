import type { Role } from "~/generated/prisma/enums";
import { notFound } from "./service";

/** What permission checks need to know of the acting user. */
export type Actor = {
  id: string;
  email: string;
  roles: Role[];
  instituteId: string;
};

export function hasRole(actor: Pick<Actor, "roles">, role: Role) {
  return actor.roles.includes(role);
}

export function isAdmin(actor: Pick<Actor, "roles">) {
  return hasRole(actor, "ADMIN");
}

/** HR coordinators act only for their own institute. */
export function isHrOf(actor: Pick<Actor, "roles" | "instituteId">, instituteId: string) {
  return hasRole(actor, "HR") && actor.instituteId === instituteId;
}

/**
 * HR and ADMIN hold other people's data: they must sign in by a phishing-resistant method (a
 * passkey, or SSO that asserts one) before doing anything else. TOTP can be relayed by a phishing
 * site, so it does not count.
 */
export function mustResistPhishing(actor: Pick<Actor, "roles">) {
  return hasRole(actor, "HR") || hasRole(actor, "ADMIN");
}

/**
 * For services acting on an institute's records (postings, placements): HR of that institute only.
 * Anyone else is told the record does not exist.
 */
export function assertHrOf(actor: Pick<Actor, "roles" | "instituteId">, instituteId: string): void {
  if (!isHrOf(actor, instituteId)) throw notFound();
}

/** For administration services: anyone but an admin is told the thing does not exist. */
export function assertAdmin(actor: Pick<Actor, "roles">): void {
  if (!isAdmin(actor)) throw notFound();
}
