import { db } from "~/lib/db.server";

/**
 * Every action the audit log holds, in order: a skip scan of the action index, one probe per
 * distinct action (a few dozen), where `distinct` or a GROUP BY would read every event's action.
 * Why SQL: docs/decisions/008-hand-written-sql-reads.md (index skip scan).
 */
export function readDistinctActions() {
  return db.$queryRaw<{ action: string }[]>`
    WITH RECURSIVE actions (action) AS (
      (SELECT "action" FROM "AuditEvent" ORDER BY "action" LIMIT 1)
      UNION ALL
      SELECT (SELECT e."action" FROM "AuditEvent" e
              WHERE e."action" > a."action" ORDER BY e."action" LIMIT 1)
      FROM actions a WHERE a."action" IS NOT NULL
    )
    SELECT "action" FROM actions WHERE "action" IS NOT NULL ORDER BY "action"`;
}
