import type { Prisma } from "~/generated/prisma/client";
import { db, likeLiteral } from "~/lib/db.server";
import { requireRateLimit } from "~/lib/rate-limits.server";
import { csvLine } from "~/lib/csv";
import { assertAdmin, type Actor } from "~/lib/permissions";
import { randomBytes } from "node:crypto";
import { chainHash, expectedHash, GENESIS_HASH, personalDigest, personalIntact } from "./chain";
import { readDistinctActions } from "./queries.server";
import type { AuditFilterParams } from "./schema";
import { clock } from "~/lib/clock";
import { utcDayRange } from "~/lib/time-zones";

type Tx = Prisma.TransactionClient;

// Serialises appends so that each row links to the one before it, across processes.
export const AUDIT_LOCK_KEY = 727_073_691;

export type AuditInput = {
  actor?: Pick<Actor, "id" | "email" | "instituteId"> | null;
  /** For events without a signed-in actor, e.g. a failed sign-in: the address typed. */
  actorEmail?: string;
  action: string;
  targetType?: string;
  targetId?: string;
  instituteId?: string | null;
  ipAddress?: string;
  details?: Record<string, unknown>;
  /** Values that identify a person other than the actor (an invitee's address): erasable. */
  personal?: Record<string, unknown>;
};

/** Appends one event to the chain. Call inside the transaction of the change it records. */
export async function recordAudit(tx: Tx, input: AuditInput) {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const personal = JSON.parse(JSON.stringify(input.personal ?? {})) as Prisma.InputJsonObject;
  const actorEmail = (input.actor?.email ?? input.actorEmail ?? "").slice(0, 320);
  const ipAddress = (input.ipAddress ?? "").slice(0, 64);
  const personalSalt = randomBytes(16).toString("hex");
  const fields = {
    at: clock.now(),
    actorId: input.actor?.id ?? null,
    action: input.action,
    targetType: input.targetType ?? "",
    targetId: input.targetId ?? "",
    instituteId: input.instituteId ?? input.actor?.instituteId ?? null,
    details: JSON.parse(JSON.stringify(input.details ?? {})) as Prisma.InputJsonObject,
    personalDigest: personalDigest(personalSalt, { actorEmail, ipAddress, personal }),
  };
  await tx.auditEvent.create({
    data: {
      ...fields,
      actorEmail,
      ipAddress,
      personal,
      personalSalt,
      prevHash,
      hash: chainHash(prevHash, fields),
    },
  });
}

/** Records an event in a transaction of its own (for events that change nothing else). */
export async function recordAuditNow(input: AuditInput) {
  await db.$transaction((tx) => recordAudit(tx, input));
}

export type ChainBreak = { seq: bigint; reason: string };
export type VerifyResult = { checked: number; firstBreak: ChainBreak | null };

/** Walks the chain in order; reports the first row whose link or content does not check out. */
export async function verifyAuditChain(batchSize = 2000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let after: bigint | undefined;
  let checked = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: after === undefined ? {} : { seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: batchSize,
    });
    if (rows.length === 0) return { checked, firstBreak: null };
    for (const row of rows) {
      if (row.prevHash !== prevHash) {
        return {
          checked,
          firstBreak: {
            seq: row.seq,
            reason: "its link to the previous event is broken (an event was removed or inserted)",
          },
        };
      }
      if (!personalIntact(row) || expectedHash(prevHash, row) !== row.hash) {
        return {
          checked,
          firstBreak: {
            seq: row.seq,
            reason: "its content does not match its hash (the event was edited)",
          },
        };
      }
      prevHash = row.hash;
      checked++;
      after = row.seq;
    }
  }
}

export const AUDIT_PAGE_SIZE = 50;

/** The audit log's filters as a query: whole UTC days, "to" inclusive. */
function auditWhere(params: AuditFilterParams): Prisma.AuditEventWhereInput {
  const { start: from, end: to } = utcDayRange(params.from, params.to);
  return {
    ...(params.action ? { action: { startsWith: likeLiteral(params.action) } } : {}),
    ...(params.actor
      ? { actorEmail: { contains: likeLiteral(params.actor), mode: "insensitive" } }
      : {}),
    ...(from || to ? { at: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
  };
}

/** Admins only: filtered by URL parameters (whole UTC days, "to" inclusive), newest first. */
export async function listAuditEvents(actor: Actor, params: AuditFilterParams) {
  assertAdmin(actor);
  const where = auditWhere(params);
  const page = Math.max(1, params.page ?? 1);
  const [events, total] = await Promise.all([
    db.auditEvent.findMany({
      where,
      orderBy: { seq: "desc" },
      skip: (page - 1) * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE,
      select: {
        seq: true,
        at: true,
        actorEmail: true,
        action: true,
        targetType: true,
        targetId: true,
        ipAddress: true,
        details: true,
        personal: true,
        erasedAt: true,
      },
    }),
    db.auditEvent.count({ where }),
  ]);
  return {
    events: events.map((e) => ({ ...e, seq: e.seq.toString() })),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
  };
}

export async function auditActions(actor: Actor) {
  assertAdmin(actor);
  const rows = await readDistinctActions();
  return rows.map((r) => r.action);
}

const EXPORT_BATCH = 1000;
const EXPORT_COLUMNS = [
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
] as const;

/**
 * Admins only: the filtered log, oldest first, as CSV or JSON, streamed in batches so a large log
 * neither waits nor fills memory before the first byte. The export itself is audited first.
 */
export async function exportAuditEvents(
  actor: Actor,
  params: AuditFilterParams,
  format: "csv" | "json",
  ipAddress = "",
): Promise<ReadableStream<Uint8Array>> {
  assertAdmin(actor);
  await requireRateLimit("exportsPerPerson", actor.id);
  await recordAuditNow({
    actor,
    action: "audit.export",
    ipAddress,
    details: {
      format,
      action: params.action,
      actor: params.actor,
      from: params.from,
      to: params.to,
    },
  });
  const where = auditWhere(params);
  const encoder = new TextEncoder();
  let after: bigint | undefined;
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      if (first && format === "csv") controller.enqueue(encoder.encode(csvLine(EXPORT_COLUMNS)));
      if (first && format === "json") controller.enqueue(encoder.encode("["));
      const rows = await db.auditEvent.findMany({
        where: after === undefined ? where : { AND: [where, { seq: { gt: after } }] },
        orderBy: { seq: "asc" },
        take: EXPORT_BATCH,
      });
      let chunk = "";
      for (const row of rows) {
        const record = {
          seq: row.seq.toString(),
          at: row.at.toISOString(),
          actorEmail: row.actorEmail,
          action: row.action,
          targetType: row.targetType,
          targetId: row.targetId,
          instituteId: row.instituteId ?? "",
          ipAddress: row.ipAddress,
          details: row.details,
          personal: row.personal,
          erasedAt: row.erasedAt?.toISOString() ?? "",
          hash: row.hash,
        };
        if (format === "csv") chunk += csvLine(EXPORT_COLUMNS.map((c) => record[c]));
        else chunk += `${first ? "" : ","}\n${JSON.stringify(record)}`;
        first = false;
        after = row.seq;
      }
      first = false;
      if (rows.length < EXPORT_BATCH) {
        if (format === "json") chunk += "\n]\n";
        done = true;
      }
      if (chunk) controller.enqueue(encoder.encode(chunk));
      if (done) controller.close();
    },
  });
}
