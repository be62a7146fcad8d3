import { createHash } from "node:crypto";
import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/lib/db.server";
import { spendRateLimit } from "~/lib/rate-limits.server";
import type { Actor } from "~/lib/permissions";
import { notFound, refused, type ServiceResult } from "~/lib/service";
import { renderMarkdown } from "~/lib/markdown.server";
import { recordAudit } from "~/modules/audit/audit.server";
import type { RegistrationInput } from "./schema";
import { access } from "./access.server";
import { actorNames, logActivity } from "./activity.server";
import { clock } from "~/lib/clock";

// Registered findings: pages frozen with a timestamp and a hash, never changed afterwards. Every
// function starts with the access check (access.server.ts).

export type SnapshotPage = { pageId: string; title: string; version: number; body: string };

/** The hash of a registration, over a canonical form whose key order is fixed here. */
export function registrationHash(r: { title: string; registeredAt: Date; pages: SnapshotPage[] }) {
  const canonical = JSON.stringify({
    title: r.title,
    registeredAt: r.registeredAt.toISOString(),
    pages: r.pages.map((p) => ({
      pageId: p.pageId,
      title: p.title,
      version: p.version,
      body: p.body,
    })),
  });
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}

/**
 * Owners register findings: the chosen pages as they are now, frozen with a timestamp and a hash.
 * There is no function to change or delete one, and the database refuses both.
 */
export async function registerFindings(
  actor: Actor,
  workspaceId: string,
  input: RegistrationInput,
  now = clock.now(),
): Promise<ServiceResult<{ registrationId: string; contentHash: string }>> {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "manage");
    const wanted = [...new Set(input.pageIds)];
    const pages = await tx.workspacePage.findMany({
      where: { workspaceId, id: { in: wanted } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, title: true, version: true, body: true },
    });
    if (pages.length !== wanted.length)
      return refused("Choose pages of this workspace only", "pageIds");
    const limited = await spendRateLimit("registrationsPerPerson", actor.id, tx);
    if (limited) return limited;
    const snapshot: SnapshotPage[] = pages.map((p) => ({
      pageId: p.id,
      title: p.title,
      version: p.version,
      body: p.body,
    }));
    const registeredAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const contentHash = registrationHash({ title: input.title, registeredAt, pages: snapshot });
    const registration = await tx.findingsRegistration.create({
      data: {
        workspaceId,
        title: input.title,
        registeredById: actor.id,
        registeredAt,
        snapshot: snapshot as unknown as Prisma.InputJsonArray,
        contentHash,
      },
      select: { id: true },
    });
    await logActivity(
      tx,
      workspaceId,
      actor,
      "findings.registered",
      `registered “${input.title}” (${pages.length} page${pages.length === 1 ? "" : "s"})`,
      `/registrations/${registration.id}`,
    );
    await recordAudit(tx, {
      actor,
      action: "workspace.findings_registered",
      targetType: "FindingsRegistration",
      targetId: registration.id,
      details: { workspaceId, contentHash, pages: snapshot.map((p) => [p.pageId, p.version]) },
    });
    return { ok: true, registrationId: registration.id, contentHash };
  });
}

/** A registration as frozen, and whether its content still matches its hash. */
export async function getRegistration(actor: Actor, workspaceId: string, registrationId: string) {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "read");
    const r = await tx.findingsRegistration.findFirst({
      where: { id: registrationId, workspaceId },
      select: {
        id: true,
        title: true,
        registeredAt: true,
        registeredById: true,
        contentHash: true,
        snapshot: true,
      },
    });
    if (!r) throw notFound();
    const pages = r.snapshot as unknown as SnapshotPage[];
    const names = await actorNames(tx, [r.registeredById]);
    return {
      id: r.id,
      title: r.title,
      registeredAt: r.registeredAt,
      registeredByName: names.get(r.registeredById) ?? "",
      contentHash: r.contentHash,
      intact:
        registrationHash({ title: r.title, registeredAt: r.registeredAt, pages }) === r.contentHash,
      pages: pages.map((p) => ({ ...p, html: renderMarkdown(p.body, { topHeading: 3 }) })),
    };
  });
}

/** What an owner can register: the workspace's pages, and the registrations so far. */
export async function getRegistrations(actor: Actor, workspaceId: string) {
  return db.$transaction(async (tx) => {
    const { role } = await access(tx, actor, workspaceId, "read");
    const [pages, registrations] = await Promise.all([
      tx.workspacePage.findMany({
        where: { workspaceId },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, title: true, version: true },
      }),
      tx.findingsRegistration.findMany({
        where: { workspaceId },
        orderBy: { registeredAt: "desc" },
        select: { id: true, title: true, registeredAt: true, contentHash: true },
      }),
    ]);
    return { role, pages, registrations };
  });
}
