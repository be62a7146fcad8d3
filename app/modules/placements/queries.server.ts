import type {
  ArrangementType,
  ChecklistItemStatus,
  CostArrangement,
  EvidenceKind,
  PlacementStatus,
} from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import type { OwnerSide } from "~/modules/checklists/logic";

type PageRow = {
  id: string;
  status: PlacementStatus;
  version: number;
  startDate: Date | null;
  endDate: Date | null;
  arrangementType: ArrangementType;
  costArrangement: CostArrangement;
  homeInstituteId: string;
  hostInstituteId: string;
  secondeeId: string;
  hostSupervisorId: string | null;
  secondeeDisplayName: string;
  secondeeLineManagerId: string | null;
  homeInstituteName: string;
  supervisorDisplayName: string | null;
  postingId: string;
  postingTitle: string;
  hostInstituteName: string;
  hostTimeZone: string;
  items: (Omit<PageItem, "verifiedOn" | "expiresOn" | "evidenceFile"> & {
    verifiedOn: string | null;
    expiresOn: string | null;
    evidenceFilename: string | null;
  })[];
  extensions: { id: string; previousEnd: string | null; newEnd: string; reason: string }[];
};

type PageItem = {
  id: string;
  title: string;
  guidance: string;
  ownerSide: OwnerSide;
  dueOffsetDays: number;
  required: boolean;
  evidenceKind: EvidenceKind;
  dependsOnIds: string[];
  status: ChecklistItemStatus;
  version: number;
  verifiedBy: string;
  verifiedOn: Date | null;
  reference: string;
  level: string;
  expiresOn: Date | null;
  waivedReason: string;
  evidenceFile: { filename: string } | null;
};

/** A calendar date column, as Prisma gives it: midnight UTC. */
const dateOf = (day: string | null) => (day === null ? null : new Date(`${day}T00:00:00.000Z`));

/**
 * The placement page's read, in one hand-written statement: the placement with its secondee,
 * supervisor, posting and host, its checklist items (by position) and extensions (oldest first).
 * Returns what the equivalent Prisma read returned, field for field (dates as Date at midnight UTC).
 * Why SQL and not Prisma: docs/decisions/008-hand-written-sql-reads.md ("Placement page").
 */
export async function readPlacementPage(placementId: string) {
  const [row] = await db.$queryRaw<PageRow[]>`
    SELECT p."id", p."status"::text AS "status", p."version", p."startDate", p."endDate",
           p."arrangementType"::text AS "arrangementType",
           p."costArrangement"::text AS "costArrangement",
           p."homeInstituteId", p."hostInstituteId", p."secondeeId", p."hostSupervisorId",
           se."displayName" AS "secondeeDisplayName", se."lineManagerId" AS "secondeeLineManagerId",
           home."name" AS "homeInstituteName",
           sup."displayName" AS "supervisorDisplayName",
           po."id" AS "postingId", po."title" AS "postingTitle",
           host."name" AS "hostInstituteName", host."timeZone" AS "hostTimeZone",
           COALESCE((
             SELECT json_agg(json_build_object(
                      'id', c."id", 'title', c."title", 'guidance', c."guidance",
                      'ownerSide', c."ownerSide", 'dueOffsetDays', c."dueOffsetDays",
                      'required', c."required", 'evidenceKind', c."evidenceKind",
                      'dependsOnIds', c."dependsOnIds", 'status', c."status",
                      'version', c."version", 'verifiedBy', c."verifiedBy",
                      'verifiedOn', c."verifiedOn", 'reference', c."reference",
                      'level', c."level", 'expiresOn', c."expiresOn",
                      'waivedReason', c."waivedReason", 'evidenceFilename', f."filename")
                    ORDER BY c."position", c."id")
             FROM "ChecklistItem" c
             LEFT JOIN "StoredFile" f ON f."id" = c."evidenceFileId"
             WHERE c."placementId" = p."id"), '[]') AS "items",
           COALESCE((
             SELECT json_agg(json_build_object(
                      'id', x."id", 'previousEnd', x."previousEnd", 'newEnd', x."newEnd",
                      'reason', x."reason")
                    ORDER BY x."createdAt", x."id")
             FROM "PlacementExtension" x
             WHERE x."placementId" = p."id"), '[]') AS "extensions"
    FROM "Placement" p
    JOIN "User" se ON se."id" = p."secondeeId"
    JOIN "Institute" home ON home."id" = se."instituteId"
    LEFT JOIN "User" sup ON sup."id" = p."hostSupervisorId"
    JOIN "Posting" po ON po."id" = p."postingId"
    JOIN "Institute" host ON host."id" = po."hostInstituteId"
    WHERE p."id" = ${placementId}`;
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    version: row.version,
    startDate: row.startDate,
    endDate: row.endDate,
    arrangementType: row.arrangementType,
    costArrangement: row.costArrangement,
    homeInstituteId: row.homeInstituteId,
    hostInstituteId: row.hostInstituteId,
    secondeeId: row.secondeeId,
    hostSupervisorId: row.hostSupervisorId,
    // The secondee is the applicant, so their institute is the home institute.
    secondee: {
      id: row.secondeeId,
      displayName: row.secondeeDisplayName,
      lineManagerId: row.secondeeLineManagerId,
      institute: { name: row.homeInstituteName },
    },
    hostSupervisor:
      row.hostSupervisorId === null
        ? null
        : { id: row.hostSupervisorId, displayName: row.supervisorDisplayName ?? "" },
    posting: {
      id: row.postingId,
      title: row.postingTitle,
      hostInstitute: { name: row.hostInstituteName, timeZone: row.hostTimeZone },
    },
    checklistItems: row.items.map(
      ({ evidenceFilename, verifiedOn, expiresOn, ...item }): PageItem => ({
        ...item,
        verifiedOn: dateOf(verifiedOn),
        expiresOn: dateOf(expiresOn),
        evidenceFile: evidenceFilename === null ? null : { filename: evidenceFilename },
      }),
    ),
    extensions: row.extensions.map((x) => ({
      id: x.id,
      previousEnd: dateOf(x.previousEnd),
      newEnd: dateOf(x.newEnd)!,
      reason: x.reason,
    })),
  };
}
