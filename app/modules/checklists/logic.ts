/**
 * Checklist rules, pure: item states and who may move them, dependencies (cycles refused,
 * BLOCKED derived), due dates from the start date, progress, and the activation gate.
 */
import { dateIn } from "~/lib/time-zones";
import { clock } from "~/lib/clock";

export const OWNER_SIDES = ["HOME", "HOST", "SECONDEE"] as const;
export type OwnerSide = (typeof OWNER_SIDES)[number];

export const STORED_ITEM_STATUSES = ["TODO", "IN_PROGRESS", "DONE", "WAIVED"] as const;
export type StoredItemStatus = (typeof STORED_ITEM_STATUSES)[number];
/** What people see: BLOCKED is derived, never stored. */
export type ItemStatus = StoredItemStatus | "BLOCKED";

/** Who is acting on an item: one of the three sides, or HR who settle it (see hrSettles). */
export type ItemActor = OwnerSide | "HR";

/** The two institutes of a placement, as HR stand towards it. */
export type InstituteSide = Exclude<OwnerSide, "SECONDEE">;

/**
 * Whether HR of one institute settle an item of `owner`'s side: their own side's, and the
 * secondee's (HR of either side help their secondee). The other institute's items are that
 * institute's alone, as each institute holds its own key to an application.
 */
export function hrSettles(hrOf: InstituteSide, owner: OwnerSide): boolean {
  return owner === hrOf || owner === "SECONDEE";
}

export const MIN_DUE_OFFSET = -365;
export const MAX_DUE_OFFSET = 365;

const SETTLED: readonly StoredItemStatus[] = ["DONE", "WAIVED"];
export const isSettled = (s: StoredItemStatus) => SETTLED.includes(s);

type Dep = { id: string; dependsOn: readonly string[] };

/**
 * The first dependency cycle among the items, as the ids around it (first repeated at the end), or
 * null. Depth-first with colours; deterministic (items in the order given).
 */
export function findCycle(items: readonly Dep[]): string[] | null {
  const byId = new Map(items.map((i) => [i.id, i]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    const s = state.get(id);
    if (s === "done") return null;
    if (s === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, "done");
    return null;
  };
  for (const item of items) {
    const cycle = visit(item.id);
    if (cycle) return cycle;
  }
  return null;
}

/** Dependencies that name no item of the same list. */
export function unknownDependencies(items: readonly Dep[]): { id: string; missing: string }[] {
  const ids = new Set(items.map((i) => i.id));
  return items.flatMap((i) =>
    i.dependsOn.filter((d) => !ids.has(d)).map((missing) => ({ id: i.id, missing })),
  );
}

type Item = Dep & { status: StoredItemStatus };

/** Each item's shown status: BLOCKED while any dependency is neither done nor waived. */
export function effectiveStatuses(items: readonly Item[]): Map<string, ItemStatus> {
  const byId = new Map(items.map((i) => [i.id, i]));
  return new Map(
    items.map((i) => {
      if (isSettled(i.status)) return [i.id, i.status];
      const blocked = i.dependsOn.some((d) => {
        const dep = byId.get(d);
        return dep !== undefined && !isSettled(dep.status);
      });
      return [i.id, blocked ? "BLOCKED" : i.status];
    }),
  );
}

/**
 * Whether `actor` may move an item owned by `owner` from `from` (as shown) to `to`. Owners work their
 * own items; HR who settle the item (hrSettles) may do anything an owner may, and alone may waive
 * or reopen. Nothing moves while blocked except a waiver.
 */
export function canMoveItem(
  from: ItemStatus,
  to: StoredItemStatus,
  owner: OwnerSide,
  actor: ItemActor,
): boolean {
  const mayWork = actor === "HR" || actor === owner;
  switch (to) {
    case "IN_PROGRESS":
      return mayWork && from === "TODO";
    case "DONE":
      return mayWork && (from === "TODO" || from === "IN_PROGRESS");
    case "WAIVED":
      return actor === "HR" && (from === "TODO" || from === "IN_PROGRESS" || from === "BLOCKED");
    case "TODO":
      return actor === "HR" && (from === "DONE" || from === "WAIVED");
    default:
      return false;
  }
}

/** The due date: `offsetDays` from the start date (a calendar date, as the host counts days). */
export function dueDate(startDate: string, offsetDays: number): string {
  const d = new Date(`${startDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

/** Today's date in a time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now = clock.now()) {
  return dateIn(now, timeZone);
}

export type Progress = { done: number; total: number };

/** Settled items over all items, per owner side and overall (required and optional alike). */
export function progress(items: readonly { ownerSide: OwnerSide; status: StoredItemStatus }[]) {
  const per = Object.fromEntries(OWNER_SIDES.map((s) => [s, { done: 0, total: 0 }])) as Record<
    OwnerSide,
    Progress
  >;
  const overall: Progress = { done: 0, total: 0 };
  for (const i of items) {
    for (const p of [per[i.ownerSide], overall]) {
      p.total += 1;
      if (isSettled(i.status)) p.done += 1;
    }
  }
  return { per, overall };
}

/** What stands in the way of activation: every required item that is neither done nor waived. */
export function activationBlockers<T extends { required: boolean; status: StoredItemStatus }>(
  items: readonly T[],
): T[] {
  return items.filter((i) => i.required && !isSettled(i.status));
}

export const ITEM_STATUS_LABELS: Record<ItemStatus, string> = {
  TODO: "To do",
  IN_PROGRESS: "In progress",
  DONE: "Done",
  WAIVED: "Waived",
  BLOCKED: "Blocked",
};
export const OWNER_SIDE_LABELS: Record<OwnerSide, string> = {
  HOME: "Home institute",
  HOST: "Host institute",
  SECONDEE: "Secondee",
};
