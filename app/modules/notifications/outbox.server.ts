import type { OutboxStatus, Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { assertAdmin, type Actor } from "~/lib/permissions";
import { notFound } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import type { OutboxFilter } from "./schema";
import { clock } from "~/lib/clock";

export const OUTBOX_PAGE_SIZE = 50;

const STATUSES: OutboxStatus[] = ["QUEUED", "SENDING", "SENT", "FAILED"];

/** Admins only: newest first, with how many emails are in each state. */
export async function listOutbox(actor: Actor, filter: OutboxFilter = {}) {
  assertAdmin(actor);
  const where: Prisma.OutboxEmailWhereInput = filter.status ? { status: filter.status } : {};
  const page = Math.max(1, filter.page ?? 1);
  const [emails, total, grouped] = await Promise.all([
    db.outboxEmail.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * OUTBOX_PAGE_SIZE,
      take: OUTBOX_PAGE_SIZE,
      select: {
        id: true,
        to: true,
        subject: true,
        template: true,
        status: true,
        attempts: true,
        lastError: true,
        createdAt: true,
        sentAt: true,
        nextAttemptAt: true,
      },
    }),
    db.outboxEmail.count({ where }),
    db.outboxEmail.groupBy({ by: ["status"], _count: { _all: true } }),
  ]);
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<OutboxStatus, number>;
  for (const g of grouped) counts[g.status] = g._count._all;
  return {
    emails,
    counts,
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE)),
  };
}

/**
 * Admins only: one email with its content. The content can hold sign-in links (invitations, password
 * resets), so each viewing is audited.
 */
export async function getOutboxEmail(actor: Actor, id: string) {
  assertAdmin(actor);
  return db.$transaction(async (tx) => {
    const email = await tx.outboxEmail.findUnique({
      where: { id },
      select: {
        id: true,
        to: true,
        subject: true,
        template: true,
        status: true,
        attempts: true,
        lastError: true,
        messageId: true,
        createdAt: true,
        sentAt: true,
        nextAttemptAt: true,
        html: true,
        text: true,
      },
    });
    if (!email) throw notFound();
    await recordAudit(tx, {
      actor,
      action: "outbox.view",
      targetType: "OutboxEmail",
      targetId: id,
      details: { template: email.template },
      personal: { to: email.to },
    });
    return email;
  });
}

export type RetryResult = { ok: true } | { ok: false; error: string };

/** Admins only: gives a FAILED email a fresh set of attempts, due now. */
export async function retryOutboxEmail(actor: Actor, id: string): Promise<RetryResult> {
  assertAdmin(actor);
  return db.$transaction(async (tx) => {
    // Conditional on FAILED so a retry cannot race the worker over a row it is sending.
    const { count } = await tx.outboxEmail.updateMany({
      where: { id, status: "FAILED" },
      data: {
        status: "QUEUED",
        attempts: 0,
        nextAttemptAt: clock.now(),
        leaseUntil: null,
        sendStartedAt: null,
      },
    });
    if (count === 0) {
      const exists = await tx.outboxEmail.findUnique({ where: { id }, select: { status: true } });
      if (!exists) throw notFound();
      return { ok: false, error: "Only failed emails can be retried." };
    }
    await recordAudit(tx, {
      actor,
      action: "outbox.retry",
      targetType: "OutboxEmail",
      targetId: id,
    });
    return { ok: true };
  });
}
