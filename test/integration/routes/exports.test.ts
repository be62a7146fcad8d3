import { beforeAll, describe, expect, test } from "vitest";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { turnOfTheLoop } from "#test/support/event-loop";
import { dayAfter } from "#test/support/clock";
import { db } from "~/lib/db.server";
import { recordAudit, recordAuditNow } from "~/modules/audit/audit.server";
import * as auditExport from "~/routes/admin/admin.audit.export";
import * as placementsExport from "~/routes/placements/placements.export";
import {
  advance,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";
import { call, get, sessionCookieFor, statusOf } from "#test/support/route-harness";

let w: World;
const cookies: Record<string, string> = {};

/** Parses our CSV (every cell quoted, CRLF rows) into rows of cells. */
function parseCsv(text: string) {
  return text
    .split("\r\n")
    .filter(Boolean)
    .map((line) =>
      [...line.matchAll(/"((?:[^"]|"")*)"(?:,|$)/g)].map((m) => m[1]!.replace(/""/g, '"')),
    );
}

async function download(route: { loader: unknown }, path: string, cookie: string) {
  const response = (await call(route.loader, get(path, cookie))) as Response;
  return { response, text: await response.text() };
}

beforeAll(async () => {
  w = await createPipelineWorld();
  await ensureChecklistTemplate(db, {
    hostInstituteId: w.us.id,
    homeInstituteId: w.uk.id,
    name: "Incoming from the UK",
    items: US_HOST_CHECKLIST,
  });
  const postingId = await openPosting(w, { places: 3 });
  const applicationId = await submittedApplication(w, postingId);
  await advance(w, applicationId, [
    "HOME_RELEASED",
    "UNDER_REVIEW",
    "SHORTLISTED",
    "OFFERED",
    "ACCEPTED",
  ]);
  for (const who of ["hostHr", "homeHr", "jpHr", "admin", "usStaff"] as const)
    cookies[who] = await sessionCookieFor(w[who].id);
});

