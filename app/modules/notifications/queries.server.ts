import { db } from "~/lib/db.server";

/**
 * How many notifications a person has, and how many of them are unread: one row.
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md (one pass of the (userId, readAt) index).
 */
export function readNotificationCounts(userId: string) {
  return db.$queryRaw<{ total: number; unread: number }[]>`
    SELECT count(*)::int AS "total", count(*) FILTER (WHERE "readAt" IS NULL)::int AS "unread"
    FROM "Notification" WHERE "userId" = ${userId}`;
}
