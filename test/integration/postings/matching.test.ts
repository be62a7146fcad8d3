import { beforeAll, describe, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import {
  suggestedPeopleForPosting,
  suggestedPostingsFor,
} from "~/modules/postings/matching.server";
import { createPipelineWorld, openPosting, type World } from "#test/support/pipeline-world";

let w: World;
let evals: { id: string; name: string };
let cyber: { id: string; name: string };

beforeAll(async () => {
  w = await createPipelineWorld();
  evals = await db.expertiseArea.create({ data: { name: "Evaluations (matching)" } });
  cyber = await db.expertiseArea.create({ data: { name: "Cyber (matching)" } });
});

async function setProfile(userId: string, data: Record<string, unknown>) {
  await db.profile.upsert({ where: { userId }, create: { userId, ...data }, update: data });
}

describe("suggested people for a posting (host HR)", () => {
  test("open to secondment, eligible, sharing expertise; the reason names what is shared", async () => {
    const postingId = await openPosting(w, {
      requiredExpertise: [evals.id],
      desiredExpertise: [cyber.id],
    });
    await setProfile(w.ukStaff.id, {
      expertiseIds: [evals.id, cyber.id],
      expertiseLabels: [evals.name, cyber.name],
      openToSecondment: true,
    });
    const people = await suggestedPeopleForPosting(w.hostHr, postingId);
    const ursula = people.find((p) => p.userId === w.ukStaff.id);
    expect(ursula?.shared).toEqual([cyber.name, evals.name].sort());
    // Not eligible (Japan), or host staff: never suggested.
    await setProfile(w.jpStaff.id, {
      expertiseIds: [evals.id],
      expertiseLabels: [evals.name],
      openToSecondment: true,
    });
    expect(
      (await suggestedPeopleForPosting(w.hostHr, postingId)).map((p) => p.userId),
    ).not.toContain(w.jpStaff.id);
    // Only host HR may ask.
    for (const other of [w.homeHr, w.applicant, w.reviewer, w.admin])
      await expect(suggestedPeopleForPosting(other, postingId)).rejects.toSatisfy(
        (r: unknown) => r instanceof Response && r.status === 404,
      );
  });

  test("visibility tiers: hidden expertise or availability never suggests anyone", async () => {
    const postingId = await openPosting(w, { requiredExpertise: [evals.id] });
    const ids = async () =>
      (await suggestedPeopleForPosting(w.hostHr, postingId)).map((p) => p.userId);
    await setProfile(w.manager.id, {
      expertiseIds: [evals.id],
      expertiseLabels: [evals.name],
      openToSecondment: true,
      expertiseVisibility: "INSTITUTE",
    });
    expect(await ids()).not.toContain(w.manager.id);
    await setProfile(w.manager.id, {
      expertiseVisibility: "PARTNERS",
      availabilityVisibility: "PRIVATE",
    });
    expect(await ids()).not.toContain(w.manager.id);
    await setProfile(w.manager.id, { availabilityVisibility: "PARTNERS" });
    expect(await ids()).toContain(w.manager.id);
    await setProfile(w.manager.id, { openToSecondment: false });
    expect(await ids()).not.toContain(w.manager.id);
  });
});

describe("suggested postings for a person", () => {
  test("open postings they may apply to that match their own expertise, with the reason", async () => {
    const match = await openPosting(w, { title: "Matching evals", requiredExpertise: [evals.id] });
    const other = await openPosting(w, { title: "Unrelated" });
    await setProfile(w.homeHr.id, { expertiseIds: [evals.id], expertiseLabels: [evals.name] });
    const suggested = await suggestedPostingsFor(w.homeHr, 50);
    expect(suggested.find((p) => p.id === match)?.shared).toEqual([evals.name]);
    expect(suggested.map((p) => p.id)).not.toContain(other);
    // Japan is not eligible; the host's own staff are not offered their own postings.
    await setProfile(w.jpStaff.id, { expertiseIds: [evals.id], expertiseLabels: [evals.name] });
    expect((await suggestedPostingsFor(w.jpStaff, 50)).map((p) => p.id)).not.toContain(match);
    await setProfile(w.usStaff.id, { expertiseIds: [evals.id], expertiseLabels: [evals.name] });
    expect((await suggestedPostingsFor(w.usStaff, 50)).map((p) => p.id)).not.toContain(match);
  });
});
