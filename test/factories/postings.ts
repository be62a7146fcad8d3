import { clock } from "~/lib/clock";
import type { PostingInput } from "~/modules/postings/schema";
import { dayAfter, localDateTimeAfter } from "../support/clock";
import { officeBytes } from "./zip";

// Shared by the demo data (prisma/demo.ts) and the tests: valid postings and documents.

/**
 * A valid posting form, as host HR would fill it in today: the deadline eight weeks ahead at 17:00
 * in the host's local time, starts between twelve weeks and six months ahead.
 */
export function postingInput(
  overrides: Partial<PostingInput> & Pick<PostingInput, "contactHrId" | "eligibleInstitutes">,
): PostingInput {
  return {
    title: "Evaluations research secondment",
    team: "Frontier evaluations",
    description:
      "Join the **evaluations** team to design and run dangerous-capability evaluations of frontier models.",
    requiredExpertise: [],
    desiredExpertise: [],
    minClearance: "BASELINE",
    workMode: "HYBRID",
    location: "Washington, DC",
    durationMonths: 6,
    earliestStart: dayAfter(84, clock.now()),
    latestStart: dayAfter(176, clock.now()),
    places: 1,
    deadline: localDateTimeAfter(56, "17:00", clock.now()),
    ...overrides,
  };
}

/** The smallest bytes that pass as a PDF by content. */
export function pdfBytes(text = "curriculum vitae") {
  return new TextEncoder().encode(
    `%PDF-1.4\n% ${text}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`,
  );
}

/** A minimal DOCX: a real ZIP archive with the parts a Word document has. */
export function docxBytes() {
  return officeBytes("docx");
}

/** What an attacker might upload under a .pdf name: a Windows executable header. */
export function exeBytes() {
  return new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]);
}
