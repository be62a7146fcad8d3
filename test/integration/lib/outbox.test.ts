import type { AddressInfo } from "node:net";
import nodemailer, { type Transporter } from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createWorld } from "#test/factories";
import { db } from "~/lib/db.server";
import {
  inspectOneTimeToken,
  requestPasswordReset,
  setPasswordWithToken,
} from "~/modules/accounts/one-time-links.server";
import {
  deliverDueEmails,
  INTERRUPTED_SEND_ERROR,
  queueEmail,
  startOutboxWorker,
  stopOutboxWorker,
} from "~/lib/email/outbox.server";
import { renderEmail, type RenderedEmail } from "~/lib/email/render.server";
import { resetEnvCache } from "~/lib/env.server";
import type { Actor } from "~/lib/permissions";
import {
  getOutboxEmail,
  listOutbox,
  retryOutboxEmail,
} from "~/modules/notifications/outbox.server";

const MAX_ATTEMPTS = 3;

type Received = { from: string; to: string[]; subject: string; messageId: string; raw: string };

/** A real SMTP server on a random local port, recording what it accepts. */
async function startSmtp() {
  const received: Received[] = [];
  const state = { rejectRecipients: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!state.rejectRecipients) return callback();
      const error = Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 });
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        // Unfold continuation lines, then read the headers we assert on.
        const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, " ");
        const header = (name: string) =>
          new RegExp(`^${name}: (.*)$`, "im").exec(head)?.[1]?.trim() ?? "";
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: header("Subject"),
          messageId: header("Message-ID"),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

