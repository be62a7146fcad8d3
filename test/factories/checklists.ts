import type { PrismaClient } from "~/generated/prisma/client";
import type { EvidenceKind, OwnerSide } from "~/generated/prisma/enums";
import { sha256Hex } from "~/lib/files.server";
import { pdfBytes } from "./postings";
import { clock } from "~/lib/clock";

// Shared by the demo data (prisma/demo.ts) and the tests: the hosts' standard clearance checklists.

export type TemplateItemSpec = {
  key: string;
  title: string;
  guidance: string;
  ownerSide: OwnerSide;
  dueOffsetDays: number;
  required?: boolean;
  evidenceKind: EvidenceKind;
  dependsOn?: string[];
};

/** What the US institute asks of a secondee arriving from the UK. */
export const US_HOST_CHECKLIST: TemplateItemSpec[] = [
  {
    key: "release",
    title: "Home release letter",
    guidance: "A letter from the home institute confirming the release and its dates.",
    ownerSide: "HOME",
    dueOffsetDays: -60,
    evidenceKind: "DOCUMENT",
  },
  {
    key: "agreement",
    title: "IPA assignment agreement signed",
    guidance: "Optional Form 69, signed by both institutes and the secondee.",
    ownerSide: "HOST",
    dueOffsetDays: -60,
    evidenceKind: "DOCUMENT",
    dependsOn: ["release"],
  },
  {
    key: "suitability",
    title: "Suitability determination (SF-85P)",
    guidance: "Record the adjudication outcome, not the questionnaire.",
    ownerSide: "HOST",
    dueOffsetDays: -45,
    evidenceKind: "ATTESTATION",
  },
  {
    key: "visa",
    title: "J-1 visa issued",
    guidance: "Record the visa's issue date and expiry.",
    ownerSide: "SECONDEE",
    dueOffsetDays: -30,
    evidenceKind: "ATTESTATION",
  },
  {
    key: "nda",
    title: "Non-disclosure agreement signed",
    guidance: "The institute's standard NDA for visiting researchers.",
    ownerSide: "SECONDEE",
    dueOffsetDays: -20,
    evidenceKind: "DOCUMENT",
  },
  {
    key: "training",
    title: "Data-handling training completed",
    guidance: "Controlled unclassified information (CUI) training.",
    ownerSide: "SECONDEE",
    dueOffsetDays: -10,
    evidenceKind: "ATTESTATION",
  },
  {
    key: "it",
    title: "IT accounts created",
    guidance: "Waits for the suitability determination and the NDA.",
    ownerSide: "HOST",
    dueOffsetDays: -3,
    evidenceKind: "ATTESTATION",
    dependsOn: ["suitability", "nda"],
  },
  {
    key: "badge",
    title: "Building access badge issued",
    guidance: "PIV-I badge for the Washington office.",
    ownerSide: "HOST",
    dueOffsetDays: 0,
    evidenceKind: "ATTESTATION",
    dependsOn: ["suitability"],
  },
  {
    key: "relocation",
    title: "Relocation briefing",
    guidance: "Housing, banking and healthcare briefing.",
    ownerSide: "HOST",
    dueOffsetDays: -14,
    required: false,
    evidenceKind: "ATTESTATION",
  },
];

/** What the UK institute asks of a secondee arriving from the US. */
export const UK_HOST_CHECKLIST: TemplateItemSpec[] = [
  {
    key: "release",
    title: "Release confirmed by line manager",
    guidance: "The home line manager confirms the release and its dates.",
    ownerSide: "HOME",
    dueOffsetDays: -60,
    evidenceKind: "ATTESTATION",
  },
  {
    key: "agreement",
    title: "Loan agreement signed",
    guidance: "The inward loan agreement, signed by both institutes.",
    ownerSide: "HOST",
    dueOffsetDays: -60,
    evidenceKind: "DOCUMENT",
    dependsOn: ["release"],
  },
  {
    key: "bpss",
    title: "BPSS check complete",
    guidance:
      "Baseline Personnel Security Standard: identity, right to work, employment history, criminal record.",
    ownerSide: "HOST",
    dueOffsetDays: -45,
    evidenceKind: "ATTESTATION",
  },
  {
    key: "sc",
    title: "Security Check (SC) clearance granted",
    guidance:
      "Record the level, the vetting authority's reference and the expiry, never the vetting papers.",
    ownerSide: "HOST",
    dueOffsetDays: -30,
    evidenceKind: "ATTESTATION",
    dependsOn: ["bpss"],
  },
  {
    key: "visa",
    title: "Government Authorised Exchange visa granted",
    guidance: "Record the visa's issue date and expiry.",
    ownerSide: "SECONDEE",
    dueOffsetDays: -30,
    evidenceKind: "ATTESTATION",
  },
  {
    key: "nda",
    title: "Official Secrets Act declaration signed",
    guidance: "The declaration every visiting researcher signs.",
    ownerSide: "SECONDEE",
    dueOffsetDays: -20,
    evidenceKind: "DOCUMENT",
  },
  {
    key: "training",
    title: "Data-handling training completed",
    guidance: "Responsible for Information (general user).",
    ownerSide: "SECONDEE",
    dueOffsetDays: -10,
    evidenceKind: "ATTESTATION",
  },
  {
    key: "it",
    title: "IT accounts created",
    guidance: "Waits for SC clearance and the declaration.",
    ownerSide: "HOST",
    dueOffsetDays: -3,
    evidenceKind: "ATTESTATION",
    dependsOn: ["sc", "nda"],
  },
  {
    key: "pass",
    title: "Building pass issued",
    guidance: "For the London office.",
    ownerSide: "HOST",
    dueOffsetDays: 0,
    evidenceKind: "ATTESTATION",
    dependsOn: ["sc"],
  },
];

