// Placements at scale: one per accepted offer, as the service creates it (secondee, home and host
// institute, start date from the application), each with its checklist copied from the host's
// template the way instantiateChecklist does, and moved on as far as its dates make sense:
// planned and clearing ones ahead, active ones with every required item done or waived, and past
// ones completed (a few cancelled). Done documents have their evidence file; attestations their
// verifier, date and reference.
import type { PlacementStatus } from "~/generated/prisma/enums";
import { ensureChecklistTemplate, type TemplateItemSpec } from "../../test/factories/checklists";
import { pdfBytes } from "../../test/factories/postings";
import { Random } from "../../test/factories/random";
import type { GenApplication } from "./applications";
import type { Phase } from "./context";
import type { PoolPerson } from "./people";
import { addDays, insertPdfFiles, insertRows, isoDay, newId } from "./sql";

/** Every host's checklist for secondees from institutes without a template of their own. */
export const GENERAL_CHECKLIST: TemplateItemSpec[] = [
  {
    key: "release",
    title: "Home release confirmed",
    guidance: "The home institute confirms the release and its dates.",
    ownerSide: "HOME",
    dueOffsetDays: -60,
    evidenceKind: "ATTESTATION",
  },
  {
    key: "agreement",
    title: "Secondment agreement signed",
    guidance: "Signed by both institutes and the secondee.",
    ownerSide: "HOST",
    dueOffsetDays: -45,
    evidenceKind: "DOCUMENT",
    dependsOn: ["release"],
  },
  {
    key: "vetting",
    title: "Security vetting complete",
    guidance: "Record the level, the reference and the expiry, never the vetting papers.",
    ownerSide: "HOST",
    dueOffsetDays: -30,
    evidenceKind: "ATTESTATION",
  },
  {
    key: "visa",
    title: "Visa or work permit granted",
    guidance: "Record the issue date and expiry.",
    ownerSide: "SECONDEE",
    dueOffsetDays: -30,
    evidenceKind: "ATTESTATION",
  },
  {
    key: "nda",
    title: "Confidentiality undertaking signed",
    guidance: "The host's standard undertaking for visiting researchers.",
    ownerSide: "SECONDEE",
    dueOffsetDays: -14,
    evidenceKind: "DOCUMENT",
  },
  {
    key: "it",
    title: "IT accounts created",
    guidance: "Waits for vetting and the undertaking.",
    ownerSide: "HOST",
    dueOffsetDays: -3,
    evidenceKind: "ATTESTATION",
    dependsOn: ["vetting", "nda"],
  },
  {
    key: "induction",
    title: "Induction and relocation briefing",
    guidance: "Housing, banking and healthcare; the office and its rules.",
    ownerSide: "HOST",
    dueOffsetDays: 0,
    required: false,
    evidenceKind: "ATTESTATION",
  },
];

export const GENERAL_TEMPLATE_NAME = "Incoming secondee (any partner institute)";

type TemplateItem = {
  id: string;
  position: number;
  title: string;
  guidance: string;
  ownerSide: "HOME" | "HOST" | "SECONDEE";
  dueOffsetDays: number;
  required: boolean;
  evidenceKind: "ATTESTATION" | "DOCUMENT";
  dependsOnIds: string[];
};

const VERIFIERS = ["Security vetting unit", "HR operations", "Exchange programme office"];
const WAIVERS = [
  "Already held from a previous exchange.",
  "Not needed for a remote placement.",
  "Covered by the home institute's equivalent.",
];

