import type { Prisma } from "~/generated/prisma/client";
import { db, likeLiteral } from "~/lib/db.server";
import type { FieldErrors } from "~/lib/forms";
import { assertHrOf, type Actor } from "~/lib/permissions";
import { notFound, refused, type ServiceResult } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { findCycle } from "./logic";
import type { ChecklistItemInput } from "./schema";

type Tx = Prisma.TransactionClient;

/** The message for a dependency cycle, naming the items around it. */
export function cycleMessage(cycle: string[], titles: Map<string, string>) {
  return `These items would wait for each other in a circle: ${cycle.map((id) => titles.get(id) ?? id).join(" → ")}.`;
}

/**
 * Validates one item's dependencies against its list (template or placement) as it would be after
 * the change: every dependency must be another item of the same list, and no cycle may form.
 */
export function checkDependencies(
  list: { id: string; title: string; dependsOnIds: string[] }[],
  item: { id: string; title: string; dependsOn: string[] },
): FieldErrors {
  const ids = new Set(list.map((i) => i.id));
  if (item.dependsOn.some((d) => !ids.has(d) || d === item.id))
    return { dependsOn: ["Choose items of this checklist (not the item itself)"] };
  const after = [
    ...list.filter((i) => i.id !== item.id).map((i) => ({ id: i.id, dependsOn: i.dependsOnIds })),
    { id: item.id, dependsOn: item.dependsOn },
  ];
  const found = findCycle(after);
  if (!found) return {};
  // Told from the item being edited, which is how the person thinks of it.
  const ring = found.slice(0, -1);
  const at = Math.max(0, ring.indexOf(item.id));
  const cycle = [...ring.slice(at), ...ring.slice(0, at), ring[at]!];
  const titles = new Map([...list.map((i) => [i.id, i.title] as const), [item.id, item.title]]);
  return { dependsOn: [cycleMessage(cycle, titles)] };
}

// Templates -----------------------------------------------------------------------------------

/** The HR's institute's templates (it hosts secondees under them), with their items. */
export async function listTemplates(actor: Actor) {
  assertHrOf(actor, actor.instituteId);
  return db.checklistTemplate.findMany({
    where: { hostInstituteId: actor.instituteId },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      homeInstituteId: true,
      _count: { select: { items: true } },
    },
  });
}

export async function getTemplate(actor: Actor, templateId: string) {
  const template = await db.checklistTemplate.findUnique({
    where: { id: templateId },
    select: {
      id: true,
      name: true,
      hostInstituteId: true,
      homeInstituteId: true,
      items: { orderBy: { position: "asc" } },
    },
  });
  if (!template) throw notFound();
  assertHrOf(actor, template.hostInstituteId);
  return template;
}

/** Adds an item to a template, or changes one (with `itemId`). */
export async function saveTemplateItem(
  actor: Actor,
  templateId: string,
  input: ChecklistItemInput,
  itemId?: string,
): Promise<ServiceResult<{ itemId: string }>> {
  return db.$transaction(async (tx) => {
    const template = await tx.checklistTemplate.findUnique({
      where: { id: templateId },
      select: {
        hostInstituteId: true,
        items: { select: { id: true, title: true, dependsOnIds: true, position: true } },
      },
    });
    if (!template) throw notFound();
    assertHrOf(actor, template.hostInstituteId);
    if (itemId && !template.items.some((i) => i.id === itemId)) throw notFound();
    const id = itemId ?? `new-${templateId}`;
    const errors = checkDependencies(template.items, {
      id,
      title: input.title,
      dependsOn: input.dependsOn,
    });
    if (Object.keys(errors).length) return { ok: false, errors };
    const data = {
      title: input.title,
      guidance: input.guidance,
      ownerSide: input.ownerSide,
      dueOffsetDays: input.dueOffsetDays,
      required: input.required,
      evidenceKind: input.evidenceKind,
      dependsOnIds: [...new Set(input.dependsOn)],
    };
    const saved = itemId
      ? await tx.checklistTemplateItem.update({ where: { id: itemId }, data, select: { id: true } })
      : await tx.checklistTemplateItem.create({
          data: {
            ...data,
            templateId,
            position: Math.max(0, ...template.items.map((i) => i.position)) + 1,
          },
          select: { id: true },
        });
    await recordAudit(tx, {
      actor,
      action: itemId ? "checklist.template.item.update" : "checklist.template.item.add",
      targetType: "ChecklistTemplate",
      targetId: templateId,
      details: { itemId: saved.id, title: input.title },
    });
    return { ok: true, itemId: saved.id };
  });
}

