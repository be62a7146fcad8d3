import { describe, expect, test } from "vitest";
import {
  activationBlockers,
  canMoveItem,
  dueDate,
  effectiveStatuses,
  findCycle,
  hrSettles,
  progress,
  todayIn,
  unknownDependencies,
  type ItemActor,
  type ItemStatus,
  type OwnerSide,
  type StoredItemStatus,
} from "~/modules/checklists/logic";
import {
  canMovePlacement,
  PLACEMENT_STATUSES,
  type PlacementMover,
} from "~/modules/placements/workflow";
import { ChecklistItemSchema, ItemMoveSchema } from "~/modules/checklists/schema";

describe("placement workflow", () => {
  const ALLOWED = new Set([
    "PLANNED>CLEARING:HOST_HR",
    "PLANNED>CLEARING:HOME_HR",
    "CLEARING>ACTIVE:HOST_HR",
    "ACTIVE>COMPLETED:HOST_HR",
    "PLANNED>CANCELLED:HOST_HR",
    "PLANNED>CANCELLED:HOME_HR",
    "CLEARING>CANCELLED:HOST_HR",
    "CLEARING>CANCELLED:HOME_HR",
    "ACTIVE>CANCELLED:HOST_HR",
    "ACTIVE>CANCELLED:HOME_HR",
  ]);
  test("every (from, to, mover) combination", () => {
    const wrong: string[] = [];
    for (const from of PLACEMENT_STATUSES)
      for (const to of PLACEMENT_STATUSES)
        for (const by of ["HOST_HR", "HOME_HR"] as PlacementMover[]) {
          const key = `${from}>${to}:${by}`;
          if (canMovePlacement(from, to, by) !== ALLOWED.has(key)) wrong.push(key);
        }
    expect(wrong).toEqual([]);
  });
});

describe("checklist items", () => {
  const SIDES: OwnerSide[] = ["HOME", "HOST", "SECONDEE"];
  const ACTORS: ItemActor[] = ["HOME", "HOST", "SECONDEE", "HR"];
  const SHOWN: ItemStatus[] = ["TODO", "IN_PROGRESS", "DONE", "WAIVED", "BLOCKED"];
  const TARGETS: StoredItemStatus[] = ["TODO", "IN_PROGRESS", "DONE", "WAIVED"];

  test("every (from, to, owner, actor) combination: owners work their own, HR alone waive and reopen", () => {
    const wrong: string[] = [];
    for (const from of SHOWN)
      for (const to of TARGETS)
        for (const owner of SIDES)
          for (const actor of ACTORS) {
            const works = actor === "HR" || actor === owner;
            const expected =
              (to === "IN_PROGRESS" && works && from === "TODO") ||
              (to === "DONE" && works && (from === "TODO" || from === "IN_PROGRESS")) ||
              (to === "WAIVED" &&
                actor === "HR" &&
                ["TODO", "IN_PROGRESS", "BLOCKED"].includes(from)) ||
              (to === "TODO" && actor === "HR" && (from === "DONE" || from === "WAIVED"));
            if (canMoveItem(from, to, owner, actor) !== expected)
              wrong.push(`${from}>${to} owner ${owner} by ${actor}`);
          }
    expect(wrong).toEqual([]);
    // Spot checks, in words: a blocked item cannot be completed by anyone, even HR.
    for (const actor of ACTORS) expect(canMoveItem("BLOCKED", "DONE", "HOST", actor)).toBe(false);
    expect(canMoveItem("TODO", "DONE", "HOST", "HOME")).toBe(false);
  });

  test("HR settle their own institute's side and the secondee's, never the other institute's", () => {
    const table = (["HOME", "HOST"] as const).flatMap((hr) =>
      SIDES.map((owner) => `${hr} HR on ${owner}: ${hrSettles(hr, owner)}`),
    );
    expect(table).toEqual([
      "HOME HR on HOME: true",
      "HOME HR on HOST: false",
      "HOME HR on SECONDEE: true",
      "HOST HR on HOME: false",
      "HOST HR on HOST: true",
      "HOST HR on SECONDEE: true",
    ]);
  });

  test("a dependency cycle is found and named; a chain is not a cycle", () => {
    expect(
      findCycle([
        { id: "vetting", dependsOn: [] },
        { id: "nda", dependsOn: [] },
        { id: "it", dependsOn: ["vetting", "nda"] },
      ]),
    ).toBeNull();
    expect(
      findCycle([
        { id: "a", dependsOn: ["b"] },
        { id: "b", dependsOn: ["c"] },
        { id: "c", dependsOn: ["a"] },
      ]),
    ).toEqual(["a", "b", "c", "a"]);
    expect(findCycle([{ id: "self", dependsOn: ["self"] }])).toEqual(["self", "self"]);
    expect(
      findCycle([
        { id: "x", dependsOn: [] },
        { id: "y", dependsOn: ["z"] },
        { id: "z", dependsOn: ["y"] },
      ]),
    ).toEqual(["y", "z", "y"]);
  });

  test("dependencies on items of another list are reported", () => {
    expect(
      unknownDependencies([
        { id: "a", dependsOn: ["b"] },
        { id: "b", dependsOn: ["elsewhere"] },
      ]),
    ).toEqual([{ id: "b", missing: "elsewhere" }]);
  });

  test("an item is blocked while a dependency is open, and unblocks when it is done or waived", () => {
    const items = (vetting: StoredItemStatus, nda: StoredItemStatus) => [
      { id: "vetting", dependsOn: [], status: vetting },
      { id: "nda", dependsOn: [], status: nda },
      { id: "it", dependsOn: ["vetting", "nda"], status: "TODO" as const },
    ];
    expect(effectiveStatuses(items("TODO", "DONE")).get("it")).toBe("BLOCKED");
    expect(effectiveStatuses(items("IN_PROGRESS", "DONE")).get("it")).toBe("BLOCKED");
    expect(effectiveStatuses(items("DONE", "TODO")).get("it")).toBe("BLOCKED");
    expect(effectiveStatuses(items("DONE", "DONE")).get("it")).toBe("TODO");
    expect(effectiveStatuses(items("WAIVED", "DONE")).get("it")).toBe("TODO");
    // A settled item is shown as settled whatever its dependencies.
    const done = [
      { id: "a", dependsOn: ["b"], status: "DONE" as const },
      { id: "b", dependsOn: [], status: "TODO" as const },
    ];
    expect(effectiveStatuses(done).get("a")).toBe("DONE");
  });

  test("due dates count calendar days from the start date, across month and year ends", () => {
    // Fixed days: the calendar's shape is the point (a year end, 2028's leap day); no clock read.
    expect(dueDate("2027-03-01", -60)).toBe("2026-12-31");
    expect(dueDate("2027-03-01", 0)).toBe("2027-03-01");
    expect(dueDate("2028-02-28", 1)).toBe("2028-02-29");
    expect(dueDate("2027-01-15", 30)).toBe("2027-02-14");
  });

  test("progress per side and overall; the activation gate names what is left", () => {
    const items = [
      { id: "1", ownerSide: "HOME" as const, status: "DONE" as const, required: true },
      { id: "2", ownerSide: "HOME" as const, status: "TODO" as const, required: true },
      { id: "3", ownerSide: "HOST" as const, status: "WAIVED" as const, required: true },
      { id: "4", ownerSide: "SECONDEE" as const, status: "IN_PROGRESS" as const, required: false },
    ];
    expect(progress(items)).toEqual({
      per: {
        HOME: { done: 1, total: 2 },
        HOST: { done: 1, total: 1 },
        SECONDEE: { done: 0, total: 1 },
      },
      overall: { done: 2, total: 4 },
    });
    expect(activationBlockers(items).map((i) => i.id)).toEqual(["2"]);
    expect(activationBlockers(items.filter((i) => i.id !== "2"))).toEqual([]);
  });
});

