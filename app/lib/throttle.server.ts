import { Prisma } from "~/generated/prisma/client";
import { db } from "./db.server";
import { clock } from "~/lib/clock";

// Counts kept in the database (the Throttle table), so that every app process sees the same ones:
// failures for sign-in and MFA, where a key is locked once its failures within the window reach
// the limit and each further failure doubles the lock, up to a ceiling; and uses of the rate
// limits of app/lib/rate-limits.server.ts, where a use past the limit is refused.

/** The database client, or a transaction's, so that a count rolls back with the work it allows. */
export type ThrottleClient = Pick<Prisma.TransactionClient, "$queryRaw" | "throttle">;

export type ThrottleRule = {
  limit: number;
  windowMs: number;
  baseLockMs: number;
  maxLockMs: number;
};

export const WINDOW_MS = 15 * 60_000;

export function lockDuration(failures: number, rule: ThrottleRule): number {
  if (failures < rule.limit) return 0;
  const doublings = Math.min(failures - rule.limit, 16);
  return Math.min(rule.baseLockMs * 2 ** doublings, rule.maxLockMs);
}

/** The time until which any of the keys is locked, or null if none is. */
export async function lockedUntil(keys: string[], now = clock.now()): Promise<Date | null> {
  const rows = await db.throttle.findMany({
    where: { key: { in: keys }, lockedUntil: { gt: now } },
    select: { lockedUntil: true },
  });
  const times = rows.map((r) => r.lockedUntil!.getTime());
  return times.length ? new Date(Math.max(...times)) : null;
}

/**
 * Counts one use of `key` within its window, in one statement so that two processes counting at
 * once cannot lose one; the window starts again once it has passed. With `limit`, a use that would
 * go past it is not counted, and the answer is null.
 */
async function countUse(
  client: ThrottleClient,
  key: string,
  windowMs: number,
  now: Date,
  limit?: number,
): Promise<number | null> {
  const windowStart = new Date(now.getTime() - windowMs);
  const underLimit =
    limit === undefined
      ? Prisma.empty
      : Prisma.sql`WHERE "Throttle"."windowStart" < ${windowStart} OR "Throttle"."failures" < ${limit}`;
  const rows = await client.$queryRaw<{ failures: number }[]>`
    INSERT INTO "Throttle" ("key", "failures", "windowStart", "updatedAt")
    VALUES (${key}, 1, ${now}, ${now})
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE WHEN "Throttle"."windowStart" < ${windowStart} THEN 1 ELSE "Throttle"."failures" + 1 END,
      "windowStart" = CASE WHEN "Throttle"."windowStart" < ${windowStart} THEN ${now} ELSE "Throttle"."windowStart" END,
      "updatedAt" = ${now}
    ${underLimit}
    RETURNING "failures"`;
  return rows.length ? Number(rows[0]!.failures) : null;
}

/** Counts one failure against a key; returns the new lock if any. */
export async function recordFailure(
  key: string,
  rule: ThrottleRule,
  now = clock.now(),
): Promise<Date | null> {
  const failures = (await countUse(db, key, rule.windowMs, now)) ?? 1;
  const ms = lockDuration(failures, rule);
  if (ms === 0) return null;
  const until = new Date(now.getTime() + ms);
  await db.throttle.update({ where: { key }, data: { lockedUntil: until } });
  return until;
}

export async function clearFailures(key: string) {
  await db.throttle.deleteMany({ where: { key } });
}

/**
 * Spends one of `limit` uses of a key within a fixed window, atomically across processes. Returns
 * null when the use is allowed (and counted), or the time the window ends when it is not; a refused
 * use is not counted.
 */
export async function spendFromWindow(
  key: string,
  limit: number,
  windowMs: number,
  client: ThrottleClient = db,
  now = clock.now(),
): Promise<Date | null> {
  if ((await countUse(client, key, windowMs, now, limit)) !== null) return null;
  const row = await client.throttle.findUnique({ where: { key }, select: { windowStart: true } });
  return new Date((row?.windowStart.getTime() ?? now.getTime()) + windowMs);
}
