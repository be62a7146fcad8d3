import { beforeEach, describe, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { expectedHash, GENESIS_HASH, personalDigest } from "~/modules/audit/chain";
import { recordAudit, recordAuditNow, verifyAuditChain } from "~/modules/audit/audit.server";

const actor = { id: "user-ada", email: "ada@example.org", instituteId: "inst-uk" };

async function withTriggerDisabled(sql: string) {
  await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
  try {
    return await db.$executeRawUnsafe(sql);
  } finally {
    await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
  }
}

/**
 * The database's own words for an error. Through the PGlite adapter, Prisma's message omits them
 * ("Message: `undefined`"), but the driver error it carries has them.
 */
function databaseMessage(error: unknown) {
  const e = error as { message?: string; meta?: { driverAdapterError?: { message?: string } } };
  return `${e.message ?? ""}\n${e.meta?.driverAdapterError?.message ?? ""}`;
}

function chain() {
  return db.auditEvent.findMany({ orderBy: { seq: "asc" } });
}

/** Five events, as a morning of use might leave them. Returns their seqs in order. */
async function recordFive() {
  await recordAuditNow({ actor, action: "auth.signin.succeeded", ipAddress: "192.0.2.1" });
  await recordAuditNow({
    actorEmail: "mallory@evil.example",
    action: "auth.signin.failed",
    details: { reason: "bad_password" },
  });
  await recordAuditNow({
    actor,
    action: "user.roles.changed",
    targetType: "User",
    targetId: "user-bob",
    details: { added: ["ADMIN"], removed: [] },
  });
  await recordAuditNow({
    actor,
    action: "cv.downloaded",
    targetType: "Application",
    targetId: "a1",
  });
  await recordAuditNow({ actor, action: "auth.signout" });
  return (await chain()).map((r) => r.seq);
}

beforeEach(async () => {
  // Each test starts with an empty log (only possible with the guard off).
  await withTriggerDisabled(`TRUNCATE "AuditEvent" RESTART IDENTITY`);
});

describe("the audit chain", () => {
  test("each event links to the hash of the one before; the first to the genesis hash", async () => {
    await recordFive();
    const rows = await chain();

    expect(rows).toHaveLength(5);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(5);
    for (const row of rows) expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    // The hash covers what the event says, so it can be recomputed from the row alone.
    const row = rows[2]!;
    expect(expectedHash(row.prevHash, row)).toBe(row.hash);
    // Personal values enter the hash through a salted digest, so they can later be erased.
    expect(row.personalDigest).toBe(personalDigest(row.personalSalt, row));
    expect(rows[2]).toMatchObject({
      actorId: actor.id,
      actorEmail: actor.email,
      instituteId: actor.instituteId,
      action: "user.roles.changed",
      details: { added: ["ADMIN"], removed: [] },
    });
  });

  test("verification passes on an untouched log, and on an empty one", async () => {
    expect(await verifyAuditChain()).toEqual({ checked: 0, firstBreak: null });
    await recordFive();
    expect(await verifyAuditChain()).toEqual({ checked: 5, firstBreak: null });
    // Walking in small batches gives the same answer.
    expect(await verifyAuditChain(2)).toEqual({ checked: 5, firstBreak: null });
  });

  test("an event edited directly in the database is reported as the first break", async () => {
    const seqs = await recordFive();
    const edited = seqs[2]!;
    // Hide the escalation: make the role change look harmless.
    const changed = await withTriggerDisabled(
      `UPDATE "AuditEvent" SET "details" = '{"added": [], "removed": []}' WHERE "seq" = ${edited}`,
    );
    expect(changed).toBe(1);

    const result = await verifyAuditChain();
    expect(result.firstBreak).toEqual({ seq: edited, reason: expect.stringMatching(/edited/) });
    expect(result.checked).toBe(2);
  });

  test("an edit that also recomputes the row's own hash is caught at the next row", async () => {
    const seqs = await recordFive();
    const rows = await chain();
    const target = rows[1]!;
    const actorEmail = "someone.else@example.org";
    const digest = personalDigest(target.personalSalt, { ...target, actorEmail });
    const forged = expectedHash(target.prevHash, { ...target, actorEmail, personalDigest: digest });
    await withTriggerDisabled(
      `UPDATE "AuditEvent" SET "actorEmail" = '${actorEmail}', "personalDigest" = '${digest}', "hash" = '${forged}' WHERE "seq" = ${target.seq}`,
    );

    const result = await verifyAuditChain();
    expect(result.firstBreak).toEqual({ seq: seqs[2], reason: expect.stringMatching(/removed/) });
  });

  test("a deleted event is detected at the event that followed it", async () => {
    const seqs = await recordFive();
    const removed = await withTriggerDisabled(`DELETE FROM "AuditEvent" WHERE "seq" = ${seqs[2]}`);
    expect(removed).toBe(1);

    const result = await verifyAuditChain();
    expect(result).toEqual({
      checked: 2,
      firstBreak: { seq: seqs[3], reason: expect.stringMatching(/removed or inserted/) },
    });
  });

  test("the database refuses to update, delete or truncate events", async () => {
    const seqs = await recordFive();
    const before = await chain();

    const attempts = [
      () =>
        db.$executeRawUnsafe(
          `UPDATE "AuditEvent" SET "action" = 'nothing' WHERE "seq" = ${seqs[1]}`,
        ),
      () => db.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "seq" = ${seqs[1]}`),
      () =>
        db.auditEvent.update({ where: { seq: seqs[0]! }, data: { actorEmail: "x@example.org" } }),
      () => db.auditEvent.deleteMany({}),
      () => db.$executeRawUnsafe(`TRUNCATE "AuditEvent"`),
    ];
    for (const attempt of attempts) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, attempt.toString()).not.toBeNull();
      expect(databaseMessage(error)).toMatch(/AuditEvent is append-only/);
    }

    expect(await chain()).toEqual(before);
    expect(await verifyAuditChain()).toEqual({ checked: 5, firstBreak: null });
  });

  test("20 events recorded at once still form one unbroken chain", async () => {
    await recordAuditNow({ actor, action: "before" });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordAuditNow({ actor, action: "application.transition", details: { n: i } }),
      ),
    );
    const rows = await chain();

    expect(rows).toHaveLength(21);
    // No two events claim the same predecessor (no fork), and every one is in the walk.
    expect(new Set(rows.map((r) => r.prevHash)).size).toBe(21);
    expect(new Set(rows.map((r) => (r.details as { n?: number }).n))).toEqual(
      new Set([undefined, ...Array.from({ length: 20 }, (_, i) => i)]),
    );
    expect(await verifyAuditChain()).toEqual({ checked: 21, firstBreak: null });
  });

  test("an event recorded in a transaction that rolls back leaves no trace and no gap", async () => {
    await recordAuditNow({ actor, action: "first" });
    await expect(
      db.$transaction(async (tx) => {
        await recordAudit(tx, { actor, action: "user.updated" });
        throw new Error("the change itself failed");
      }),
    ).rejects.toThrow("the change itself failed");
    await recordAuditNow({ actor, action: "second" });

    expect((await chain()).map((r) => r.action)).toEqual(["first", "second"]);
    expect(await verifyAuditChain()).toEqual({ checked: 2, firstBreak: null });
  });
});
