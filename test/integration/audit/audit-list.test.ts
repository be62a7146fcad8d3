import { expect, test } from "vitest";
import { createWorld } from "#test/factories";
import { db } from "~/lib/db.server";
import { auditActions, listAuditEvents, recordAuditNow } from "~/modules/audit/audit.server";
import { AuditFilterSchema } from "~/modules/audit/schema";

test("the audit list filters by whole UTC days, ignores impossible dates, and is for admins only", async () => {
  const world = await createWorld(db);
  const admin = { ...world.admin, roles: world.admin.roles, instituteId: world.admin.instituteId };
  await recordAuditNow({ actor: admin, action: "user.updated" });
  // The UTC day the event was recorded on (read back, so that a run across midnight is no matter).
  const { at } = await db.auditEvent.findFirstOrThrow({
    where: { action: "user.updated", actorId: admin.id },
    orderBy: { seq: "desc" },
  });
  const today = at.toISOString().slice(0, 10);

  const sameDay = await listAuditEvents(admin, AuditFilterSchema.parse({ from: today, to: today }));
  expect(sameDay.events.map((e) => e.action)).toContain("user.updated");

  // 2026-02-31 is not a day (a fixed fact, whatever today is): it is dropped rather than sent to
  // the database as an invalid date.
  const impossible = AuditFilterSchema.parse({ from: "2026-02-31", to: "9999-99-99", page: "x" });
  expect(impossible).toEqual({
    action: undefined,
    actor: undefined,
    from: undefined,
    to: undefined,
    page: undefined,
  });
  expect((await listAuditEvents(admin, impossible)).total).toBeGreaterThan(0);

  const staff = {
    ...world.usStaff,
    roles: world.usStaff.roles,
    instituteId: world.usStaff.instituteId,
  };
  for (const call of [() => listAuditEvents(staff, {}), () => auditActions(staff)]) {
    await expect(call()).rejects.toMatchObject({ status: 404 });
  }
});