let smtp: Awaited<ReturnType<typeof startSmtp>>;
const transports: Transporter[] = [];
function transport() {
  const t = nodemailer.createTransport({
    host: "127.0.0.1",
    port: smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  transports.push(t);
  return t;
}

const admin: Actor = {
  id: "admin-1",
  email: "admin@example.org",
  roles: ["STAFF", "ADMIN"],
  instituteId: "i1",
};
const hr: Actor = {
  id: "hr-1",
  email: "hr@example.org",
  roles: ["STAFF", "HR"],
  instituteId: "i1",
};

let resetEmail: RenderedEmail;
const saved = { ...process.env };

async function queue(to: string, email: RenderedEmail = resetEmail) {
  return db.$transaction((tx) => queueEmail(tx, to, email));
}

const minutes = (n: number) => n * 60_000;

beforeAll(async () => {
  process.env.OUTBOX_MAX_ATTEMPTS = String(MAX_ATTEMPTS);
  process.env.APP_URL = "https://exchange.example.org";
  delete process.env.SMTP_URL;
  resetEnvCache();
  smtp = await startSmtp();
  resetEmail = await renderEmail({
    template: "password-reset",
    props: {
      name: "Ada",
      url: "https://exchange.example.org/reset?token=t0k3n",
      expiresInMinutes: 60,
    },
  });
});

afterAll(async () => {
  for (const t of transports) t.close();
  await smtp.close();
  process.env = saved;
  resetEnvCache();
});

beforeEach(async () => {
  await db.outboxEmail.deleteMany();
  smtp.received.length = 0;
  smtp.state.rejectRecipients = false;
});

describe("delivery", () => {
  test("a queued email is delivered once, over SMTP, and marked sent", async () => {
    const { id, messageId } = await queue("ada@example.org");

    const result = await deliverDueEmails({ transport: transport() });

    expect(result).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]).toMatchObject({
      to: ["ada@example.org"],
      from: "no-reply@exchange.invalid",
      subject: "Reset your Exchange portal password",
      messageId: `<${messageId}@exchange.example.org>`,
    });
    const row = await db.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("SENT");
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(row.attempts).toBe(1);
    expect(row.leaseUntil).toBeNull();

    // Running again sends nothing more.
    expect(await deliverDueEmails({ transport: transport() })).toEqual({
      sent: 0,
      failed: 0,
      retried: 0,
    });
    expect(smtp.received).toHaveLength(1);
  });

  test("a rejected email backs off, fails after the last attempt, and an admin retry sends it", async () => {
    smtp.state.rejectRecipients = true;
    const { id } = await queue("nobody@example.org");
    const t = transport();
    const t0 = new Date();

    expect(await deliverDueEmails({ transport: t, now: t0 })).toEqual({
      sent: 0,
      failed: 0,
      retried: 1,
    });
    let row = await db.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("QUEUED");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/550|Mailbox unavailable/);
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + 30_000);

    // Not due again until the backoff has passed.
    expect(
      (await deliverDueEmails({ transport: t, now: new Date(t0.getTime() + 29_000) })).retried,
    ).toBe(0);

    const t1 = new Date(t0.getTime() + 31_000);
    expect((await deliverDueEmails({ transport: t, now: t1 })).retried).toBe(1);
    row = await db.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(row.attempts).toBe(2);
    expect(row.nextAttemptAt.getTime()).toBe(t1.getTime() + 60_000); // doubled

    const t2 = new Date(t1.getTime() + 61_000);
    expect(await deliverDueEmails({ transport: t, now: t2 })).toEqual({
      sent: 0,
      failed: 1,
      retried: 0,
    });
    row = await db.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("FAILED");
    expect(row.attempts).toBe(MAX_ATTEMPTS);
    expect(row.lastError).not.toBe("");

    // A failed email is left alone however much time passes.
    expect(
      await deliverDueEmails({ transport: t, now: new Date(t0.getTime() + minutes(24 * 60)) }),
    ).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(smtp.received).toHaveLength(0);

    smtp.state.rejectRecipients = false;
    expect(await retryOutboxEmail(admin, id)).toEqual({ ok: true });
    row = await db.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "QUEUED", attempts: 0 });

    expect((await deliverDueEmails({ transport: t })).sent).toBe(1);
    expect(smtp.received.map((m) => m.to)).toEqual([["nobody@example.org"]]);
    expect((await db.outboxEmail.findUniqueOrThrow({ where: { id } })).status).toBe("SENT");

    // Only failed emails can be retried: a sent one must not go out again.
    expect(await retryOutboxEmail(admin, id)).toEqual({
      ok: false,
      error: "Only failed emails can be retried.",
    });
    expect((await db.outboxEmail.findUniqueOrThrow({ where: { id } })).status).toBe("SENT");
  });

  test("two workers delivering at once send each of 20 emails exactly once", async () => {
    const queued = [];
    for (let i = 0; i < 20; i++) queued.push(await queue(`person${i}@example.org`));

    // Each "process" has its own SMTP connection and keeps claiming small batches until none is due.
    async function drain() {
      const t = transport();
      let handled = 0;
      for (;;) {
        const r = await deliverDueEmails({ transport: t, batchSize: 3 });
        const n = r.sent + r.failed + r.retried;
        if (n === 0) return handled;
        handled += n;
      }
    }
    const [a, b] = await Promise.all([drain(), drain()]);

    expect(a + b).toBe(20);
    const perMessageId = new Map<string, number>();
    for (const m of smtp.received)
      perMessageId.set(m.messageId, (perMessageId.get(m.messageId) ?? 0) + 1);
    expect(perMessageId.size).toBe(20);
    expect([...perMessageId.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(perMessageId.keys())).toEqual(
      new Set(queued.map((q) => `<${q.messageId}@exchange.example.org>`)),
    );
    expect(await db.outboxEmail.count({ where: { status: "SENT", attempts: 1 } })).toBe(20);
  });

  test("an email queued in a transaction that rolls back is never sent", async () => {
    await expect(
      db.$transaction(async (tx) => {
        await queueEmail(tx, "ghost@example.org", resetEmail);
        throw new Error("the change that caused the email failed");
      }),
    ).rejects.toThrow("the change that caused the email failed");

    expect(await db.outboxEmail.count()).toBe(0);
    expect(await deliverDueEmails({ transport: transport() })).toEqual({
      sent: 0,
      failed: 0,
      retried: 0,
    });
    expect(smtp.received).toHaveLength(0);
  });

  test("a row held by a live claim is skipped; one whose claim expired is taken over", async () => {
    const live = await queue("live@example.org");
    const stale = await queue("stale@example.org");
    const now = Date.now();
    await db.outboxEmail.update({
      where: { id: live.id },
      data: { status: "SENDING", attempts: 1, leaseUntil: new Date(now + minutes(5)) },
    });
    await db.outboxEmail.update({
      where: { id: stale.id },
      data: { status: "SENDING", attempts: 1, leaseUntil: new Date(now - 1000) },
    });

    expect((await deliverDueEmails({ transport: transport() })).sent).toBe(1);

    expect(smtp.received.map((m) => m.to)).toEqual([["stale@example.org"]]);
    // The takeover reuses the Message-ID, so a receiver can drop a copy the dead worker did send.
    expect(smtp.received[0]!.messageId).toBe(`<${stale.messageId}@exchange.example.org>`);
    expect(await db.outboxEmail.findUniqueOrThrow({ where: { id: stale.id } })).toMatchObject({
      status: "SENT",
      attempts: 2,
    });
    expect((await db.outboxEmail.findUniqueOrThrow({ where: { id: live.id } })).status).toBe(
      "SENDING",
    );
  });

  test("a row whose sender died mid-send is never sent again on its own; an admin retry sends it", async () => {
    const before = await queue("before-send@example.org");
    const during = await queue("during-send@example.org");
    const now = Date.now();
    // Both claimers died after their lease: one before handing its row to SMTP, one while doing so.
    await db.outboxEmail.update({
      where: { id: before.id },
      data: { status: "SENDING", attempts: 1, leaseUntil: new Date(now - 1000) },
    });
    await db.outboxEmail.update({
      where: { id: during.id },
      data: {
        status: "SENDING",
        attempts: 1,
        leaseUntil: new Date(now - 1000),
        sendStartedAt: new Date(now - 60_000),
      },
    });

    expect((await deliverDueEmails({ transport: transport() })).sent).toBe(1);
    expect(smtp.received.map((m) => m.to)).toEqual([["before-send@example.org"]]);
    const interrupted = await db.outboxEmail.findUniqueOrThrow({ where: { id: during.id } });
    expect(interrupted).toMatchObject({ status: "FAILED", lastError: INTERRUPTED_SEND_ERROR });

    // Later runs leave it alone; an admin who finds it was not received sends it once more.
    expect((await deliverDueEmails({ transport: transport() })).sent).toBe(0);
    expect(await retryOutboxEmail(admin, during.id)).toEqual({ ok: true });
    expect((await deliverDueEmails({ transport: transport() })).sent).toBe(1);
    expect(smtp.received.map((m) => m.to)).toEqual([
      ["before-send@example.org"],
      ["during-send@example.org"],
    ]);
    expect(await db.outboxEmail.findUniqueOrThrow({ where: { id: during.id } })).toMatchObject({
      status: "SENT",
      sendStartedAt: expect.any(Date),
    });
  });

  test("an email that cannot be sent does not stop the others in its batch", async () => {
    await queue("first@example.org");
    await queue("second@example.org");
    let calls = 0;
    const real = transport();
    const flaky = {
      sendMail: (mail: Parameters<Transporter["sendMail"]>[0]) =>
        calls++ === 0 ? Promise.reject(new Error("connection reset")) : real.sendMail(mail),
    };

    expect(await deliverDueEmails({ transport: flaky })).toEqual({
      sent: 1,
      failed: 0,
      retried: 1,
    });
    expect(
      await db.outboxEmail.count({ where: { status: "QUEUED", lastError: "connection reset" } }),
    ).toBe(1);
    expect(await db.outboxEmail.count({ where: { status: "SENT" } })).toBe(1);
  });
});

