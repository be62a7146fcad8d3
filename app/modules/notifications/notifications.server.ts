import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { queueEmail } from "~/lib/email/outbox.server";
import type { EmailMessage } from "~/lib/email/render.server";
import { getEnv } from "~/lib/env.server";
import type { Actor } from "~/lib/permissions";
import { notFound } from "~/lib/service";
import { NOTIFICATION_KINDS, OPTIONAL_KINDS, type NotificationKind } from "./kinds";
import { readNotificationCounts } from "./queries.server";
import { clock } from "~/lib/clock";

type Tx = Prisma.TransactionClient;

export const NOTIFICATIONS_PAGE_SIZE = 30;

/** The portal path an email links to, if it is one of ours; "" otherwise. */
function portalPath(message: EmailMessage): string {
  const url = (message.props as { url?: unknown }).url;
  if (typeof url !== "string") return "";
  try {
    const parsed = new URL(url);
    if (parsed.origin !== new URL(getEnv().APP_URL).origin) return "";
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return "";
  }
}

let templates: Promise<typeof import("~/lib/email/render.server")> | undefined;

/**
 * The email templates, imported once. They bring in react-email and its syntax highlighter, which
 * no page needs, so start-up leaves them out and loads them soon after
 * (docs/decisions/013-start-up-serves-pages-first.md); otherwise the first email's transaction
 * would wait for the import.
 */
export function loadEmailTemplates() {
  templates ??= import("~/lib/email/render.server");
  return templates;
}

/**
 * Tells someone about an event, in the caller's transaction: an in-app notification for them (if
 * they have an account) and the email, unless they chose in-app only for this kind. Security
 * emails are always sent, and their links (which carry one-time tokens) are never kept in-app.
 */
export async function notify(
  tx: Tx,
  to: string | { id: string; email: string },
  message: EmailMessage,
) {
  const { renderEmail } = await loadEmailTemplates();
  const rendered = await renderEmail(message);
  const recipient =
    typeof to === "string"
      ? await tx.user.findUnique({ where: { email: to }, select: { id: true, email: true } })
      : to;
  const email = typeof to === "string" ? to : to.email;
  const kind = NOTIFICATION_KINDS[message.template];
  let sendEmail = true;
  if (recipient) {
    await tx.notification.create({
      data: {
        userId: recipient.id,
        kind: message.template,
        title: rendered.subject.slice(0, 300),
        link: kind.security ? "" : portalPath(message),
      },
    });
    if (!kind.security) {
      const preference = await tx.notificationPreference.findUnique({
        where: { userId_kind: { userId: recipient.id, kind: message.template } },
        select: { email: true },
      });
      sendEmail = preference?.email ?? true;
    }
  }
  if (sendEmail) await queueEmail(tx, email, rendered);
}

/** The actor's own notifications, newest first. */
export async function listNotifications(actor: Actor, page = 1) {
  const current = Math.max(1, page);
  const where = { userId: actor.id };
  const [items, [counts]] = await Promise.all([
    db.notification.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (current - 1) * NOTIFICATIONS_PAGE_SIZE,
      take: NOTIFICATIONS_PAGE_SIZE,
      select: { id: true, kind: true, title: true, link: true, readAt: true, createdAt: true },
    }),
    readNotificationCounts(actor.id),
  ]);
  const total = counts!.total;
  const unread = counts!.unread;
  return {
    items,
    unread,
    page: current,
    pageCount: Math.max(1, Math.ceil(total / NOTIFICATIONS_PAGE_SIZE)),
  };
}

/** Marks one of the actor's notifications read; anyone else's is "not found". */
export async function markRead(actor: Actor, notificationId: string, now = clock.now()) {
  const updated = await db.notification.updateMany({
    where: { id: notificationId, userId: actor.id },
    data: { readAt: now },
  });
  if (updated.count !== 1) throw notFound();
}

export async function markAllRead(actor: Actor, now = clock.now()) {
  const updated = await db.notification.updateMany({
    where: { userId: actor.id, readAt: null },
    data: { readAt: now },
  });
  return updated.count;
}

/** Per kind: whether the email is sent too. Security kinds are listed as always on. */
export async function getPreferences(actor: Actor) {
  const rows = await db.notificationPreference.findMany({
    where: { userId: actor.id },
    select: { kind: true, email: true },
  });
  const chosen = new Map(rows.map((r) => [r.kind, r.email]));
  return Object.entries(NOTIFICATION_KINDS).map(([kind, info]) => ({
    kind: kind as NotificationKind,
    label: info.label,
    security: info.security,
    email: info.security ? true : (chosen.get(kind) ?? true),
  }));
}

/** Saves the choices: the kinds listed get email too, the other optional kinds in-app only. */
export async function savePreferences(actor: Actor, emailKinds: readonly string[]) {
  const wanted = new Set(emailKinds);
  await db.$transaction(async (tx) => {
    for (const kind of OPTIONAL_KINDS) {
      const email = wanted.has(kind);
      await tx.notificationPreference.upsert({
        where: { userId_kind: { userId: actor.id, kind } },
        create: { userId: actor.id, kind, email },
        update: { email },
      });
    }
  });
}
