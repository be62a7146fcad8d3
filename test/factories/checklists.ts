import type { PrismaClient } from "~/generated/prisma/client";
import type { EvidenceKind, OwnerSide } from "~/generated/prisma/enums";

// Shared by prisma/seed.ts and the tests: the hosts' standard clearance checklists.

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
