import { beforeAll, describe, expect, test } from "vitest";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import { ensureUser, uniqueEmail } from "#test/factories";
import { exeBytes, pdfBytes } from "#test/factories/postings";
import { dayAfter, daysAfter, midnightAfter } from "#test/support/clock";
import { db } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { getTemplate, saveTemplateItem } from "~/modules/checklists/templates.server";
import { downloadEvidence, uploadEvidence } from "~/modules/checklists/evidence.server";
import {
  addChecklistItem,
  moveChecklistItem,
  removeChecklistItem,
} from "~/modules/checklists/items.server";
import { placementCalendar } from "~/modules/placements/calendar.server";
import { listPlacements } from "~/modules/placements/placement-list.server";
import { getPlacement } from "~/modules/placements/placement-page.server";
import {
  movePlacement,
  setHostSupervisor,
  updatePlacementDetails,
} from "~/modules/placements/placements.server";
import { readPlacementPage } from "~/modules/placements/queries.server";
import { SUPERVISOR_CHOICES } from "~/modules/placements/schema";
import {
  advance,
  APPLICATION_FORM,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";

let w: World;
let templateId: string;

/** A placement starts on the applicant's availability: twelve weeks after the test's now. */
const START = APPLICATION_FORM.availableFrom;
/** The calendar day `days` after the calendar day `day`. */
const dayFrom = (day: string, days: number) => dayAfter(days, new Date(`${day}T00:00:00Z`));
/** The placement's planned end: six months after its start. */
const END = dayFrom(START, 184);

beforeAll(async () => {
  w = await createPipelineWorld();
  templateId = await ensureChecklistTemplate(db, {
    hostInstituteId: w.us.id,
    homeInstituteId: w.uk.id,
    name: "Incoming from the UK",
    items: US_HOST_CHECKLIST,
  });
});

/** An accepted offer, hence a placement with the US checklist. */
async function newPlacement(applicant = w.applicant) {
  const postingId = await openPosting(w, { places: 5 });
  const appId = await submittedApplication(w, postingId, applicant);
  const saved = { ...w, applicant };
  await advance(saved, appId, [
    "HOME_RELEASED",
    "UNDER_REVIEW",
    "SHORTLISTED",
    "OFFERED",
    "ACCEPTED",
  ]);
  const placement = await db.placement.findUniqueOrThrow({ where: { applicationId: appId } });
  return placement.id;
}

const move = async (
  actor: typeof w.hostHr,
  itemId: string,
  to: "IN_PROGRESS" | "DONE" | "WAIVED" | "TODO",
  extra = {},
) => {
  const { version } = await db.checklistItem.findUniqueOrThrow({ where: { id: itemId } });
  return moveChecklistItem(actor, itemId, {
    to,
    version,
    verifiedBy: "",
    verifiedOn: "",
    reference: "",
    level: "",
    expiresOn: "",
    reason: "",
    ...extra,
  });
};
// Verified last week.
const attest = { verifiedBy: "Pat Vetting", verifiedOn: dayAfter(-7), reference: "REF-1" };

async function item(placementId: string, title: string) {
  return db.checklistItem.findFirstOrThrow({ where: { placementId, title } });
}

describe("templates", () => {
  test("a dependency cycle is refused with a message naming it; nothing changes", async () => {
    const template = await getTemplate(w.hostHr, templateId);
    const it = template.items.find((i) => i.title === "IT accounts created")!;
    const suitability = template.items.find(
      (i) => i.title === "Suitability determination (SF-85P)",
    )!;
    const result = await saveTemplateItem(
      w.hostHr,
      templateId,
      {
        title: suitability.title,
        guidance: suitability.guidance,
        ownerSide: "HOST",
        dueOffsetDays: -45,
        required: true,
        evidenceKind: "ATTESTATION",
        dependsOn: [it.id],
      },
      suitability.id,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        dependsOn: [
          "These items would wait for each other in a circle: Suitability determination (SF-85P) → IT accounts created → Suitability determination (SF-85P).",
        ],
      },
    });
    expect(
      (await db.checklistTemplateItem.findUniqueOrThrow({ where: { id: suitability.id } }))
        .dependsOnIds,
    ).toEqual([]);
  });

  test("a dependency on another template's item is refused; only host HR manage templates", async () => {
    const other = await db.checklistTemplate.create({
      data: { hostInstituteId: w.us.id, name: `Other ${Date.now()}` },
    });
    const foreign = await db.checklistTemplateItem.create({
      data: {
        templateId: other.id,
        position: 0,
        title: "Elsewhere",
        ownerSide: "HOST",
        dueOffsetDays: 0,
        evidenceKind: "ATTESTATION",
      },
    });
    const input = {
      title: "New item",
      guidance: "",
      ownerSide: "HOST" as const,
      dueOffsetDays: -5,
      required: true,
      evidenceKind: "ATTESTATION" as const,
      dependsOn: [foreign.id],
    };
    expect(await saveTemplateItem(w.hostHr, templateId, input)).toEqual({
      ok: false,
      errors: { dependsOn: ["Choose items of this checklist (not the item itself)"] },
    });
    for (const other of [w.homeHr, w.usStaff, w.admin])
      await expect(
        saveTemplateItem(other, templateId, { ...input, dependsOn: [] }),
      ).rejects.toSatisfy((r: unknown) => r instanceof Response && r.status === 404);
  });
});

