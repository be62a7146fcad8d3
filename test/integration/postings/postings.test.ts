import { beforeAll, describe, expect, test } from "vitest";
import { postingInput } from "#test/factories/postings";
import { dayAfter, localDateTimeAfter, TEST_NOW } from "#test/support/clock";
import { db } from "~/lib/db.server";
import { closeExpiredPostings } from "~/modules/postings/closer.server";
import { listManagedPostings, listOpenPostings } from "~/modules/postings/posting-list.server";
import { getPosting, getPostingForm } from "~/modules/postings/posting-page.server";
import { createPosting, movePosting, updatePosting } from "~/modules/postings/postings.server";
import { parsePostingFilter } from "~/modules/postings/schema";
import { createPipelineWorld, openPosting, type World } from "#test/support/pipeline-world";

let w: World;
beforeAll(async () => {
  w = await createPipelineWorld();
});

const filter = (query = "") => parsePostingFilter(new URLSearchParams(query));
const NOW = TEST_NOW;
// January is a fixed fact: New York keeps standard time then (UTC-5). Next year's, so it is ahead.
const JANUARY_31 = `${NOW.getUTCFullYear() + 1}-01-31`;

/** What New York's clocks show at `at`, as a datetime-local value ("YYYY-MM-DDTHH:MM"). */
function newYorkClock(at: Date) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: "America/New_York",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part("year")}-${part("month")}-${part("day")}T${part("hour")}:${part("minute")}`;
}

async function expect404(promise: Promise<unknown>) {
  await expect(promise).rejects.toSatisfy(
    (r: unknown) => r instanceof Response && r.status === 404,
  );
}

describe("creating and editing", () => {
  test("the deadline is typed in the host's zone and stored as that instant", async () => {
    const created = await createPosting(
      w.hostHr,
      postingInput({
        contactHrId: w.hostHr.id,
        eligibleInstitutes: [w.uk.id],
        deadline: `${JANUARY_31}T17:00`,
      }),
      NOW,
    );
    expect(created.ok).toBe(true);
    const id = (created as { postingId: string }).postingId;
    const row = await db.posting.findUniqueOrThrow({ where: { id } });
    // 17:00 in New York in January is 22:00 UTC.
    expect(row.deadline.toISOString()).toBe(`${JANUARY_31}T22:00:00.000Z`);
    expect(row.status).toBe("DRAFT");
    const form = await getPostingForm(w.hostHr, id);
    expect(form.values?.deadline).toBe(`${JANUARY_31}T17:00`);
  });

  test("bad references and past deadlines are refused field by field; nothing is written", async () => {
    const before = await db.posting.count();
    const result = await createPosting(
      w.hostHr,
      postingInput({
        contactHrId: w.usStaff.id, // not HR
        eligibleInstitutes: [w.us.id], // the host itself
        requiredExpertise: ["no-such-area"],
        deadline: localDateTimeAfter(-31, "12:00", NOW), // a month ago
      }),
      NOW,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        deadline: ["The deadline must be in the future"],
        requiredExpertise: ["Choose areas from the list"],
        eligibleInstitutes: ["Choose partner institutes from the list"],
        contactHrId: ["Choose an HR coordinator of your institute"],
      },
    });
    expect(await db.posting.count()).toBe(before);
  });

  test("only host HR create, edit and move; a stale form is refused", async () => {
    const id = await openPosting(w);
    const input = postingInput({
      contactHrId: w.hostHr.id,
      eligibleInstitutes: [w.uk.id],
      title: "Renamed",
    });
    for (const other of [w.homeHr, w.jpHr, w.usStaff, w.admin, w.applicant]) {
      await expect404(updatePosting(other, id, { ...input, version: 1 }, NOW));
      await expect404(movePosting(other, id, "CLOSED", 1, NOW));
    }
    await expect404(createPosting(w.usStaff, input, NOW));
    expect((await updatePosting(w.hostHr, id, { ...input, version: 1 }, NOW)).ok).toBe(true);
    // hostHr2 loaded the form at version 1 too: their save is refused, not silently applied.
    const stale = await updatePosting(w.hostHr2, id, { ...input, title: "Other", version: 1 }, NOW);
    expect(stale).toMatchObject({ ok: false, conflict: true });
    expect((await db.posting.findUniqueOrThrow({ where: { id } })).title).toBe("Renamed");
    expect(await movePosting(w.hostHr, id, "OPEN", 2, NOW)).toEqual({
      ok: false,
      errors: { "": ["That action is not possible in this posting's state."] },
    });
    expect((await movePosting(w.hostHr, id, "CANCELLED", 2, NOW)).ok).toBe(true);
    expect((await db.posting.findUniqueOrThrow({ where: { id } })).status).toBe("CANCELLED");
    // Host HR may also close a posting and mark it filled by hand.
    const other = await openPosting(w);
    expect((await movePosting(w.hostHr, other, "CLOSED", 1, NOW)).ok).toBe(true);
    expect((await movePosting(w.hostHr, other, "FILLED", 2, NOW)).ok).toBe(true);
    expect((await db.posting.findUniqueOrThrow({ where: { id: other } })).status).toBe("FILLED");
    expect((await updatePosting(w.hostHr, id, { ...input, version: 3 }, NOW)).ok).toBe(false);
  });
});

describe("who sees what", () => {
  test("eligible staff see open postings; drafts and other institutes' postings are hidden", async () => {
    const open = await openPosting(w, { title: "Open to UK" });
    const draft = await createPosting(
      w.hostHr,
      postingInput({ contactHrId: w.hostHr.id, eligibleInstitutes: [w.uk.id], title: "Draft one" }),
      NOW,
    );
    const draftId = (draft as { postingId: string }).postingId;
    const ukList = (await listOpenPostings(w.applicant, filter())).items.map((p) => p.id);
    expect(ukList).toContain(open);
    expect(ukList).not.toContain(draftId);
    // Japan is not eligible: not listed, and the page is a 404.
    expect((await listOpenPostings(w.jpStaff, filter())).items.map((p) => p.id)).not.toContain(
      open,
    );
    await expect404(getPosting(w.jpStaff, open));
    await expect404(getPosting(w.applicant, draftId));
    await expect404(getPosting(w.homeHr, draftId));
    expect((await getPosting(w.hostHr2, draftId)).isHost).toBe(true);
    // Host HR manage every posting of their institute, and only theirs.
    expect((await listManagedPostings(w.hostHr)).map((p) => p.id)).toEqual(
      expect.arrayContaining([open, draftId]),
    );
    expect((await listManagedPostings(w.homeHr)).map((p) => p.id)).not.toContain(open);
  });

  test("filters: text, institute, expertise, duration, work mode, start window", async () => {
    const area = await db.expertiseArea.create({ data: { name: `Cyber ranges ${Date.now()}` } });
    const a = await openPosting(w, {
      title: "Cyber range engineer",
      requiredExpertise: [area.id],
      durationMonths: 3,
      workMode: "REMOTE",
      location: "",
      // Starts between three and four months ahead.
      earliestStart: dayAfter(92, NOW),
      latestStart: dayAfter(120, NOW),
    });
    const b = await openPosting(w, { title: "Policy fellow", durationMonths: 12 });
    const ids = async (q: string) =>
      (await listOpenPostings(w.applicant, filter(q))).items.map((p) => p.id);
    expect(await ids("q=cyber+range")).toEqual([a]);
    expect(await ids(`expertise=${area.id}`)).toEqual([a]);
    expect(await ids("duration=short")).toContain(a);
    expect(await ids("duration=short")).not.toContain(b);
    expect(await ids("duration=long")).toContain(b);
    expect(await ids("workMode=REMOTE")).toContain(a);
    expect(await ids("workMode=REMOTE")).not.toContain(b);
    // A window from a month after its latest start misses it; one to two weeks after its earliest
    // start overlaps it.
    expect(await ids(`startFrom=${dayAfter(151, NOW)}`)).not.toContain(a);
    expect(await ids(`startTo=${dayAfter(106, NOW)}`)).toContain(a);
    expect(await ids("institute=UK-AISI")).toEqual([]);
    expect((await ids("institute=US-AISI")).length).toBeGreaterThan(1);
    // Junk in the URL is dropped, not an error.
    expect(filter("duration=forever&workMode=<script>&startFrom=tomorrow&page=-3")).toMatchObject({
      duration: [],
      workMode: [],
      startFrom: "",
      page: 1,
    });
  });
});

describe("the deadline", () => {
  test("a posting closes itself at its deadline, audited; it leaves the list at once", async () => {
    // In two weeks, before every other posting here (eight weeks ahead) has closed.
    const typed = localDateTimeAfter(14, "09:00", NOW);
    const id = await openPosting(w, { deadline: typed });
    const { deadline } = await db.posting.findUniqueOrThrow({ where: { id } });
    // The instant New York's clocks show 09:00 that day (UTC-5 or UTC-4, as the season has it).
    expect(newYorkClock(deadline)).toBe(typed);
    const beforeDeadline = new Date(deadline.getTime() - 60_000);
    const afterDeadline = deadline;
    expect(
      (await listOpenPostings(w.applicant, filter(), beforeDeadline)).items.map((p) => p.id),
    ).toContain(id);
    expect(
      (await listOpenPostings(w.applicant, filter(), afterDeadline)).items.map((p) => p.id),
    ).not.toContain(id);
    expect(await closeExpiredPostings(beforeDeadline)).toBe(0);
    expect(await closeExpiredPostings(afterDeadline)).toBeGreaterThanOrEqual(1);
    expect((await db.posting.findUniqueOrThrow({ where: { id } })).status).toBe("CLOSED");
    const audit = await db.auditEvent.findFirst({
      where: { action: "posting.status", targetId: id, actorId: null },
    });
    expect(audit?.details).toMatchObject({ from: "OPEN", to: "CLOSED", reason: "deadline" });
  });
});
