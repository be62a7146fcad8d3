import { expect, test } from "vitest";
import { assertHrOf, hasRole, isAdmin, isHrOf, mustResistPhishing } from "~/lib/permissions";

const usHr = { roles: ["STAFF", "HR"] as const, instituteId: "us" };
const ukHr = { roles: ["STAFF", "HR"] as const, instituteId: "uk" };
const usStaff = { roles: ["STAFF"] as const, instituteId: "us" };
const admin = { roles: ["STAFF", "ADMIN"] as const, instituteId: "uk" };

function status(fn: () => void) {
  try {
    fn();
    return 200;
  } catch (error) {
    return (error as Response).status;
  }
}

test("HR act only for their own institute; others get a 404, not a 403", () => {
  expect(isHrOf({ ...usHr, roles: [...usHr.roles] }, "us")).toBe(true);
  expect(isHrOf({ ...ukHr, roles: [...ukHr.roles] }, "us")).toBe(false);
  expect(isHrOf({ ...usStaff, roles: [...usStaff.roles] }, "us")).toBe(false);
  expect(status(() => assertHrOf({ ...usHr, roles: [...usHr.roles] }, "us"))).toBe(200);
  expect(status(() => assertHrOf({ ...ukHr, roles: [...ukHr.roles] }, "us"))).toBe(404);
  // An administrator is not an HR coordinator of every institute.
  expect(status(() => assertHrOf({ ...admin, roles: [...admin.roles] }, "uk"))).toBe(404);
});

test("HR and ADMIN must have two-step verification; staff may choose", () => {
  expect(mustResistPhishing({ roles: ["STAFF", "HR"] })).toBe(true);
  expect(mustResistPhishing({ roles: ["STAFF", "ADMIN"] })).toBe(true);
  expect(mustResistPhishing({ roles: ["STAFF"] })).toBe(false);
  expect(isAdmin({ roles: ["STAFF", "ADMIN"] })).toBe(true);
  expect(hasRole({ roles: ["STAFF"] }, "HR")).toBe(false);
});
