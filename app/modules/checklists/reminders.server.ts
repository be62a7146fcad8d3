import { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { notify } from "~/modules/notifications/notifications.server";
import { getEnv } from "~/lib/env.server";
import { recordAudit } from "~/modules/audit/audit.server";
import { dueDate, effectiveStatuses, isSettled, todayIn } from "./logic";
import { clock } from "~/lib/clock";

const JOB = "checklist-reminders";

type Entry = { placement: string; title: string; due: string; overdue: boolean; url: string };
type Recipient = { email: string; name: string };

function daysBetween(a: string, b: string) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * The daily digest: each owner gets one email listing their overdue and due-soon items; items
 * overdue by more than REMINDER_ESCALATE_AFTER_DAYS go to HR of the owning side as well.
 *
 * Runs at most once per (UTC) day across all processes: the JobRun row for the day is inserted in
 * the same transaction as the emails, so a second runner waits for the first and then finds the
 * day taken; a crash before commit leaves the day free for the next attempt.
 */
export async function runChecklistReminders(now = clock.now()) {
  const env = getEnv();
  const day = now.toISOString().slice(0, 10);
  return db.$transaction(
    async (tx) => {
      const claimed = await tx.$executeRaw`
        INSERT INTO "JobRun" ("name", "day", "finishedAt", "details")
        VALUES (${JOB}, ${day}, ${now}, '{}'::jsonb) ON CONFLICT DO NOTHING`;
      if (claimed === 0) return { ran: false as const, day, emails: 0 };

      const placements = await tx.placement.findMany({
        where: { status: { in: ["PLANNED", "CLEARING", "ACTIVE"] }, startDate: { not: null } },
        select: {
          id: true,
          startDate: true,
          homeInstituteId: true,
          hostInstituteId: true,
          secondee: {
            select: {
              displayName: true,
              email: true,
              lineManager: { select: { displayName: true, email: true, deactivatedAt: true } },
            },
          },
          hostSupervisor: { select: { displayName: true, email: true, deactivatedAt: true } },
          posting: { select: { title: true, hostInstitute: { select: { timeZone: true } } } },
          checklistItems: {
            select: {
              id: true,
              title: true,
              ownerSide: true,
              dueOffsetDays: true,
              status: true,
              dependsOnIds: true,
            },
          },
        },
      });
      const hrOf = new Map<string, Recipient[]>();
      const hr = async (instituteId: string) => {
        if (!hrOf.has(instituteId))
          hrOf.set(
            instituteId,
            (
              await tx.user.findMany({
                where: { instituteId, roles: { has: "HR" }, deactivatedAt: null },
                select: { displayName: true, email: true },
                orderBy: { email: "asc" },
              })
            ).map((u) => ({ email: u.email, name: u.displayName })),
          );
        return hrOf.get(instituteId)!;
      };

      const owners = new Map<string, { name: string; items: Entry[] }>();
      const escalations = new Map<string, { name: string; items: Entry[] }>();
      const add = (map: typeof owners, to: Recipient, entry: Entry) => {
        const slot = map.get(to.email) ?? { name: to.name, items: [] };
        slot.items.push(entry);
        map.set(to.email, slot);
      };
      for (const p of placements) {
        const today = todayIn(p.posting.hostInstitute.timeZone, now);
        const start = p.startDate!.toISOString().slice(0, 10);
        const shown = effectiveStatuses(
          p.checklistItems.map((i) => ({ ...i, dependsOn: i.dependsOnIds })),
        );
        for (const item of p.checklistItems) {
          if (isSettled(item.status)) continue;
          const due = dueDate(start, item.dueOffsetDays);
          const late = daysBetween(due, today);
          if (late < -env.REMINDER_DUE_SOON_DAYS) continue;
          const entry: Entry = {
            placement: `${p.secondee.displayName}, ${p.posting.title}`,
            title:
              shown.get(item.id) === "BLOCKED"
                ? `${item.title} (waiting for other items)`
                : item.title,
            due,
            overdue: late > 0,
            url: new URL(`/placements/${p.id}`, env.APP_URL).toString(),
          };
          const sideHr =
            item.ownerSide === "HOME" ? await hr(p.homeInstituteId) : await hr(p.hostInstituteId);
          const owner: Recipient[] =
            item.ownerSide === "SECONDEE"
              ? [{ email: p.secondee.email, name: p.secondee.displayName }]
              : item.ownerSide === "HOME"
                ? p.secondee.lineManager && !p.secondee.lineManager.deactivatedAt
                  ? [
                      {
                        email: p.secondee.lineManager.email,
                        name: p.secondee.lineManager.displayName,
                      },
                    ]
                  : sideHr
                : p.hostSupervisor && !p.hostSupervisor.deactivatedAt
                  ? [{ email: p.hostSupervisor.email, name: p.hostSupervisor.displayName }]
                  : sideHr;
          for (const r of owner) add(owners, r, entry);
          if (late > env.REMINDER_ESCALATE_AFTER_DAYS) {
            const escalateTo = item.ownerSide === "SECONDEE" ? await hr(p.hostInstituteId) : sideHr;
            for (const r of escalateTo) add(escalations, r, entry);
          }
        }
      }
      let emails = 0;
      for (const [kind, map] of [
        ["owner", owners],
        ["escalation", escalations],
      ] as const) {
        for (const [email, { name, items }] of map) {
          await notify(tx, email, {
            template: "checklist-digest",
            props: { recipientName: name, kind, items },
          });
          emails += 1;
        }
      }
      await tx.jobRun.update({
        where: { name_day: { name: JOB, day } },
        data: {
          finishedAt: clock.now(),
          details: { emails, owners: owners.size, escalations: escalations.size },
        },
      });
      await recordAudit(tx, {
        actor: null,
        actorEmail: "system",
        action: "job.checklist-reminders",
        details: { day, emails },
      });
      return { ran: true as const, day, emails };
    },
    {
      timeout: 120_000,
      maxWait: 30_000,
      isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted,
    },
  );
}

let timer: ReturnType<typeof setInterval> | undefined;
/**
 * Checks hourly whether today's reminders are due (one process runs them a day). The first check
 * waits `firstAfterMs`, so that a starting server serves pages first: on the embedded database
 * the day's run would otherwise hold up the first requests
 * (docs/decisions/013-start-up-serves-pages-first.md).
 */
export function startReminderScheduler(intervalMs = 3_600_000, firstAfterMs = 30_000) {
  if (timer) return;
  const tick = () =>
    runChecklistReminders().catch((error: unknown) =>
      console.error("Checklist reminders failed:", error),
    );
  timer = setTimeout(() => {
    void tick();
    timer = setInterval(tick, intervalMs);
    timer.unref();
  }, firstAfterMs);
  timer.unref();
}
export function stopReminderScheduler() {
  if (timer) clearInterval(timer);
  timer = undefined;
}