describe("a placement's checklist", () => {
  test("created from the template on acceptance, with dependencies, blocked items and due dates", async () => {
    const id = await newPlacement();
    const view = await getPlacement(w.hostHr, id);
    expect(view.items.map((i) => i.title)).toEqual(US_HOST_CHECKLIST.map((i) => i.title));
    const it = view.items.find((i) => i.title === "IT accounts created")!;
    expect(it.shownStatus).toBe("BLOCKED");
    expect(it.waitingFor.sort()).toEqual([
      "Non-disclosure agreement signed",
      "Suitability determination (SF-85P)",
    ]);
    // Start on the applicant's availability; IT accounts are due three days before.
    expect(view.placement.startDate?.toISOString().slice(0, 10)).toBe(START);
    expect(it.due).toBe(dayFrom(START, -3));
    expect(view.progress.overall).toEqual({ done: 0, total: 9 });
    expect(view.blockers).toHaveLength(8); // the relocation briefing is optional

    // Moving the start date (a month later) moves every due date.
    const later = dayFrom(START, 31);
    await updatePlacementDetails(w.hostHr, id, {
      startDate: later,
      endDate: dayFrom(later, 183),
      hostSupervisorId: w.reviewer.id,
      arrangementType: "US_IPA_ASSIGNMENT",
      costArrangement: "SHARED",
      extensionReason: "",
      version: view.placement.version,
    });
    expect((await getPlacement(w.hostHr, id)).items.find((i) => i.id === it.id)!.due).toBe(
      dayFrom(later, -3),
    );
  });

  test("each side works its own items; HR alone waive; blocked items unblock; the gate opens last", async () => {
    const id = await newPlacement(w.ukStaff);
    const p = await db.placement.findUniqueOrThrow({ where: { id } });
    await updatePlacementDetails(w.hostHr, id, {
      startDate: dayFrom(START, 31),
      endDate: dayFrom(START, 214),
      hostSupervisorId: w.reviewer.id,
      arrangementType: "US_IPA_ASSIGNMENT",
      costArrangement: "HOME_PAYS",
      extensionReason: "",
      version: p.version,
    });
    const training = await item(id, "Data-handling training completed");
    // The secondee does their own item, with the attestation.
    expect(await move(w.ukStaff, training.id, "DONE", {})).toEqual({
      ok: false,
      errors: {
        verifiedBy: ["Enter who verified it"],
        verifiedOn: ["Enter the date it was verified"],
      },
    });
    expect((await move(w.ukStaff, training.id, "DONE", attest)).ok).toBe(true);
    // ...but not the host's, nor a waiver; the host supervisor does the host's.
    const suitability = await item(id, "Suitability determination (SF-85P)");
    await expect(move(w.ukStaff, suitability.id, "DONE", attest)).rejects.toSatisfy(
      (r: unknown) => r instanceof Response && r.status === 403,
    );
    const nda = await item(id, "Non-disclosure agreement signed");
    expect(await move(w.ukStaff, nda.id, "WAIVED", { reason: "n/a" })).toEqual({
      ok: false,
      errors: { "": ["Only HR can waive an item or reopen one."] },
    });
    // A blocked item cannot be completed, even by HR.
    const it = await item(id, "IT accounts created");
    expect(await move(w.hostHr, it.id, "DONE", attest)).toEqual({
      ok: false,
      errors: { "": ["This item is waiting for others to be done first."] },
    });
    expect((await move(w.reviewer, suitability.id, "DONE", attest)).ok).toBe(true);
    // A document item needs its upload first; an executable is refused by content.
    expect(await move(w.ukStaff, nda.id, "DONE")).toEqual({
      ok: false,
      errors: { evidence: ["Upload the document first"] },
    });
    expect(await uploadEvidence(w.ukStaff, nda.id, { name: "nda.pdf", bytes: exeBytes() })).toEqual(
      {
        ok: false,
        errors: { evidence: ["The file must be a PDF or a Word (DOCX) document"] },
      },
    );
    expect(
      (await uploadEvidence(w.ukStaff, nda.id, { name: "nda.pdf", bytes: pdfBytes("NDA") })).ok,
    ).toBe(true);
    expect((await move(w.ukStaff, nda.id, "DONE")).ok).toBe(true);
    const file = await downloadEvidence(w.hostHr, nda.id, "198.51.100.7");
    expect(Buffer.from(file.data).subarray(0, 5).toString()).toBe("%PDF-");
    expect(
      await db.auditEvent.count({
        where: { action: "checklist.item.evidence.download", targetId: nda.id },
      }),
    ).toBe(1);
    await expect(downloadEvidence(w.usStaff, nda.id)).rejects.toSatisfy(
      (r: unknown) => r instanceof Response && r.status === 404,
    );
    // IT accounts unblocked now that both dependencies are done.
    expect((await getPlacement(w.hostHr, id)).items.find((i) => i.id === it.id)!.shownStatus).toBe(
      "TODO",
    );

    // Activation is refused while required items remain, and says which.
    expect(
      (
        await movePlacement(
          w.hostHr,
          id,
          "CLEARING",
          (await db.placement.findUniqueOrThrow({ where: { id } })).version,
        )
      ).ok,
    ).toBe(true);
    const early = await movePlacement(
      w.hostHr,
      id,
      "ACTIVE",
      (await db.placement.findUniqueOrThrow({ where: { id } })).version,
    );
    expect(early.ok).toBe(false);
    expect(JSON.stringify(early)).toContain("Home release letter");
    expect(JSON.stringify(early)).not.toContain("Relocation briefing"); // optional

    // HR of each side waive the rest of theirs (a reason is required), then the placement can start.
    const rest = await db.checklistItem.findMany({
      where: { placementId: id, status: { notIn: ["DONE", "WAIVED"] }, required: true },
    });
    expect(await move(w.hostHr, rest.find((r) => r.ownerSide !== "HOME")!.id, "WAIVED")).toEqual({
      ok: false,
      errors: { reason: ["Give the reason for the waiver"] },
    });
    for (const r of rest)
      expect(
        (
          await move(r.ownerSide === "HOME" ? w.homeHr : w.hostHr, r.id, "WAIVED", {
            reason: "Covered by the home institute's checks",
          })
        ).ok,
      ).toBe(true);
    const version = (await db.placement.findUniqueOrThrow({ where: { id } })).version;
    expect(await movePlacement(w.homeHr, id, "ACTIVE", version)).toEqual({
      ok: false,
      errors: { "": ["That is not possible in the placement's current state."] },
    });
    expect((await movePlacement(w.hostHr, id, "ACTIVE", version)).ok).toBe(true);
    expect(
      await db.auditEvent.count({
        where: { action: "checklist.item.waive", details: { path: ["placementId"], equals: id } },
      }),
    ).toBe(rest.length);

    // Every move is in the audit log: the placement's, the items', the uploads and downloads.
    const actions = await db.auditEvent.findMany({
      where: {
        OR: [{ targetId: id }, { details: { path: ["placementId"], equals: id } }],
      },
      select: { action: true },
    });
    const seen = new Set(actions.map((a) => a.action));
    for (const action of [
      "placement.transition",
      "placement.update",
      "checklist.item.status",
      "checklist.item.waive",
      "checklist.item.evidence.upload",
    ])
      expect(seen, action).toContain(action);
    expect(
      await db.auditEvent.count({
        where: { action: "checklist.item.evidence.download", targetId: nda.id },
      }),
    ).toBe(1);

    // Completed: the checklist is a record; nothing more changes.
    await movePlacement(w.hostHr, id, "COMPLETED", version + 1);
    const relocation = await item(id, "Relocation briefing");
    expect(await move(w.hostHr, relocation.id, "DONE", attest)).toEqual({
      ok: false,
      errors: { "": ["This placement is finished; its checklist is a record now."] },
    });
    const finished = await db.placement.findUniqueOrThrow({ where: { id } });
    expect(
      await updatePlacementDetails(w.hostHr, id, {
        startDate: dayFrom(START, 61),
        endDate: dayFrom(START, 245),
        hostSupervisorId: "",
        arrangementType: "OTHER",
        costArrangement: "HOME_PAYS",
        extensionReason: "x",
        version: finished.version,
      }),
    ).toEqual({
      ok: false,
      errors: { "": ["A completed or cancelled placement can no longer be changed."] },
    });
  });

  test("HR add and remove items on one placement; dependencies stay within it", async () => {
    const id = await newPlacement();
    const elsewhere = await db.checklistItem.findFirstOrThrow({
      where: { placementId: { not: id } },
    });
    expect(
      await addChecklistItem(w.hostHr, id, {
        title: "Depends on another placement",
        guidance: "",
        ownerSide: "HOST",
        dueOffsetDays: 0,
        required: false,
        evidenceKind: "ATTESTATION",
        dependsOn: [elsewhere.id],
      }),
    ).toEqual({
      ok: false,
      errors: { dependsOn: ["Choose items of this checklist (not the item itself)"] },
    });
    const added = await addChecklistItem(w.homeHr, id, {
      title: "Pension transfer paperwork",
      guidance: "",
      ownerSide: "HOME",
      dueOffsetDays: -30,
      required: true,
      evidenceKind: "ATTESTATION",
      dependsOn: [(await item(id, "Home release letter")).id],
    });
    expect(added.ok).toBe(true);
    const addedId = (added as { itemId: string }).itemId;
    expect((await getPlacement(w.manager, id)).items.map((i) => i.title)).toContain(
      "Pension transfer paperwork",
    );
    // The item is the home side's: host HR may not remove it, home HR may.
    await expect(removeChecklistItem(w.hostHr, addedId)).rejects.toSatisfy(
      (r: unknown) => r instanceof Response && r.status === 403,
    );
    expect((await removeChecklistItem(w.homeHr, addedId)).ok).toBe(true);
    await expect(
      removeChecklistItem(w.manager, (await item(id, "Home release letter")).id),
    ).rejects.toSatisfy((r: unknown) => r instanceof Response && r.status === 403);
  });

  test("who sees a placement: the secondee, their line manager, both HRs, the host supervisor", async () => {
    const id = await newPlacement();
    for (const who of [w.applicant, w.manager, w.homeHr, w.hostHr])
      expect((await getPlacement(who, id)).placement.id).toBe(id);
    for (const who of [w.ukStaff, w.usStaff, w.jpHr, w.admin, w.reviewer])
      await expect(getPlacement(who, id)).rejects.toSatisfy(
        (r: unknown) => r instanceof Response && r.status === 404,
      );
    expect((await listPlacements(w.hostHr)).map((p) => p.id)).toContain(id);
    expect((await listPlacements(w.homeHr, "PLANNED")).map((p) => p.id)).toContain(id);
    expect((await listPlacements(w.homeHr, "ACTIVE")).map((p) => p.id)).not.toContain(id);
    expect((await listPlacements(w.jpHr)).map((p) => p.id)).not.toContain(id);
  });
});

