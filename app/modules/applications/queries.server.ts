import type { Prisma } from "~/generated/prisma/client";
import type { ApplicationStatus, ConflictDeclaration, NoteSide } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";

// The applications module's hand-written SQL reads. Each answers only what its caller's access
// check has already allowed; none checks access itself.

type DetailRow = {
  events: {
    id: string;
    fromStatus: ApplicationStatus | null;
    toStatus: ApplicationStatus;
    comment: string;
    createdAt: number;
    actorName: string | null;
    hasActor: boolean;
  }[];
  notes: { id: string; side: NoteSide; body: string; createdAt: number; authorName: string }[];
  assignments: {
    declaration: ConflictDeclaration;
    submittedAt: number | null;
    scores: Prisma.JsonValue;
    comment: string;
    reviewerId: string;
    reviewerName: string;
  }[];
  cvFilename: string | null;
  cvSize: number | null;
};

/**
 * The application page's timeline, notes (of the sides given), reviews (when `withReviews`) and
 * CV, in one statement. Prisma builds the same joins, but compiles its query afresh on every call,
 * which cost more than running it. Returns what the Prisma read of the same fields returned, field
 * for field: times as Date, each list oldest first (ties by id), a missing actor or CV as null.
 * Decision record: docs/decisions/008-hand-written-sql-reads.md
 */
export async function readApplicationDetail(
  applicationId: string,
  sides: NoteSide[],
  withReviews: boolean,
) {
  // Times leave the database as epoch milliseconds: exact, and no zone to misread.
  const [row] = await db.$queryRaw<DetailRow[]>`
    SELECT
      COALESCE((
        SELECT json_agg(json_build_object(
                 'id', e."id", 'fromStatus', e."fromStatus", 'toStatus', e."toStatus",
                 'comment', e."comment",
                 'createdAt', round(extract(epoch FROM e."createdAt") * 1000),
                 'actorName', u."displayName", 'hasActor', u."id" IS NOT NULL)
               ORDER BY e."createdAt", e."id")
        FROM "ApplicationEvent" e
        LEFT JOIN "User" u ON u."id" = e."actorId"
        WHERE e."applicationId" = a."id"), '[]') AS "events",
      COALESCE((
        SELECT json_agg(json_build_object(
                 'id', n."id", 'side', n."side", 'body', n."body",
                 'createdAt', round(extract(epoch FROM n."createdAt") * 1000),
                 'authorName', u."displayName")
               ORDER BY n."createdAt", n."id")
        FROM "ApplicationNote" n
        JOIN "User" u ON u."id" = n."authorId"
        WHERE n."applicationId" = a."id" AND n."side"::text = ANY(${sides}::text[])), '[]')
        AS "notes",
      COALESCE((
        SELECT json_agg(json_build_object(
                 'declaration', r."declaration",
                 'submittedAt', round(extract(epoch FROM r."submittedAt") * 1000),
                 'scores', r."scores", 'comment', r."comment",
                 'reviewerId', u."id", 'reviewerName', u."displayName")
               ORDER BY r."createdAt", r."id")
        FROM "ReviewAssignment" r
        JOIN "User" u ON u."id" = r."reviewerId"
        WHERE r."applicationId" = a."id" AND ${withReviews}::boolean), '[]') AS "assignments",
      f."filename" AS "cvFilename", f."size" AS "cvSize"
    FROM "Application" a
    LEFT JOIN "StoredFile" f ON f."id" = a."cvFileId"
    WHERE a."id" = ${applicationId}`;
  if (!row) return null;
  return {
    events: row.events.map((e) => ({
      id: e.id,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      comment: e.comment,
      createdAt: new Date(e.createdAt),
      actor: e.hasActor ? { displayName: e.actorName ?? "" } : null,
    })),
    notes: row.notes.map((n) => ({
      id: n.id,
      side: n.side,
      body: n.body,
      createdAt: new Date(n.createdAt),
      author: { displayName: n.authorName },
    })),
    assignments: row.assignments.map((r) => ({
      declaration: r.declaration,
      submittedAt: r.submittedAt === null ? null : new Date(r.submittedAt),
      scores: r.scores,
      comment: r.comment,
      reviewer: { id: r.reviewerId, displayName: r.reviewerName },
    })),
    cvFile: row.cvFilename === null ? null : { filename: row.cvFilename, size: row.cvSize ?? 0 },
  };
}
