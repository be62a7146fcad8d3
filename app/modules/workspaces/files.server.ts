import { db } from "~/lib/db.server";
import { spendRateLimit } from "~/lib/rate-limits.server";
import { checkWorkspaceFile, sha256Hex } from "~/lib/files.server";
import type { Actor } from "~/lib/permissions";
import { notFound, refused, type ServiceResult } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { MARKING_LABELS } from "./rules";
import { access } from "./access.server";
import { actorNames, logActivity, touchWorkspace } from "./activity.server";
import { clock } from "~/lib/clock";

// A workspace's files: the list with every version, uploads, and audited downloads. Every function
// starts with the access check (access.server.ts).

export async function listFiles(actor: Actor, workspaceId: string) {
  return db.$transaction(async (tx) => {
    const { role } = await access(tx, actor, workspaceId, "read");
    const files = await tx.workspaceFile.findMany({
      where: { workspaceId },
      orderBy: { name: "asc" },
      select: {
        id: true,
        name: true,
        updatedAt: true,
        versions: {
          orderBy: { version: "desc" },
          select: {
            id: true,
            version: true,
            uploadedById: true,
            createdAt: true,
            storedFile: { select: { size: true, contentType: true, sha256: true } },
          },
        },
      },
    });
    const names = await actorNames(
      tx,
      files.flatMap((f) => f.versions.map((v) => v.uploadedById)),
    );
    return {
      role,
      files: files.map((f) => ({
        ...f,
        versions: f.versions.map((v) => ({
          ...v,
          uploadedByName: names.get(v.uploadedById) ?? "",
        })),
      })),
    };
  });
}

/**
 * Uploads a file; a file of the same name gets a new version. Checked by name, size and content
 * before anything is written.
 */
export async function uploadFile(
  actor: Actor,
  workspaceId: string,
  upload: { name: string; bytes: Uint8Array },
): Promise<ServiceResult<{ fileId: string; version: number }>> {
  const checked = checkWorkspaceFile(upload);
  if (checked.error !== undefined) return refused(checked.error, "file");
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "edit");
    const limited = await spendRateLimit("uploadsPerPerson", actor.id, tx);
    if (limited) return limited;
    const stored = await tx.storedFile.create({
      data: {
        ownerId: actor.id,
        filename: checked.filename,
        contentType: checked.contentType,
        size: upload.bytes.byteLength,
        sha256: sha256Hex(upload.bytes),
        data: Buffer.from(upload.bytes),
      },
      select: { id: true },
    });
    const file = await tx.workspaceFile.upsert({
      where: { workspaceId_name: { workspaceId, name: checked.filename } },
      create: { workspaceId, name: checked.filename, createdById: actor.id },
      update: { updatedAt: clock.now() },
      select: { id: true },
    });
    // Serialise versions of one file across concurrent uploads.
    await tx.$queryRaw`SELECT id FROM "WorkspaceFile" WHERE id = ${file.id} FOR UPDATE`;
    const last = await tx.workspaceFileVersion.findFirst({
      where: { fileId: file.id },
      orderBy: { version: "desc" },
      select: { version: true },
    });
    const version = (last?.version ?? 0) + 1;
    await tx.workspaceFileVersion.create({
      data: { fileId: file.id, version, storedFileId: stored.id, uploadedById: actor.id },
    });
    await touchWorkspace(tx, workspaceId);
    await logActivity(
      tx,
      workspaceId,
      actor,
      "file.uploaded",
      `uploaded ${checked.filename}${version > 1 ? ` (version ${version})` : ""}`,
      "/files",
    );
    await recordAudit(tx, {
      actor,
      action: "workspace.file_uploaded",
      targetType: "WorkspaceFile",
      targetId: file.id,
      details: { workspaceId, version, size: upload.bytes.byteLength },
    });
    return { ok: true, fileId: file.id, version };
  });
}

/**
 * A file version for download, to members only; audited. The protective marking goes in the
 * file name and in a header, so it travels with the file.
 */
export async function downloadFile(
  actor: Actor,
  workspaceId: string,
  fileId: string,
  version: number,
  ipAddress = "",
) {
  return db.$transaction(async (tx) => {
    const { workspace } = await access(tx, actor, workspaceId, "read");
    const row = await tx.workspaceFileVersion.findFirst({
      where: { fileId, version, file: { workspaceId } },
      select: {
        storedFile: { select: { filename: true, contentType: true, size: true, data: true } },
      },
    });
    if (!row) throw notFound();
    await recordAudit(tx, {
      actor,
      action: "workspace.file_downloaded",
      targetType: "WorkspaceFile",
      targetId: fileId,
      ipAddress,
      details: { workspaceId, version },
    });
    const marking = MARKING_LABELS[workspace.marking];
    return {
      ...row.storedFile,
      filename: `${marking} ${row.storedFile.filename}`,
      marking,
    };
  });
}