test("the calendar lists the start, the end and every open item's due date, for those who may see it", async () => {
  const id = await newPlacement();
  const p = await db.placement.findUniqueOrThrow({ where: { id } });
  await updatePlacementDetails(w.hostHr, id, {
    startDate: START,
    endDate: END,
    hostSupervisorId: "",
    arrangementType: "US_IPA_ASSIGNMENT",
    costArrangement: "HOME_PAYS",
    extensionReason: "",
    version: p.version,
  });
  const ics = await placementCalendar(w.applicant, id);
  expect(ics).toContain("SUMMARY:Secondment starts: Amir Applicant\r\n");
  const ical = (day: string) => day.replaceAll("-", "");
  expect(ics).toContain(`DTSTART;VALUE=DATE:${ical(END)}`);
  // IT accounts: three days before the start.
  expect(ics).toContain(
    `DTSTART;VALUE=DATE:${ical(dayFrom(START, -3))}\r\nDTEND;VALUE=DATE:${ical(dayFrom(START, -2))}\r\nSUMMARY:Due: IT accounts created`,
  );
  expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2 + US_HOST_CHECKLIST.length);
  await expect(placementCalendar(w.usStaff, id)).rejects.toSatisfy(
    (r: unknown) => r instanceof Response && r.status === 404,
  );
});

