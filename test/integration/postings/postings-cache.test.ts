import { beforeAll, describe, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { PostingsListCache, postingsListPage } from "~/modules/postings/list-cache.server";
import { createPosting, movePosting, updatePosting } from "~/modules/postings/postings.server";
import { parsePostingFilter } from "~/modules/postings/schema";
import { postingInput } from "#test/factories/postings";
import {
  BEFORE_DEADLINE,
  createPipelineWorld,
  openPosting,
  submittedApplication,
  type World,
} from "#test/support/pipeline-world";

// The postings list's cache (list-cache.server.ts): shared between viewers who see the same list,
// never between viewers who do not, never stale after a committed change, even one made by another
// app process (simulated here by a second cache on the same database), and never past a deadline.

let w: World;
beforeAll(async () => {
  w = await createPipelineWorld();
});

const filter = (query = "") => parsePostingFilter(new URLSearchParams(query));
const NOW = BEFORE_DEADLINE;

async function list(cache: PostingsListCache, viewer: Actor, query = "", now = NOW) {
  return (await postingsListPage(viewer, filter(query), { cache, now })).result;
}
const ids = (r: { items: { id: string }[] }) => r.items.map((p) => p.id);

describe("who shares a cached page", () => {
  test("staff of one institute share a page; an institute that is not eligible never gets it, in either order", async () => {
    const id = await openPosting(w, { title: "Zarnicle secondment" });

    const cache = new PostingsListCache(100);
    const first = await list(cache, w.applicant, "q=zarnicle");
    expect(ids(first)).toEqual([id]);
    // Another UK person, HR or not, is served the same computed page.
    expect((await list(cache, w.homeHr, "q=zarnicle")).items).toBe(first.items);
    expect((await list(cache, w.ukStaff, "q=zarnicle")).items).toBe(first.items);
    // Japan is not eligible; the US hosts it.
    expect(ids(await list(cache, w.jpStaff, "q=zarnicle"))).toEqual([]);
    expect(ids(await list(cache, w.usStaff, "q=zarnicle"))).toEqual([id]);
    expect(cache.size).toBe(3);

    // Japan first: the empty page is not what the UK then gets.
    const other = new PostingsListCache(100);
    expect(ids(await list(other, w.jpStaff, "q=zarnicle"))).toEqual([]);
    expect(ids(await list(other, w.jpHr, "q=zarnicle"))).toEqual([]);
    expect(ids(await list(other, w.applicant, "q=zarnicle"))).toEqual([id]);
  });

  test("drafts are never listed, not even for the host's HR; filter order does not matter", async () => {
    const open = await openPosting(w, { title: "Quorbit open" });
    const cache = new PostingsListCache(100);
    // A draft of the host institute, created after the list was cached.
    await list(cache, w.hostHr, "q=quorbit");
    const { postingId: draft } = (await createPosting(
      w.hostHr,
      postingInput({
        title: "Quorbit draft",
        contactHrId: w.hostHr.id,
        eligibleInstitutes: [w.uk.id],
      }),
      NOW,
    )) as { postingId: string };
    for (const viewer of [w.hostHr, w.usStaff, w.applicant])
      expect(ids(await list(cache, viewer, "q=quorbit"))).toEqual([open]);
    expect(ids(await list(cache, w.hostHr, "q=quorbit"))).not.toContain(draft);

    const a = await list(cache, w.applicant, "q=quorbit&workMode=HYBRID&workMode=REMOTE");
    const b = await list(cache, w.ukStaff, "q=quorbit&workMode=REMOTE&workMode=HYBRID");
    expect(b.items).toBe(a.items);
  });

  test("a page is not served once one of its postings' deadline has passed", async () => {
    const id = await openPosting(w, { title: "Vexillary secondment" });
    const { deadline } = await db.posting.findUniqueOrThrow({ where: { id } });
    const cache = new PostingsListCache(100);
    const justBefore = new Date(deadline.getTime() - 1000);
    expect(ids(await list(cache, w.applicant, "q=vexillary", justBefore))).toEqual([id]);
    expect(ids(await list(cache, w.applicant, "q=vexillary", deadline))).toEqual([]);
    // Nor a page computed later for an earlier moment.
    expect(ids(await list(cache, w.applicant, "q=vexillary", justBefore))).toEqual([id]);
  });
});

describe("suggestions", () => {
  test("one ranking per institute and expertise; each person's applications are left out of it", async () => {
    const area = await db.expertiseArea.create({ data: { name: "Gaff rigging" } });
    const other = await db.expertiseArea.create({ data: { name: "Mizzen masts" } });
    const a = await openPosting(w, { title: "Gaff one", requiredExpertise: [area.id] });
    const b = await openPosting(w, { title: "Gaff two", desiredExpertise: [area.id] });
    const c = await openPosting(w, { title: "Mizzen one", requiredExpertise: [other.id] });
    const expertise = (ids: string[]) => ({ expertiseIds: ids, expertiseLabels: [] });
    for (const who of [w.applicant, w.ukStaff, w.jpStaff])
      await db.profile.upsert({
        where: { userId: who.id },
        create: { userId: who.id, ...expertise([area.id]) },
        update: expertise([area.id]),
      });
    await submittedApplication(w, a, w.applicant);

    const cache = new PostingsListCache(100);
    const suggested = async (who: Actor) =>
      (await postingsListPage(who, filter(), { cache, now: NOW })).suggested.map((p) => p.id);
    // Required areas count twice: a before b; the applicant already applied to a.
    expect(await suggested(w.ukStaff)).toEqual([a, b]);
    expect(await suggested(w.applicant)).toEqual([b]);
    expect(await suggested(w.ukStaff)).toEqual([a, b]);
    // Japan is not eligible.
    expect(await suggested(w.jpStaff)).toEqual([]);
    // Another expertise is another ranking, seen at once.
    await db.profile.update({ where: { userId: w.ukStaff.id }, data: expertise([other.id]) });
    expect(await suggested(w.ukStaff)).toEqual([c]);
    expect(await suggested(w.applicant)).toEqual([b]);
    // A closed posting leaves every ranking.
    expect((await movePosting(w.hostHr, b, "CLOSED", 1)).ok).toBe(true);
    expect(await suggested(w.applicant)).toEqual([]);
  });
});

describe("a committed change is seen by the next list, in every process", () => {
  const twoProcesses = () => {
    const a = new PostingsListCache(100);
    const b = new PostingsListCache(100);
    return async (viewer: Actor, query: string) => {
      const [ra, rb] = [await list(a, viewer, query), await list(b, viewer, query)];
      expect(ids(ra)).toEqual(ids(rb));
      expect(ra.total).toBe(rb.total);
      return ra;
    };
  };

  test("publishing, editing, making eligible and closing a posting", async () => {
    const both = twoProcesses();
    expect(ids(await both(w.applicant, "q=plimsoll"))).toEqual([]);
    const id = await openPosting(w, { title: "Plimsoll secondment" });
    expect(ids(await both(w.applicant, "q=plimsoll"))).toEqual([id]);

    // An edit: a new title, and Japan made eligible.
    expect(ids(await both(w.jpStaff, "q=plimsoll"))).toEqual([]);
    expect(ids(await both(w.applicant, "q=gunwale"))).toEqual([]);
    const updated = await updatePosting(
      w.hostHr,
      id,
      postingInput({
        title: "Plimsoll and gunwale secondment",
        contactHrId: w.hostHr.id,
        eligibleInstitutes: [w.uk.id, w.jp.id],
        version: 1,
      }),
      NOW,
    );
    expect(updated.ok).toBe(true);
    expect(ids(await both(w.applicant, "q=gunwale"))).toEqual([id]);
    expect(ids(await both(w.jpStaff, "q=plimsoll"))).toEqual([id]);

    // Closed: gone for everyone.
    expect((await movePosting(w.hostHr, id, "CLOSED", 2)).ok).toBe(true);
    expect(ids(await both(w.applicant, "q=plimsoll"))).toEqual([]);
    expect(ids(await both(w.jpStaff, "q=plimsoll"))).toEqual([]);
  });

  test("an institute's rename reaches the listed host names and the institute filter", async () => {
    const both = twoProcesses();
    const id = await openPosting(w, { title: "Halyard secondment" });
    const before = await both(w.applicant, "q=halyard");
    expect(before.items[0]!.id).toBe(id);
    const us = await db.institute.findUniqueOrThrow({ where: { id: w.us.id } });
    await db.institute.update({ where: { id: w.us.id }, data: { name: "Renamed Host Institute" } });
    const after = await both(w.applicant, "q=halyard");
    expect(after.items[0]!.hostName).toBe("Renamed Host Institute");
    expect(after.institutes.find((i) => i.code === us.code)?.name).toBe("Renamed Host Institute");
    await db.institute.update({ where: { id: w.us.id }, data: { name: us.name } });
  });

  test("a new, renamed or retired expertise area reaches the filter list and the listed postings", async () => {
    const both = twoProcesses();
    const area = await db.expertiseArea.create({ data: { name: "Scuttlebutt studies" } });
    const id = await openPosting(w, { title: "Scuttle secondment", requiredExpertise: [area.id] });
    expect((await both(w.applicant, "q=scuttle")).items[0]!.expertise).toEqual([area.name]);

    const created = await db.expertiseArea.create({ data: { name: "Bilge studies" } });
    expect((await both(w.applicant, "q=scuttle")).areas.map((a) => a.id)).toContain(created.id);

    await db.expertiseArea.update({ where: { id: area.id }, data: { name: "Scuttle science" } });
    expect((await both(w.applicant, "q=scuttle")).items[0]!.expertise).toEqual(["Scuttle science"]);

    await db.expertiseArea.update({ where: { id: area.id }, data: { retiredAt: new Date() } });
    const retired = await both(w.applicant, "q=scuttle");
    expect(retired.items.map((p) => p.id)).toEqual([id]);
    expect(retired.items[0]!.expertise).toEqual([]);
    expect(retired.areas.map((a) => a.id)).not.toContain(area.id);
  });

  test("an application does not invalidate the list (it changes nothing the list reads)", async () => {
    const postingId = await openPosting(w, { title: "Taffrail secondment" });
    const cache = new PostingsListCache(100);
    const first = await list(cache, w.applicant, "q=taffrail");
    const version = async () =>
      (await db.$queryRaw<{ version: bigint }[]>`SELECT "version" FROM "PostingsState"`)[0]!
        .version;
    const before = await version();
    await submittedApplication(w, postingId);
    expect(await version()).toBe(before);
    expect((await list(cache, w.ukStaff, "q=taffrail")).items).toBe(first.items);
  });
});

describe("size", () => {
  test("keeps at most its configured number of pages; 0 turns it off", async () => {
    const cache = new PostingsListCache(2);
    for (const q of ["q=one", "q=two", "q=three"]) await list(cache, w.applicant, q);
    expect(cache.size).toBe(2);

    const off = new PostingsListCache(0);
    const id = await openPosting(w, { title: "Uncached secondment" });
    const a = await list(off, w.applicant, "q=uncached");
    const b = await list(off, w.applicant, "q=uncached");
    expect(ids(a)).toEqual([id]);
    expect(b.items).not.toBe(a.items);
    expect(off.size).toBe(0);
  });
});
