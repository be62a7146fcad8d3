import nodemailer, { type SendMailOptions, type Transporter } from "nodemailer";
import { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { getEnv } from "~/lib/env.server";
import type { RenderedEmail } from "./render.server";
import { clock } from "~/lib/clock";

/** What delivery needs of a nodemailer transport; a Transporter fits, so does a test double. */
export type MailTransport = { sendMail(mail: SendMailOptions): Promise<unknown> };

export type DeliveryResult = { sent: number; failed: number; retried: number };

export type DeliverOptions = {
  transport: MailTransport;
  now?: Date;
  batchSize?: number;
  /** How long a claim is held before another process may take the row over. */
  leaseMs?: number;
};

const DEFAULT_BATCH_SIZE = 20;
const DEFAULT_LEASE_MS = 5 * 60_000;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 60 * 60_000;
// Stop starting new sends once this share of the lease is used, so that no row is still being sent
// when another process is allowed to take it over (which would send it twice).
const LEASE_SAFETY = 0.8;
const MAX_ERROR_LENGTH = 1000;

/** Writes an email to the outbox in the caller's transaction: it exists only if the change commits. */
export async function queueEmail(
  tx: Prisma.TransactionClient,
  to: string,
  rendered: RenderedEmail,
) {
  return tx.outboxEmail.create({
    data: {
      to,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      template: rendered.template,
      status: "QUEUED",
      nextAttemptAt: clock.now(),
    },
    select: { id: true, messageId: true },
  });
}

/** Delay before the next attempt after `attempts` failed ones: 30 s, 1 min, 2 min, ... at most 1 h. */
export function backoffMs(attempts: number) {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
}

type ClaimedRow = {
  id: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  attempts: number;
};

// Columns are timestamp without time zone holding UTC (as Prisma writes them). Passing ISO text and
// converting explicitly keeps the comparison right whatever the session time zone or driver typing.
function utc(date: Date) {
  return Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

export const INTERRUPTED_SEND_ERROR =
  "The process sending this email stopped while handing it to the mail server, so it may or may not have arrived. It is not sent again on its own: retry it if the recipient did not get it.";

/**
 * Claims up to `batchSize` due rows in one statement. SKIP LOCKED makes concurrent claimers take
 * disjoint rows. A row whose sender died (lease passed while SENDING) becomes claimable again if
 * its send had not started; if it had, the mail server may have it already, and sending it again
 * could deliver it twice, so it is marked FAILED for an admin to look at instead.
 */
async function claimDue(now: Date, batchSize: number, leaseMs: number) {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  await db.$executeRaw`
    UPDATE "OutboxEmail"
    SET "status" = 'FAILED'::"OutboxStatus", "leaseUntil" = NULL, "lastError" = ${INTERRUPTED_SEND_ERROR}
    WHERE "status" = 'SENDING'::"OutboxStatus" AND "leaseUntil" < ${utc(now)}
      AND "sendStartedAt" IS NOT NULL`;
  return db.$queryRaw<ClaimedRow[]>`
    UPDATE "OutboxEmail"
    SET "status" = 'SENDING'::"OutboxStatus",
        "leaseUntil" = ${utc(leaseUntil)},
        "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "OutboxEmail"
      WHERE ("status" = 'QUEUED'::"OutboxStatus" AND "nextAttemptAt" <= ${utc(now)})
         OR ("status" = 'SENDING'::"OutboxStatus" AND "leaseUntil" < ${utc(now)}
             AND "sendStartedAt" IS NULL)
      ORDER BY "nextAttemptAt", "id"
      LIMIT ${batchSize}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING "id", "to", "subject", "html", "text", "messageId", "attempts"`;
}

function describeError(error: unknown) {
  const message =
    error instanceof Error ? error.message : typeof error === "string" ? error : String(error);
  return (message || "Unknown error").slice(0, MAX_ERROR_LENGTH);
}

/** The Message-ID header: stable per row, so a receiver can drop a copy sent after a takeover. */
function messageIdHeader(row: Pick<ClaimedRow, "messageId">) {
  let domain = "exchange.invalid";
  try {
    domain = new URL(getEnv().APP_URL).hostname || domain;
  } catch {
    // APP_URL is validated at start-up; the fallback only guards odd test environments.
  }
  return `<${row.messageId}@${domain}>`;
}

/**
 * Sends what is due. Each row's outcome is written on its own, and one bad email never stops the
 * others; only a failure to reach the database rejects.
 */
export async function deliverDueEmails(options: DeliverOptions): Promise<DeliveryResult> {
  const { transport } = options;
  const now = options.now ?? clock.now();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const env = getEnv();
  const result: DeliveryResult = { sent: 0, failed: 0, retried: 0 };

  const startedAt = performance.now();
  const rows = await claimDue(now, batchSize, leaseMs);

  for (const row of rows) {
    // Our claim is identified by the attempt number it set: if the lease ran out and another
    // process took the row over, these conditional updates match nothing and leave its work alone.
    const ours = { id: row.id, status: "SENDING" as const, attempts: row.attempts };

    if (performance.now() - startedAt > leaseMs * LEASE_SAFETY) {
      // Not attempted: hand it back without using up an attempt.
      await db.outboxEmail
        .updateMany({
          where: ours,
          data: { status: "QUEUED", attempts: { decrement: 1 }, leaseUntil: null },
        })
        .catch((error) => console.error("outbox: could not release email", row.id, error));
      continue;
    }

    // Committed before the mail server sees the message: if this process dies from here until the
    // row is marked SENT, the row is not sent again automatically (see claimDue).
    const started = await db.outboxEmail.updateMany({
      where: ours,
      data: { sendStartedAt: clock.now() },
    });
    if (started.count === 0) continue; // taken over by another process after our lease ran out

    try {
      await transport.sendMail({
        from: env.MAIL_FROM,
        to: row.to,
        subject: row.subject,
        html: row.html,
        text: row.text,
        messageId: messageIdHeader(row),
      });
    } catch (error) {
      const lastError = describeError(error);
      const giveUp = row.attempts >= env.OUTBOX_MAX_ATTEMPTS;
      await db.outboxEmail
        .updateMany({
          where: ours,
          data: giveUp
            ? { status: "FAILED", leaseUntil: null, sendStartedAt: null, lastError }
            : {
                status: "QUEUED",
                leaseUntil: null,
                sendStartedAt: null,
                lastError,
                nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts)),
              },
        })
        .catch((dbError) => console.error("outbox: could not record failure", row.id, dbError));
      if (giveUp) result.failed++;
      else result.retried++;
      continue;
    }

    result.sent++;
    await db.outboxEmail
      .updateMany({
        where: ours,
        data: { status: "SENT", sentAt: clock.now(), leaseUntil: null, lastError: "" },
      })
      // The mail is out; if this write is lost the row stays SENDING with its send started, and
      // when the lease runs out it is marked FAILED as interrupted, never sent a second time.
      .catch((error) => console.error("outbox: could not mark email sent", row.id, error));
  }
  return result;
}

