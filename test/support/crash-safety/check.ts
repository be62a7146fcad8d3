// Checking the database after a kill: every acknowledged write is there, the state is the last
// acknowledged one (or the one in flight), the audit chain verifies; and the deliberate sabotage
// that shows the check notices.
import { useDatabase as pointAppAt, type Database } from "~/lib/db.server";
import { verifyAuditChain } from "~/modules/audit/audit.server";
import { SABOTAGE } from "#test/support/crash-safety/settings";
import { type ItemStatus, Ledger } from "#test/support/crash-safety/ledger";

// ---------------------------------------------------------------- checking the database

type Sql = <T>(sql: string) => Promise<T[]>;

export function sqlOf(database: Database): Sql {
  return <T>(sql: string) => database.prisma.$queryRawUnsafe<T[]>(sql);
}

type CheckResult = {
  present: number;
  lost: string[];
  inFlightCommitted: number;
  inFlightNotCommitted: number;
  auditChecked: number;
  auditBreak: string | null;
};

/**
 * Compares the database with the ledger, then brings the ledger to what the database holds (a write
 * in flight at the kill may or may not have committed), so that the loops carry on from there.
 */
export async function checkAndResync(database: Database, ledger: Ledger): Promise<CheckResult> {
  const sql = sqlOf(database);
  const lost: string[] = [];
  let present = 0;
  let inFlightCommitted = 0;
  let inFlightNotCommitted = 0;

  const audit = await sql<{ action: string; targetId: string; to: string | null }>(
    `SELECT action, "targetId", details->>'to' AS "to" FROM "AuditEvent"
     WHERE action IN ('application.start', 'application.transition', 'checklist.item.status')
     ORDER BY seq`,
  );
  const auditBy = new Map<string, { action: string; to: string | null }[]>();
  for (const a of audit) {
    const list = auditBy.get(a.targetId) ?? [];
    list.push(a);
    auditBy.set(a.targetId, list);
  }

  // Applications
  const apps = await sql<{
    id: string;
    applicantId: string;
    postingId: string;
    status: string;
    version: number;
    statement: string;
  }>(
    `SELECT id, "applicantId", "postingId", status::text AS status, version::int AS version, statement FROM "Application"`,
  );
  const appRows = new Map(apps.map((a) => [`${a.applicantId}/${a.postingId}`, a]));
  const submittedEvents = new Set(
    (
      await sql<{ applicationId: string }>(
        `SELECT "applicationId" FROM "ApplicationEvent" WHERE "toStatus"::text = 'SUBMITTED'`,
      )
    ).map((e) => e.applicationId),
  );
  const mails = await sql<{ app: string | null; n: number }>(
    `SELECT substring(text from '/applications/([a-z0-9]+)') AS app, count(*)::int AS n
     FROM "OutboxEmail" GROUP BY 1`,
  );
  const mailsFor = new Map(mails.map((m) => [m.app ?? "", m.n]));
  for (const [key, app] of ledger.apps) {
    const row = appRows.get(key);
    if (app.startAcked) {
      const audited = (auditBy.get(app.id!) ?? []).some((a) => a.action === "application.start");
      if (row?.id === app.id && audited) present++;
      else
        lost.push(
          `application ${app.id} (started, acknowledged): ${row ? `row ${row.id}` : "no row"}, audit event ${audited ? "present" : "missing"}`,
        );
    }
    if (app.submitAcked) {
      const ok =
        row?.id === app.id &&
        row.status === "SUBMITTED" &&
        row.statement.includes(app.submitToken) &&
        submittedEvents.has(app.id!) &&
        (auditBy.get(app.id!) ?? []).some(
          (a) => a.action === "application.transition" && a.to === "SUBMITTED",
        ) &&
        (mailsFor.get(app.id!) ?? 0) >= 2;
      if (ok) present++;
      else
        lost.push(
          `application ${app.id} (submitted with ${app.submitToken}, acknowledged): ${row ? `${row.status}, statement ${row.statement.includes(app.submitToken) ? "has" : "lacks"} the token, timeline ${submittedEvents.has(app.id!)}, ${mailsFor.get(app.id!) ?? 0} emails` : "no row"}`,
        );
    }
    // Resync: whatever happened to a request without an answer, carry on from the database.
    if (app.pendingStart) {
      if (row) inFlightCommitted++;
      else inFlightNotCommitted++;
    }
    if (app.pendingSubmit !== null) {
      if (row?.status === "SUBMITTED" && row.statement.includes(app.pendingSubmit))
        inFlightCommitted++;
      else inFlightNotCommitted++;
    }
    app.pendingStart = false;
    app.pendingSubmit = null;
    if (row) {
      app.id = row.id;
      app.status = row.status;
      app.version = row.version;
    } else {
      app.id = null;
      app.status = "NONE";
      app.version = 0;
    }
  }

  // Checklist items: each acknowledged move is the audit event of its version; the row holds the
  // last acknowledged move, or the move that was in flight.
  const items = await sql<{ id: string; status: ItemStatus; version: number; verifiedBy: string }>(
    `SELECT id, status::text AS status, version::int AS version, "verifiedBy" FROM "ChecklistItem"`,
  );
  const itemRows = new Map(items.map((i) => [i.id, i]));
  for (const [id, item] of ledger.items) {
    const row = itemRows.get(id)!;
    const events = (auditBy.get(id) ?? []).filter((a) => a.action === "checklist.item.status");
    for (const [version, move] of item.history) {
      if (!move.acked) continue;
      if (row.version >= version && events[version - 1]?.to === move.status) present++;
      else
        lost.push(
          `checklist item ${id} version ${version} (${move.status}${move.token ? ` by ${move.token}` : ""}, acknowledged): row at version ${row.version}, audit event ${events[version - 1]?.to ?? "missing"}`,
        );
    }
    if (events.length !== row.version)
      lost.push(
        `checklist item ${id}: at version ${row.version} with ${events.length} audit events`,
      );
    const sameAsKnown =
      row.version === item.version &&
      row.status === item.status &&
      (row.status !== "DONE" || row.verifiedBy === item.token);
    const inFlight =
      item.pending !== null &&
      row.version === item.version + 1 &&
      row.status === item.pending.status &&
      (row.status !== "DONE" || row.verifiedBy === item.pending.token);
    if (inFlight) {
      inFlightCommitted++;
      item.history.set(row.version, {
        status: row.status,
        token: item.pending!.token,
        acked: false,
      });
      item.version = row.version;
      item.status = row.status;
      item.token = row.status === "DONE" ? row.verifiedBy : item.token;
    } else if (!sameAsKnown) {
      lost.push(
        `checklist item ${id}: expected version ${item.version} ${item.status}, found version ${row.version} ${row.status}`,
      );
      item.version = row.version;
      item.status = row.status;
    } else if (item.pending) inFlightNotCommitted++;
    item.pending = null;
  }

  // Pages: each acknowledged save is a page version carrying its token.
  const versions = await sql<{ pageId: string; version: number; body: string }>(
    `SELECT "pageId", version::int AS version, body FROM "PageVersion"`,
  );
  const versionRows = new Map(versions.map((v) => [`${v.pageId}/${v.version}`, v.body]));
  const pageRows = new Map(
    (
      await sql<{ id: string; version: number; body: string }>(
        `SELECT id, version::int AS version, body FROM "WorkspacePage"`,
      )
    ).map((p) => [p.id, p]),
  );
  for (const [id, page] of ledger.pages) {
    const row = pageRows.get(id)!;
    for (const [version, save] of page.history) {
      if (!save.acked) continue;
      if (versionRows.get(`${id}/${version}`)?.includes(save.token) && row.version >= version)
        present++;
      else lost.push(`page ${id} version ${version} (${save.token}, acknowledged): missing`);
    }
    const inFlight =
      page.pending !== null &&
      row.version === page.version + 1 &&
      row.body.includes(page.pending.token);
    if (inFlight) {
      inFlightCommitted++;
      page.history.set(row.version, { token: page.pending!.token, acked: false });
      page.version = row.version;
      page.token = page.pending!.token;
    } else if (row.version !== page.version || (page.token && !row.body.includes(page.token))) {
      lost.push(`page ${id}: expected version ${page.version}, found ${row.version}`);
      page.version = row.version;
    } else if (page.pending) inFlightNotCommitted++;
    page.pending = null;
  }

  pointAppAt(database);
  const chain = await verifyAuditChain();
  return {
    present,
    lost,
    inFlightCommitted,
    inFlightNotCommitted,
    auditChecked: chain.checked,
    auditBreak: chain.firstBreak
      ? `event #${chain.firstBreak.seq}: ${chain.firstBreak.reason}`
      : null,
  };
}

/** For CRASH_SABOTAGE: removes an acknowledged write (or edits an audit event) behind the app's back. */
export async function sabotage(database: Database, ledger: Ledger) {
  const exec = (sql: string) => database.prisma.$executeRawUnsafe(sql);
  if (SABOTAGE === "audit") {
    // The database refuses to change an event (a trigger): someone with the owner's rights
    // switches that off first.
    await exec(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    await exec(
      `UPDATE "AuditEvent" SET details = '{"tampered": true}' WHERE seq = (SELECT max(seq) FROM "AuditEvent")`,
    );
    await exec(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    return "edited the latest audit event";
  }
  const acked = [...ledger.pages].find(([, p]) => [...p.history.values()].some((h) => h.acked));
  if (!acked) return "nothing to delete yet (no page edit acknowledged)";
  const [pageId, page] = acked;
  const version = [...page.history].filter(([, h]) => h.acked).at(-1)![0];
  await exec(`DELETE FROM "PageVersion" WHERE "pageId" = '${pageId}' AND version = ${version}`);
  return `deleted version ${version} of page ${pageId}`;
}