test("an item move posted without the fields its form did not show is still valid", () => {
  const parsed = ItemMoveSchema.safeParse({ to: "IN_PROGRESS", version: "0" });
  expect(parsed.success).toBe(true);
  expect(parsed.data).toMatchObject({ verifiedBy: "", reason: "", expiresOn: "" });
  expect(
    // A day no calendar has (a fixed fact).
    ItemMoveSchema.safeParse({ to: "DONE", version: "0", verifiedOn: "2027-02-30" }).success,
  ).toBe(false);
});

test("due offsets out of range or not whole days are refused with a message", () => {
  const base = {
    title: "Visa",
    guidance: "",
    ownerSide: "SECONDEE",
    required: "true",
    evidenceKind: "ATTESTATION",
    dependsOn: [],
  };
  const error = (dueOffsetDays: string) => {
    const r = ChecklistItemSchema.safeParse({ ...base, dueOffsetDays });
    return r.success ? null : r.error.issues[0]!.message;
  };
  expect(error("-400")).toBe("Days must be between -365 and 365");
  expect(error("366")).toBe("Days must be between -365 and 365");
  expect(error("1.5")).toBe("Enter a whole number of days (negative for before the start)");
  expect(error("soon")).toBe("Enter a whole number of days (negative for before the start)");
  expect(error("-60")).toBeNull();
});

test("today is the host's calendar date, whatever zone asked before", () => {
  // Fixed instants either side of midnight in the three zones, passed in: the clock is not read.
  const late = new Date("2026-11-27T23:30:00Z");
  const early = new Date("2026-11-28T02:00:00Z");
  expect(todayIn("Asia/Tokyo", late)).toBe("2026-11-28");
  expect(todayIn("America/New_York", late)).toBe("2026-11-27");
  expect(todayIn("Europe/London", late)).toBe("2026-11-27");
  // The same zones again, at another instant (their formatters are reused).
  expect(todayIn("America/New_York", early)).toBe("2026-11-27");
  expect(todayIn("Europe/London", early)).toBe("2026-11-28");
  expect(todayIn("Asia/Tokyo", early)).toBe("2026-11-28");
  expect(() => todayIn("Not/AZone", late)).toThrow(RangeError);
});