type Worker = {
  transport: Transporter;
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
  stopped: boolean;
};
let worker: Worker | undefined;

/**
 * Delivers the outbox over SMTP_URL in the background. Without SMTP_URL mail stays in the outbox,
 * where admins can read it.
 */
export function startOutboxWorker() {
  if (worker) return;
  const env = getEnv();
  if (!env.SMTP_URL) return;

  const transport = nodemailer.createTransport({
    url: env.SMTP_URL,
    pool: true,
    // Bounded well inside the lease, so that a hung server cannot outlive our claim on a row.
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  const current: Worker = { transport, timer: undefined, running: undefined, stopped: false };
  worker = current;

  const schedule = (delay: number) => {
    if (current.stopped) return;
    current.timer = setTimeout(tick, delay);
    // The worker must never be the reason the process stays up.
    current.timer.unref();
  };

  // The next tick is scheduled only after this one finishes, so ticks never overlap.
  function tick() {
    current.timer = undefined;
    const batchSize = DEFAULT_BATCH_SIZE;
    current.running = deliverDueEmails({ transport, batchSize })
      .then((r) => {
        if (r.failed > 0) console.error(`outbox: ${r.failed} email(s) failed for good`);
        // A full batch means more is probably waiting: carry on at once instead of after a poll.
        schedule(r.sent + r.failed + r.retried >= batchSize ? 0 : env.OUTBOX_POLL_MS);
      })
      .catch((error: unknown) => {
        console.error("outbox: delivery run failed", error);
        schedule(env.OUTBOX_POLL_MS);
      })
      .finally(() => {
        current.running = undefined;
      });
  }

  schedule(0);
}

/** Stops polling, waits for a run in progress to finish, and closes SMTP connections. */
export async function stopOutboxWorker() {
  const current = worker;
  if (!current) return;
  worker = undefined;
  current.stopped = true;
  if (current.timer) clearTimeout(current.timer);
  await current.running;
  current.transport.close();
}