describe("placements and checklist status (HR)", () => {
  test("host and home HR each get their institute's placement; another institute's HR get none", async () => {
    const host = await download(placementsExport, "/placements/export", cookies.hostHr!);
    expect(host.response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="US-AISI-placements-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const hostRows = parseCsv(host.text);
    expect(hostRows[0]![0]).toBe("Placement");
    expect(hostRows).toHaveLength(2);
    expect(hostRows[1]).toContain("Amir Applicant");
    const home = parseCsv(
      (await download(placementsExport, "/placements/export", cookies.homeHr!)).text,
    );
    expect(home.slice(1)).toEqual(hostRows.slice(1));
    const other = parseCsv(
      (await download(placementsExport, "/placements/export", cookies.jpHr!)).text,
    );
    expect(other).toHaveLength(1);
  });

  test("the checklist export has one row per item, with owner, status and due date", async () => {
    const { text } = await download(
      placementsExport,
      "/placements/export?what=checklist",
      cookies.hostHr!,
    );
    const rows = parseCsv(text);
    const placement = await db.placement.findFirstOrThrow({ where: { hostInstituteId: w.us.id } });
    const items = await db.checklistItem.count({ where: { placementId: placement.id } });
    expect(items).toBeGreaterThan(3);
    expect(rows).toHaveLength(items + 1);
    expect(rows[0]).toEqual([
      "Placement",
      "Secondee",
      "Home institute",
      "Host institute",
      "Placement status",
      "Item",
      "Owner",
      "Required",
      "Status",
      "Due",
      "Overdue",
      "Completed at",
      "Waived because",
    ]);
    // Items waiting on another show as blocked, as on the placement page.
    expect(rows.slice(1).map((r) => r[8])).toContain("BLOCKED");
    const jp = parseCsv(
      (await download(placementsExport, "/placements/export?what=checklist", cookies.jpHr!)).text,
    );
    expect(jp).toHaveLength(1);
  });

  test("staff and admins who are not HR get a 404; each export is audited", async () => {
    for (const who of ["usStaff", "admin"]) {
      const r = await statusOf(() =>
        call(placementsExport.loader, get("/placements/export", cookies[who]!)),
      );
      expect(r.status, who).toBe(404);
    }
    const audited = await db.auditEvent.findMany({
      where: { action: { in: ["placements.export", "checklists.export"] } },
    });
    expect(audited.length).toBeGreaterThanOrEqual(2);
  });
});

describe("audit log export (admins)", () => {
  test("CSV and JSON hold exactly the events the filters select, oldest first", async () => {
    await recordAuditNow({ actorEmail: "=cmd|' /C calc'!A0", action: "export.test.one" });
    await recordAuditNow({
      actorEmail: "b@example.gov",
      action: "export.test.two",
      details: { format: "csv", count: 2 },
      personal: { name: "Ann Example", reason: 'moved, "urgent"' },
    });
    await recordAuditNow({ actorEmail: "c@example.gov", action: "other.event" });
    const expected = await db.auditEvent.findMany({
      where: { action: { startsWith: "export.test" } },
      orderBy: { seq: "asc" },
    });
    expect(expected).toHaveLength(2);

    const csv = await download(
      auditExport,
      "/admin/audit/export?action=export.test",
      cookies.admin!,
    );
    expect(csv.response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(csv.response.headers.get("Content-Disposition")).toMatch(/^attachment; /);
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual([
      "seq",
      "at",
      "actorEmail",
      "action",
      "targetType",
      "targetId",
      "instituteId",
      "ipAddress",
      "details",
      "personal",
      "erasedAt",
      "hash",
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[3], r[11]])).toEqual(
      expected.map((e) => [e.seq.toString(), e.action, e.hash]),
    );
    // JSON columns are readable JSON, not "[object Object]".
    expect(csv.text).not.toContain("[object Object]");
    const personal = rows[0]!.indexOf("personal");
    expect(JSON.parse(rows[2]![personal]!)).toEqual({
      name: "Ann Example",
      reason: 'moved, "urgent"',
    });
    expect(JSON.parse(rows[2]![rows[0]!.indexOf("details")]!)).toEqual({ format: "csv", count: 2 });
    // A cell a spreadsheet would run as a formula stays text.
    expect(rows[1]![2]).toBe("'=cmd|' /C calc'!A0");

    const json = await download(
      auditExport,
      "/admin/audit/export?action=export.test&format=json",
      cookies.admin!,
    );
    const parsed = JSON.parse(json.text) as { seq: string; action: string; actorEmail: string }[];
    expect(parsed.map((e) => [e.seq, e.action])).toEqual(
      expected.map((e) => [e.seq.toString(), e.action]),
    );
    expect(parsed[0]!.actorEmail).toBe("=cmd|' /C calc'!A0");

    const none = JSON.parse(
      (
        await download(
          auditExport,
          "/admin/audit/export?action=no.such&format=json",
          cookies.admin!,
        )
      ).text,
    );
    expect(none).toEqual([]);
  });

  test("filters by day and actor; a log longer than one batch comes out whole", async () => {
    await db.$transaction(
      async (tx) => {
        for (let i = 0; i < 1205; i++) {
          // A long run of inserts: let the event loop turn now and then (see event-loop.ts).
          if (i % 100 === 0) await turnOfTheLoop();
          await recordAudit(tx, { actorEmail: "bulk@example.gov", action: "bulk.event" });
        }
      },
      { timeout: 120_000 },
    );
    const { text } = await download(
      auditExport,
      "/admin/audit/export?actor=bulk%40example.gov&format=json",
      cookies.admin!,
    );
    const events = JSON.parse(text) as { seq: string }[];
    expect(events).toHaveLength(1205);
    expect(new Set(events.map((e) => e.seq)).size).toBe(1205);
    // From the day after tomorrow: later than every event of this test.
    const future = JSON.parse(
      (
        await download(
          auditExport,
          `/admin/audit/export?from=${dayAfter(2)}&format=json`,
          cookies.admin!,
        )
      ).text,
    );
    expect(future).toEqual([]);
  });

  test("anyone but an admin gets a 404, and the export itself is audited", async () => {
    for (const who of ["hostHr", "usStaff"]) {
      const r = await statusOf(() =>
        call(auditExport.loader, get("/admin/audit/export", cookies[who]!)),
      );
      expect(r.status, who).toBe(404);
    }
    const exports = await db.auditEvent.findMany({ where: { action: "audit.export" } });
    expect(exports.length).toBeGreaterThanOrEqual(4);
    expect(exports.every((e) => e.actorId === w.admin.id)).toBe(true);
  });
});