/** Creates the template with its items unless one of that name exists at the host. */
export async function ensureChecklistTemplate(
  db: PrismaClient,
  spec: {
    hostInstituteId: string;
    homeInstituteId: string | null;
    name: string;
    items: TemplateItemSpec[];
  },
) {
  const existing = await db.checklistTemplate.findUnique({
    where: { hostInstituteId_name: { hostInstituteId: spec.hostInstituteId, name: spec.name } },
    select: { id: true },
  });
  if (existing) return existing.id;
  const template = await db.checklistTemplate.create({
    data: {
      hostInstituteId: spec.hostInstituteId,
      homeInstituteId: spec.homeInstituteId,
      name: spec.name,
    },
  });
  const ids = new Map<string, string>();
  for (const [position, item] of spec.items.entries()) {
    const row = await db.checklistTemplateItem.create({
      data: {
        templateId: template.id,
        position,
        title: item.title,
        guidance: item.guidance,
        ownerSide: item.ownerSide,
        dueOffsetDays: item.dueOffsetDays,
        required: item.required ?? true,
        evidenceKind: item.evidenceKind,
        dependsOnIds: (item.dependsOn ?? []).map((k) => ids.get(k)!),
      },
    });
    ids.set(item.key, row.id);
  }
  return template.id;
}

/**
 * Brings a demo placement to a status with a realistic checklist: the first `done` items done
 * (documents attached, attestations recorded), the next `inProgress` started; idempotent.
 */
export async function settleDemoPlacement(
  db: PrismaClient,
  placementId: string,
  spec: {
    status: "PLANNED" | "CLEARING" | "ACTIVE" | "COMPLETED" | "CANCELLED";
    done: number | "all";
    inProgress?: number;
    endDate?: Date;
  },
) {
  const placement = await db.placement.findUniqueOrThrow({ where: { id: placementId } });
  if (placement.status !== "PLANNED" || placement.version > 0) return; // already settled
  const items = await db.checklistItem.findMany({
    where: { placementId },
    orderBy: { position: "asc" },
  });
  const done = spec.done === "all" ? items.length : spec.done;
  for (const [index, item] of items.entries()) {
    if (index < done) {
      let evidenceFileId: string | null = null;
      if (item.evidenceKind === "DOCUMENT") {
        const bytes = pdfBytes(`${item.title} (demo)`);
        const file = await db.storedFile.create({
          data: {
            ownerId: placement.secondeeId,
            filename: `${item.title}.pdf`.replace(/[^\w .()-]/g, ""),
            contentType: "application/pdf",
            size: bytes.byteLength,
            sha256: sha256Hex(bytes),
            data: Buffer.from(bytes),
          },
        });
        evidenceFileId = file.id;
      }
      await db.checklistItem.update({
        where: { id: item.id },
        data: {
          status: "DONE",
          version: 1,
          evidenceFileId,
          ...(item.evidenceKind === "ATTESTATION"
            ? {
                verifiedBy: "Security vetting unit",
                verifiedOn: clock.now(),
                reference: `DEMO-${index + 1}`,
              }
            : {}),
          completedAt: clock.now(),
        },
      });
    } else if (index < done + (spec.inProgress ?? 0)) {
      await db.checklistItem.update({
        where: { id: item.id },
        data: { status: "IN_PROGRESS", version: 1 },
      });
    }
  }
  await db.placement.update({
    where: { id: placementId },
    data: { status: spec.status, version: 1, ...(spec.endDate ? { endDate: spec.endDate } : {}) },
  });
}