test("evidence that is too large is refused, and nothing is stored", async () => {
  const id = await newPlacement();
  const nda = await item(id, "Non-disclosure agreement signed");
  const files = await db.storedFile.count();
  process.env.UPLOAD_MAX_BYTES = "2048";
  resetEnvCache();
  try {
    expect(
      await uploadEvidence(w.applicant, nda.id, {
        name: "nda.pdf",
        bytes: new Uint8Array(4096).fill(0x25),
      }),
    ).toEqual({ ok: false, errors: { evidence: ["The file must be 2 KB or smaller"] } });
    expect(
      await uploadEvidence(w.applicant, nda.id, { name: "nda.pdf", bytes: new Uint8Array() }),
    ).toEqual({
      ok: false,
      errors: { evidence: ["The selected file is empty"] },
    });
  } finally {
    delete process.env.UPLOAD_MAX_BYTES;
    resetEnvCache();
  }
  expect(await db.storedFile.count()).toBe(files);
  expect(
    (await db.checklistItem.findUniqueOrThrow({ where: { id: nda.id } })).evidenceFileId,
  ).toBeNull();
});

describe("the host supervisor: a bounded picker, on request, and only host staff", () => {
  const denied = (status: number) => (r: unknown) => r instanceof Response && r.status === status;
  const staff = (name: string, instituteId: string, deactivated = false) =>
    ensureUser(db, { email: uniqueEmail("cand"), displayName: name, instituteId, deactivated });
  let candidates: { id: string }[];
  let gone: { id: string };
  let elsewhere: { id: string };

  beforeAll(async () => {
    // More host staff than the picker shows, one who has left, and one at the home institute.
    candidates = [];
    for (let n = 1; n <= SUPERVISOR_CHOICES + 5; n++)
      candidates.push(await staff(`Sam Candidate ${String(n).padStart(2, "0")}`, w.us.id));
    gone = await staff("Sam Candidate Departed", w.us.id, true);
    elsewhere = await staff("Sam Candidate Overseas", w.uk.id);
  });

  test("the page reads no host staff unless HR ask to change the supervisor", async () => {
    const id = await newPlacement();
    expect((await getPlacement(w.hostHr, id)).supervisorPicker).toBeNull();
    for (const party of [w.applicant, w.manager])
      expect((await getPlacement(party, id, { supervisorSearch: "" })).supervisorPicker).toBeNull();
    for (const hr of [w.hostHr, w.homeHr]) {
      const picker = (await getPlacement(hr, id, { supervisorSearch: "" })).supervisorPicker!;
      expect(picker.candidates).toHaveLength(SUPERVISOR_CHOICES);
      expect(picker.more).toBe(true);
    }
  });

  test("the candidates are at most a page of active host staff, narrowed by name", async () => {
    const id = await newPlacement();
    const search = async (q: string) =>
      (await getPlacement(w.hostHr, id, { supervisorSearch: q })).supervisorPicker!;
    const all = await search("sam candidate");
    expect(all.candidates).toHaveLength(SUPERVISOR_CHOICES);
    expect(all.more).toBe(true);
    expect(all.candidates[0]!.displayName).toBe("Sam Candidate 01");
    const ids = all.candidates.map((c) => c.id);
    expect(ids).not.toContain(gone.id);
    expect(ids).not.toContain(elsewhere.id);
    const one = await search("  CANDIDATE 07 ");
    expect(one).toMatchObject({ query: "CANDIDATE 07", more: false });
    expect(one.candidates.map((c) => c.id)).toEqual([candidates[6]!.id]);
    expect((await search("Departed")).candidates).toEqual([]);
    expect((await search("Overseas")).candidates).toEqual([]);
    expect((await search("%_'\\")).candidates).toEqual([]);
  });

  test("HR name an eligible supervisor; anyone else is refused and nothing changes", async () => {
    const id = await newPlacement();
    const version = async () => (await db.placement.findUniqueOrThrow({ where: { id } })).version;
    const before = await version();
    for (const hostSupervisorId of [elsewhere.id, gone.id, "no-such-user", w.applicant.id])
      expect(await setHostSupervisor(w.hostHr, id, { hostSupervisorId, version: before })).toEqual({
        ok: false,
        errors: { hostSupervisorId: ["Choose someone at the host institute"] },
      });
    // The details form may still carry it: the same rule.
    expect(
      await updatePlacementDetails(w.hostHr, id, {
        startDate: "",
        endDate: "",
        hostSupervisorId: elsewhere.id,
        arrangementType: "OTHER",
        costArrangement: "HOME_PAYS",
        extensionReason: "",
        version: before,
      }),
    ).toMatchObject({
      ok: false,
      errors: { hostSupervisorId: ["Choose someone at the host institute"] },
    });
    expect(await version()).toBe(before);

    await expect(
      setHostSupervisor(w.applicant, id, { hostSupervisorId: candidates[0]!.id, version: before }),
    ).rejects.toSatisfy(denied(403));
    await expect(
      setHostSupervisor(w.usStaff, id, { hostSupervisorId: candidates[0]!.id, version: before }),
    ).rejects.toSatisfy(denied(404));

    const chosen = candidates[SUPERVISOR_CHOICES + 2]!.id;
    expect(
      await setHostSupervisor(w.homeHr, id, { hostSupervisorId: chosen, version: before }),
    ).toEqual({
      ok: true,
    });
    expect(
      await setHostSupervisor(w.hostHr, id, { hostSupervisorId: "", version: before }),
    ).toMatchObject({ ok: false, conflict: true });
    const after = await db.placement.findUniqueOrThrow({ where: { id } });
    expect(after).toMatchObject({ hostSupervisorId: chosen, version: before + 1 });
    expect(
      await db.auditEvent.findFirst({
        where: { targetId: id, action: "placement.supervisor" },
        select: { details: true },
      }),
    ).toMatchObject({ details: { from: null, to: chosen } });

    // Dates and terms without the field leave the supervisor as it is; "" names no one.
    const details = {
      startDate: START,
      endDate: END,
      arrangementType: "OTHER",
      costArrangement: "HOME_PAYS",
      extensionReason: "",
    } as const;
    expect(await updatePlacementDetails(w.hostHr, id, { ...details, version: before + 1 })).toEqual(
      {
        ok: true,
      },
    );
    expect((await db.placement.findUniqueOrThrow({ where: { id } })).hostSupervisorId).toBe(chosen);
    expect(
      await setHostSupervisor(w.hostHr, id, { hostSupervisorId: "", version: before + 2 }),
    ).toEqual({ ok: true });
    expect((await db.placement.findUniqueOrThrow({ where: { id } })).hostSupervisorId).toBeNull();
  });
});