// Instances -----------------------------------------------------------------------------------

/**
 * Gives a new placement its checklist: the host's template for secondees from this home
 * institute, or else its general one. Dependencies are carried over to the copied items.
 */
export async function instantiateChecklist(
  tx: Tx,
  placement: { id: string; hostInstituteId: string; homeInstituteId: string },
) {
  const templates = await tx.checklistTemplate.findMany({
    where: {
      hostInstituteId: placement.hostInstituteId,
      OR: [{ homeInstituteId: placement.homeInstituteId }, { homeInstituteId: null }],
    },
    select: { id: true, homeInstituteId: true, items: { orderBy: { position: "asc" } } },
    orderBy: { createdAt: "asc" },
  });
  const template =
    templates.find((t) => t.homeInstituteId === placement.homeInstituteId) ?? templates[0];
  if (!template) return 0;
  const created = new Map<string, string>();
  for (const item of template.items) {
    const row = await tx.checklistItem.create({
      data: {
        placementId: placement.id,
        position: item.position,
        title: item.title,
        guidance: item.guidance,
        ownerSide: item.ownerSide,
        dueOffsetDays: item.dueOffsetDays,
        required: item.required,
        evidenceKind: item.evidenceKind,
      },
      select: { id: true },
    });
    created.set(item.id, row.id);
  }
  for (const item of template.items) {
    if (!item.dependsOnIds.length) continue;
    await tx.checklistItem.update({
      where: { id: created.get(item.id)! },
      data: {
        dependsOnIds: item.dependsOnIds.map((d) => created.get(d)).filter((d): d is string => !!d),
      },
    });
  }
  return template.items.length;
}

/** A new, empty template at the HR's institute, optionally for secondees from one institute. */
export async function createTemplate(
  actor: Actor,
  input: { name: string; homeInstituteId: string },
): Promise<ServiceResult<{ templateId: string }>> {
  assertHrOf(actor, actor.instituteId);
  return db.$transaction(async (tx): Promise<ServiceResult<{ templateId: string }>> => {
    if (input.homeInstituteId) {
      const home = await tx.institute.findFirst({
        where: { id: input.homeInstituteId, NOT: { id: actor.instituteId } },
        select: { id: true },
      });
      if (!home) return refused("Choose a partner institute", "homeInstituteId");
    }
    const clash = await tx.checklistTemplate.findFirst({
      where: {
        hostInstituteId: actor.instituteId,
        name: { equals: likeLiteral(input.name), mode: "insensitive" },
      },
      select: { id: true },
    });
    if (clash) return refused("A template with this name already exists", "name");
    const template = await tx.checklistTemplate.create({
      data: {
        hostInstituteId: actor.instituteId,
        homeInstituteId: input.homeInstituteId || null,
        name: input.name,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor,
      action: "checklist.template.create",
      targetType: "ChecklistTemplate",
      targetId: template.id,
      details: { name: input.name },
    });
    return { ok: true, templateId: template.id };
  });
}

/** Removes an item from a template, and from the dependencies of the others. */
export async function removeTemplateItem(actor: Actor, templateId: string, itemId: string) {
  return db.$transaction(async (tx) => {
    const item = await tx.checklistTemplateItem.findFirst({
      where: { id: itemId, templateId },
      select: { title: true, template: { select: { hostInstituteId: true } } },
    });
    if (!item) throw notFound();
    assertHrOf(actor, item.template.hostInstituteId);
    const dependants = await tx.checklistTemplateItem.findMany({
      where: { templateId, dependsOnIds: { has: itemId } },
      select: { id: true, dependsOnIds: true },
    });
    for (const d of dependants)
      await tx.checklistTemplateItem.update({
        where: { id: d.id },
        data: { dependsOnIds: d.dependsOnIds.filter((x) => x !== itemId) },
      });
    await tx.checklistTemplateItem.delete({ where: { id: itemId } });
    await recordAudit(tx, {
      actor,
      action: "checklist.template.item.remove",
      targetType: "ChecklistTemplate",
      targetId: templateId,
      details: { itemId, title: item.title },
    });
    return { ok: true } as const;
  });
}

/** Partner institutes, for a template's "secondees from" choice. */
export function partnerInstitutes(actor: Actor) {
  assertHrOf(actor, actor.instituteId);
  return db.institute.findMany({
    where: { NOT: { id: actor.instituteId } },
    orderBy: { code: "asc" },
    select: { id: true, code: true, name: true },
  });
}
