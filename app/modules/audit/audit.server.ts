import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { assertAdmin, type Actor } from "~/lib/permissions";
import { chainHash, GENESIS_HASH } from "./chain";
import type { AuditFilterParams } from "./schema";

type Tx = Prisma.TransactionClient;

// Serialises appends so that each row links to the one before it, across processes.
const AUDIT_LOCK_KEY = 727_073_691;

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
};

/** Appends one event to the chain. Call inside the transaction of the change it records. */
export async function recordAudit(tx: Tx, input: AuditInput) {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields = {
    at: new Date(),
    actorId: input.actor?.id ?? null,
    actorEmail: (input.actor?.email ?? input.actorEmail ?? "").slice(0, 320),
    action: input.action,
    targetType: input.targetType ?? "",
    targetId: input.targetId ?? "",
    instituteId: input.instituteId ?? input.actor?.instituteId ?? null,
    ipAddress: (input.ipAddress ?? "").slice(0, 64),
    details: JSON.parse(JSON.stringify(input.details ?? {})) as Prisma.InputJsonObject,
  };
  await tx.auditEvent.create({ data: { ...fields, prevHash, hash: chainHash(prevHash, fields) } });
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
      const { seq: _s, hash, prevHash: _p, ...fields } = row;
      if (chainHash(prevHash, fields) !== hash) {
        return {
          checked,
          firstBreak: {
            seq: row.seq,
            reason: "its content does not match its hash (the event was edited)",
          },
        };
      }
      prevHash = hash;
      checked++;
      after = row.seq;
    }
  }
}

export const AUDIT_PAGE_SIZE = 50;

/** Admins only: filtered, newest first. */
/** Admins only: filtered by URL parameters (whole UTC days, "to" inclusive), newest first. */
export async function listAuditEvents(actor: Actor, params: AuditFilterParams) {
  assertAdmin(actor);
  const dayStart = (d: string) => new Date(`${d}T00:00:00Z`);
  const filter = {
    action: params.action,
    actorEmail: params.actor,
    from: params.from ? dayStart(params.from) : undefined,
    to: params.to ? new Date(dayStart(params.to).getTime() + 86_400_000) : undefined,
    page: params.page,
  };
  const where: Prisma.AuditEventWhereInput = {
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.actorEmail
      ? { actorEmail: { contains: filter.actorEmail, mode: "insensitive" } }
      : {}),
    ...(filter.from || filter.to
      ? {
          at: {
            ...(filter.from ? { gte: filter.from } : {}),
            ...(filter.to ? { lt: filter.to } : {}),
          },
        }
      : {}),
  };
  const page = Math.max(1, filter.page ?? 1);
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
  const rows = await db.auditEvent.findMany({
    distinct: ["action"],
    select: { action: true },
    orderBy: { action: "asc" },
  });
  return rows.map((r) => r.action);
}