describe("worker", () => {
  afterEach(async () => {
    await stopOutboxWorker();
    delete process.env.SMTP_URL;
    delete process.env.OUTBOX_POLL_MS;
    resetEnvCache();
  });

  test("with SMTP_URL set, it delivers queued mail in the background", async () => {
    process.env.SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;
    process.env.OUTBOX_POLL_MS = "50";
    resetEnvCache();
    startOutboxWorker();

    const { id } = await queue("background@example.org");
    await expect
      .poll(async () => (await db.outboxEmail.findUniqueOrThrow({ where: { id } })).status, {
        timeout: 10_000,
        interval: 50,
      })
      .toBe("SENT");
    expect(smtp.received.map((m) => m.to)).toEqual([["background@example.org"]]);
  });

  test("without SMTP_URL, mail stays in the outbox", async () => {
    startOutboxWorker();
    const { id } = await queue("kept@example.org");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await db.outboxEmail.findUniqueOrThrow({ where: { id } })).status).toBe("QUEUED");
    expect(smtp.received).toHaveLength(0);
  });
});

describe("admin outbox", () => {
  test("is a 404 for anyone who is not an admin", async () => {
    const { id } = await queue("ada@example.org");
    for (const call of [
      () => listOutbox(hr, {}),
      () => getOutboxEmail(hr, id),
      () => retryOutboxEmail(hr, id),
    ]) {
      const thrown = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(404);
    }
    // And nothing changed or was revealed.
    expect(await db.auditEvent.count({ where: { actorId: hr.id } })).toBe(0);
  });

  test("lists newest first with counts per status, and shows one email with its content", async () => {
    const first = await queue("one@example.org");
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await queue("two@example.org");
    await db.outboxEmail.update({
      where: { id: first.id },
      data: { status: "FAILED", lastError: "550" },
    });

    const all = await listOutbox(admin, {});
    expect(all.emails.map((e) => e.id)).toEqual([second.id, first.id]);
    expect(all.counts).toEqual({ QUEUED: 1, SENDING: 0, SENT: 0, FAILED: 1 });
    expect(all.emails[0]).not.toHaveProperty("html");
    expect(all.emails[0]).not.toHaveProperty("text");

    const failed = await listOutbox(admin, { status: "FAILED" });
    expect(failed.emails.map((e) => e.id)).toEqual([first.id]);
    expect(failed.total).toBe(1);

    const email = await getOutboxEmail(admin, second.id);
    expect(email.html).toContain("https://exchange.example.org/reset?token=t0k3n");
    expect(email.text).toContain("https://exchange.example.org/reset?token=t0k3n");
    // Reading a reset link is sensitive, so it leaves a trace.
    expect(
      await db.auditEvent.count({
        where: { action: "outbox.view", targetId: second.id, actorId: admin.id },
      }),
    ).toBe(1);

    const missing = await getOutboxEmail(admin, "no-such-id").catch((e: unknown) => e);
    expect((missing as Response).status).toBe(404);
    const missingRetry = await retryOutboxEmail(admin, "no-such-id").catch((e: unknown) => e);
    expect((missingRetry as Response).status).toBe(404);
  });
});

describe("the whole path of a password reset", () => {
  test("Forgot password queues the email; the worker delivers it over SMTP; its link resets the password", async () => {
    const world = await createWorld(db);
    await requestPasswordReset(world.usStaff.email, { ipAddress: "127.0.0.1" });
    expect(await deliverDueEmails({ transport: transport() })).toEqual({
      sent: 1,
      failed: 0,
      retried: 0,
    });

    const message = smtp.received.find((m) => m.to.includes(world.usStaff.email))!;
    expect(message.subject).toBe("Reset your Exchange portal password");
    // Undo quoted-printable soft breaks and escapes before looking for the link.
    const body = message.raw
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    const token = /https:\/\/exchange\.example\.org\/reset-password\/([a-z2-7]{32})/.exec(
      body,
    )?.[1];
    expect(token).toBeDefined();
    expect(await inspectOneTimeToken(token!, "PASSWORD_RESET")).toMatchObject({
      email: world.usStaff.email,
    });
    const result = await setPasswordWithToken(
      token!,
      "PASSWORD_RESET",
      "a brand new long passphrase",
      { ipAddress: "127.0.0.1" },
    );
    expect(result.ok).toBe(true);
  });
});