describe("the placement page's read", () => {
  // What the page read through Prisma before it was written as one SQL statement.
  const prismaRead = (id: string) =>
    db.placement.findUnique({
      where: { id },
      select: {
        id: true,
        status: true,
        version: true,
        startDate: true,
        endDate: true,
        arrangementType: true,
        costArrangement: true,
        homeInstituteId: true,
        hostInstituteId: true,
        secondeeId: true,
        hostSupervisorId: true,
        secondee: {
          select: {
            id: true,
            displayName: true,
            lineManagerId: true,
            institute: { select: { name: true } },
          },
        },
        hostSupervisor: { select: { id: true, displayName: true } },
        posting: {
          select: {
            id: true,
            title: true,
            hostInstitute: { select: { name: true, timeZone: true } },
          },
        },
        checklistItems: {
          orderBy: [{ position: "asc" }, { id: "asc" }],
          select: {
            id: true,
            title: true,
            guidance: true,
            ownerSide: true,
            dueOffsetDays: true,
            required: true,
            evidenceKind: true,
            dependsOnIds: true,
            status: true,
            version: true,
            verifiedBy: true,
            verifiedOn: true,
            reference: true,
            level: true,
            expiresOn: true,
            waivedReason: true,
            evidenceFile: { select: { filename: true } },
          },
        },
        extensions: {
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          select: { id: true, previousEnd: true, newEnd: true, reason: true },
        },
      },
    });

  test("returns what Prisma's read of the same fields returns, for a bare and a full placement", async () => {
    const bare = await newPlacement();
    await db.placement.update({
      where: { id: bare },
      data: { startDate: null, endDate: null, hostSupervisorId: null },
    });
    const bareRead = await readPlacementPage(bare);
    expect(bareRead).toEqual(await prismaRead(bare));
    expect(bareRead!.hostSupervisor).toBeNull();
    expect(bareRead!.startDate).toBeNull();

    const full = await newPlacement();
    const items = await db.checklistItem.findMany({
      where: { placementId: full },
      orderBy: { position: "asc" },
    });
    expect(items.length).toBeGreaterThan(2);
    const file = await db.storedFile.create({
      data: {
        ownerId: w.applicant.id,
        filename: 'nda "signed".pdf',
        contentType: "application/pdf",
        size: 3,
        sha256: "0".repeat(64),
        data: Buffer.from("pdf"),
      },
    });
    // Dates of a placement under way: started a month ago, verified last week, extended twice.
    const end = midnightAfter(335);
    await db.placement.update({
      where: { id: full },
      data: {
        startDate: midnightAfter(-30),
        endDate: end,
        hostSupervisorId: w.hostHr.id,
        // Two items at one position: the id breaks the tie, as Prisma's order did.
        checklistItems: {
          update: [
            {
              where: { id: items[0]!.id },
              data: {
                status: "DONE",
                verifiedBy: "O'Brien",
                verifiedOn: midnightAfter(-7),
                // A leap day, a fixed fact: the read must give it back as stored.
                expiresOn: new Date("2028-02-29T00:00:00Z"),
                reference: "REF-1",
                level: "SC",
                evidenceFileId: file.id,
              },
            },
            {
              where: { id: items[1]!.id },
              data: {
                status: "WAIVED",
                waivedReason: "Held already, see \\share",
                position: items[2]!.position,
                dependsOnIds: [items[0]!.id, items[2]!.id],
              },
            },
          ],
        },
        extensions: {
          create: [
            {
              previousEnd: end,
              newEnd: midnightAfter(91, end),
              reason: "Project overran",
              createdById: w.hostHr.id,
              createdAt: daysAfter(-2),
            },
            {
              previousEnd: null,
              newEnd: midnightAfter(182, end),
              reason: "Again",
              createdById: w.hostHr.id,
              // Created before the one above, though inserted after it: the read orders by time.
              createdAt: daysAfter(-3),
            },
          ],
        },
      },
    });
    const fullRead = await readPlacementPage(full);
    expect(fullRead).toEqual(await prismaRead(full));
    const supervisor = await db.user.findUniqueOrThrow({ where: { id: w.hostHr.id } });
    expect(fullRead!.hostSupervisor).toEqual({
      id: w.hostHr.id,
      displayName: supervisor.displayName,
    });
    expect(fullRead!.extensions.map((x) => x.reason)).toEqual(["Again", "Project overran"]);
    const done = fullRead!.checklistItems.find((i) => i.id === items[0]!.id)!;
    expect(done.verifiedOn).toEqual(midnightAfter(-7));
    expect(done.evidenceFile).toEqual({ filename: 'nda "signed".pdf' });

    expect(await readPlacementPage("no-such-placement")).toBeNull();
  });
});