export async function generatePlacements(phase: Phase, apps: GenApplication[]) {
  const { tx, now, people } = phase;
  const rng = new Random("scale:placements");
  for (const institute of people.institutes) {
    await ensureChecklistTemplate(tx as never, {
      hostInstituteId: institute.id,
      homeInstituteId: null,
      name: GENERAL_TEMPLATE_NAME,
      items: GENERAL_CHECKLIST,
    });
  }
  const templates = await tx.checklistTemplate.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      hostInstituteId: true,
      homeInstituteId: true,
      items: { orderBy: { position: "asc" } },
    },
  });
  // As instantiateChecklist chooses: the template for this home institute, else a general one.
  const templateFor = (host: string, home: string): TemplateItem[] => {
    const mine = templates.filter(
      (t) => t.hostInstituteId === host && (t.homeInstituteId === home || !t.homeInstituteId),
    );
    return (mine.find((t) => t.homeInstituteId === home) ?? mine[0])?.items ?? [];
  };
  const hrOf = (instituteId: string) =>
    (people.byInstitute.get(instituteId) ?? []).filter((p) => p.roles.includes("HR"));
  const staffOf = (instituteId: string) =>
    (people.byInstitute.get(instituteId) ?? []).filter((p) => !p.roles.includes("HR"));

  const accepted = apps.filter((a) => a.status === "ACCEPTED");
  const placements: Record<string, unknown>[] = [];
  const items: Record<string, unknown>[] = [];
  const files: Record<string, unknown>[] = [];
  const generated: {
    id: string;
    status: PlacementStatus;
    secondee: PoolPerson;
    hostInstituteId: string;
    at: Date;
  }[] = [];
  for (const a of accepted) {
    const host = a.posting.hostInstituteId;
    const home = a.applicant.instituteId;
    const acceptedAt = a.moves.at(-1)!.at;
    const start = new Date(`${isoDay(a.availableFrom)}T00:00:00Z`);
    const end = addDays(start, a.posting.durationMonths * 30);
    let status: PlacementStatus;
    if (rng.chance(0.04)) status = "CANCELLED";
    else if (end < now) status = "COMPLETED";
    else if (start <= now) status = rng.chance(0.9) ? "ACTIVE" : "CLEARING";
    else if (start <= addDays(now, 45)) status = "CLEARING";
    else status = rng.chance(0.6) ? "PLANNED" : "CLEARING";
    const id = newId();
    const hostCode = people.institutes.find((i) => i.id === host)?.code;
    const supervisor = status === "PLANNED" ? null : rng.pick(staffOf(host));
    const moves = { PLANNED: 0, CLEARING: 1, ACTIVE: 2, COMPLETED: 3, CANCELLED: 2 }[status];
    const updated = new Date(
      Math.min(
        now.getTime(),
        (status === "COMPLETED"
          ? end
          : status === "ACTIVE"
            ? start
            : addDays(acceptedAt, 5)
        ).getTime(),
      ),
    );
    placements.push({
      id,
      applicationId: a.id,
      postingId: a.posting.id,
      secondeeId: a.applicant.id,
      homeInstituteId: home,
      hostInstituteId: host,
      status,
      version: moves,
      startDate: isoDay(start),
      endDate: status === "PLANNED" && rng.chance(0.5) ? null : isoDay(end),
      hostSupervisorId: supervisor?.id ?? null,
      arrangementType:
        hostCode === "US-AISI"
          ? "US_IPA_ASSIGNMENT"
          : hostCode === "UK-AISI"
            ? rng.pick(["UK_SECONDMENT", "UK_LOAN"])
            : "OTHER",
      costArrangement: rng.pick(["HOME_PAYS", "HOME_PAYS", "HOST_PAYS", "SHARED"]),
      createdAt: acceptedAt.toISOString(),
      updatedAt: (updated < acceptedAt ? acceptedAt : updated).toISOString(),
    });
    generated.push({ id, status, secondee: a.applicant, hostInstituteId: host, at: acceptedAt });

    // The checklist: dependencies always point to earlier positions, so "the first k done" never
    // has an item done before what it waits for.
    const template = templateFor(host, home);
    const ids = new Map(template.map((t) => [t.id, newId()]));
    const settledAll = status === "ACTIVE" || status === "COMPLETED";
    const doneCount =
      status === "PLANNED"
        ? 0
        : settledAll
          ? template.length
          : rng.int(0, Math.max(0, template.length - 2));
    const inProgress = status === "CLEARING" ? rng.int(0, 2) : 0;
    const homeHr = hrOf(home);
    const hostHr = hrOf(host);
    template.forEach((t, index) => {
      const itemId = ids.get(t.id)!;
      let state: "TODO" | "IN_PROGRESS" | "DONE" | "WAIVED" =
        index < doneCount ? "DONE" : index < doneCount + inProgress ? "IN_PROGRESS" : "TODO";
      if (state === "DONE" && settledAll && (!t.required ? rng.chance(0.3) : rng.chance(0.04)))
        state = "WAIVED";
      if (state === "DONE" && !t.required && !settledAll && rng.chance(0.5)) state = "TODO";
      const dueAt = addDays(start, t.dueOffsetDays);
      const completedAt = new Date(
        Math.min(
          now.getTime(),
          Math.max(
            acceptedAt.getTime() + 86_400_000,
            dueAt.getTime() - rng.int(0, 10) * 86_400_000,
          ),
        ),
      );
      const completer =
        t.ownerSide === "SECONDEE"
          ? a.applicant
          : t.ownerSide === "HOME"
            ? (rng.pick(homeHr.length ? homeHr : hostHr) ?? a.applicant)
            : (rng.pick(hostHr) ?? a.applicant);
      let evidenceFileId: string | null = null;
      if (state === "DONE" && t.evidenceKind === "DOCUMENT") {
        evidenceFileId = newId();
        files.push({
          id: evidenceFileId,
          ownerId: completer.id,
          filename: `${t.title}.pdf`.replace(/[^\w .()-]/g, ""),
          createdAt: completedAt.toISOString(),
        });
      }
      const attested = state === "DONE" && t.evidenceKind === "ATTESTATION";
      const vetting = /vetting|Security Check|SC\)|suitability|BPSS/i.test(t.title);
      items.push({
        id: itemId,
        placementId: id,
        position: t.position,
        title: t.title,
        guidance: t.guidance,
        ownerSide: t.ownerSide,
        dueOffsetDays: t.dueOffsetDays,
        required: t.required,
        evidenceKind: t.evidenceKind,
        dependsOnIds: t.dependsOnIds.map((d) => ids.get(d)).filter((d): d is string => !!d),
        status: state,
        version: state === "TODO" ? 0 : state === "IN_PROGRESS" ? 1 : 2,
        verifiedBy: attested ? rng.pick(VERIFIERS) : "",
        verifiedOn: attested ? isoDay(completedAt) : null,
        reference: attested ? `REF-${rng.int(10000, 99999)}` : "",
        level: attested && vetting ? rng.pick(["SC", "Baseline", "Secret"]) : "",
        expiresOn: attested && vetting ? isoDay(addDays(completedAt, 5 * 365)) : null,
        evidenceFileId,
        waivedReason: state === "WAIVED" ? rng.pick(WAIVERS) : "",
        completedById: state === "DONE" || state === "WAIVED" ? completer.id : null,
        completedAt: state === "DONE" || state === "WAIVED" ? completedAt.toISOString() : null,
        createdAt: acceptedAt.toISOString(),
        updatedAt: (state === "TODO" ? acceptedAt : completedAt).toISOString(),
      });
    });
  }

  const bar = phase.bar("placements", placements.length + items.length);
  const evidence = pdfBytes("evidence (generated)");
  await insertPdfFiles(tx, files, evidence);
  await insertRows(
    tx,
    "Placement",
    {
      id: "text",
      applicationId: "text",
      postingId: "text",
      secondeeId: "text",
      homeInstituteId: "text",
      hostInstituteId: "text",
      status: '"PlacementStatus"',
      version: "int",
      startDate: "date",
      endDate: "date",
      hostSupervisorId: "text",
      arrangementType: '"ArrangementType"',
      costArrangement: '"CostArrangement"',
      createdAt: "timestamp(3)",
      updatedAt: "timestamp(3)",
    },
    placements,
    { bar },
  );
  await insertRows(
    tx,
    "ChecklistItem",
    {
      id: "text",
      placementId: "text",
      position: "int",
      title: "text",
      guidance: "text",
      ownerSide: '"OwnerSide"',
      dueOffsetDays: "int",
      required: "boolean",
      evidenceKind: '"EvidenceKind"',
      dependsOnIds: "text[]",
      status: '"ChecklistItemStatus"',
      version: "int",
      verifiedBy: "text",
      verifiedOn: "date",
      reference: "text",
      level: "text",
      expiresOn: "date",
      evidenceFileId: "text",
      waivedReason: "text",
      completedById: "text",
      completedAt: "timestamp(3)",
      createdAt: "timestamp(3)",
      updatedAt: "timestamp(3)",
    },
    items,
    { bar },
  );
  bar.done(`${placements.length} placements, ${items.length} checklist items`);
  return { placements: generated, items: items.length };
}
