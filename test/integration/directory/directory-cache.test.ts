import { beforeAll, describe, expect, test } from "vitest";
import { ensureInstitute, ensureUser, UK_AISI, uniqueEmail, US_AISI } from "#test/factories";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { DirectorySearchCache } from "~/modules/directory/search-cache.server";
import { parseDirectorySearch } from "~/modules/directory/search-schema";

// The search page's result cache (search-cache.server.ts): shared between viewers who see the same
// directory, never between viewers who do not, and never stale after a committed change, even when
// the change was made by another app process (simulated here by a second cache on the same database).

let usId: string, ukId: string;

async function person(instituteId: string, name: string, roles: "HR"[] = []): Promise<Actor> {
  const u = await ensureUser(db, {
    email: uniqueEmail(name.split(" ")[0]!.toLowerCase()),
    displayName: name,
    instituteId,
    roles,
  });
  await db.profile.upsert({ where: { userId: u.id }, create: { userId: u.id }, update: {} });
  return { id: u.id, email: u.email, roles: u.roles, instituteId };
}

function params(q: string, extra: Record<string, string[]> = {}) {
  const p = new URLSearchParams({ q });
  for (const [k, vs] of Object.entries(extra)) for (const v of vs) p.append(k, v);
  return parseDirectorySearch(p);
}

const ids = (r: { hits: { userId: string }[] }) => r.hits.map((h) => h.userId);

beforeAll(async () => {
  usId = (await ensureInstitute(db, US_AISI)).id;
  ukId = (await ensureInstitute(db, UK_AISI)).id;
});

describe("who shares a cached view", () => {
  test("a colleague never receives a view that includes someone's private field, in either order", async () => {
    const owner = await person(usId, "Priya Secretive");
    const colleague = await person(usId, "Colm Curious");
    await db.profile.update({
      where: { userId: owner.id },
      data: { bio: "Studies xylocarpine gradients.", bioVisibility: "PRIVATE" },
    });

    // Owner first: their own entry must not be what the colleague then gets.
    const cache = new DirectorySearchCache(100);
    expect(ids(await cache.search(owner, params("xylocarpine")))).toEqual([owner.id]);
    expect(ids(await cache.search(colleague, params("xylocarpine")))).toEqual([]);

    // Colleague first: the owner still finds their own private words.
    const other = new DirectorySearchCache(100);
    expect(ids(await other.search(colleague, params("xylocarpine")))).toEqual([]);
    expect(ids(await other.search(owner, params("xylocarpine")))).toEqual([owner.id]);
  });

  test("HR of an institute share a view that its other staff and partners do not get", async () => {
    const owner = await person(usId, "Quentin Guarded");
    const hr1 = await person(usId, "Harriet First", ["HR"]);
    const hr2 = await person(usId, "Horace Second", ["HR"]);
    const staff = await person(usId, "Stella Staff");
    const partnerHr = await person(ukId, "Pip Partner", ["HR"]);
    await db.profile.update({
      where: { userId: owner.id },
      data: { skills: ["ornithopterics"], skillsVisibility: "PRIVATE" },
    });
    const cache = new DirectorySearchCache(100);
    const first = await cache.search(hr1, params("ornithopterics"));
    expect(ids(first)).toEqual([owner.id]);
    // Another HR of the same institute is served the same computed result.
    expect(await cache.search(hr2, params("ornithopterics"))).toBe(first);
    expect(ids(await cache.search(staff, params("ornithopterics")))).toEqual([]);
    expect(ids(await cache.search(partnerHr, params("ornithopterics")))).toEqual([]);
  });

  test("colleagues without private fields share one entry; facet order does not matter", async () => {
    const a = await person(usId, "Abel Plain");
    const b = await person(usId, "Bea Plain");
    const cache = new DirectorySearchCache(100);
    const first = await cache.search(a, params("plain", { institute: ["US-AISI", "UK-AISI"] }));
    const second = await cache.search(b, params("plain", { institute: ["UK-AISI", "US-AISI"] }));
    expect(second).toBe(first);
    expect(ids(first)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(cache.size).toBe(1);
  });
});

describe("a committed change is seen by the next search, in every process", () => {
  test("profile, name, deactivation, institute and taxonomy changes", async () => {
    const subject = await person(usId, "Rowan Changeable");
    const viewer = await person(ukId, "Vic Viewer");
    const processA = new DirectorySearchCache(100);
    const processB = new DirectorySearchCache(100);
    const both = async (q: string, extra?: Record<string, string[]>) => {
      const [a, b] = [
        await processA.search(viewer, params(q, extra)),
        await processB.search(viewer, params(q, extra)),
      ];
      expect(ids(a)).toEqual(ids(b));
      return a;
    };

    // Warm both caches, then change the profile "from elsewhere" (a plain database write).
    expect(ids(await both("quillwort"))).toEqual([]);
    await db.profile.update({ where: { userId: subject.id }, data: { bio: "Quillwort expert." } });
    expect(ids(await both("quillwort"))).toEqual([subject.id]);

    // A rename is searchable at once.
    expect(ids(await both("Rowena Renamed"))).not.toContain(subject.id);
    await db.user.update({ where: { id: subject.id }, data: { displayName: "Rowena Renamed" } });
    expect(ids(await both("Rowena Renamed"))[0]).toBe(subject.id);

    // Institute names in results follow a rename of the institute.
    const before = await both("quillwort");
    expect(before.hits[0]!.instituteName).not.toBe("Renamed Institute");
    const us = await db.institute.findUniqueOrThrow({ where: { id: usId } });
    await db.institute.update({ where: { id: usId }, data: { name: "Renamed Institute" } });
    expect((await both("quillwort")).hits[0]!.instituteName).toBe("Renamed Institute");
    await db.institute.update({ where: { id: usId }, data: { name: us.name } });

    // A new area label reaches the facets.
    const area = await db.expertiseArea.create({ data: { name: "Quillwort studies" } });
    await db.profile.update({
      where: { userId: subject.id },
      data: { expertiseIds: [area.id], expertiseLabels: [area.name] },
    });
    expect((await both("quillwort")).facets.expertise.map((f) => f.label)).toContain(
      "Quillwort studies",
    );

    // A deactivated person disappears from every process's results.
    await db.user.update({ where: { id: subject.id }, data: { deactivatedAt: new Date() } });
    expect(ids(await both("quillwort"))).toEqual([]);
  });

  test("a sign-in or a role change does not invalidate anything", async () => {
    const viewer = await person(ukId, "Wren Watcher");
    const cache = new DirectorySearchCache(100);
    const first = await cache.search(viewer, params("watcher"));
    await db.user.update({ where: { id: viewer.id }, data: { roles: ["HR"] } });
    await db.user.update({ where: { id: viewer.id }, data: { roles: [] } });
    expect(await cache.search(viewer, params("watcher"))).toBe(first);
  });
});

describe("bounds", () => {
  test("the cache keeps at most its configured number of entries", async () => {
    const viewer = await person(usId, "Bound Viewer");
    const cache = new DirectorySearchCache(3);
    const first: Record<string, unknown> = {};
    for (const q of ["one", "two", "three", "four", "five"])
      first[q] = await cache.search(viewer, params(q));
    expect(cache.size).toBe(3);
    // The least recently used went first: "one" is computed again, "five" is still there.
    expect(await cache.search(viewer, params("five"))).toBe(first.five);
    expect(await cache.search(viewer, params("one"))).not.toBe(first.one);
    expect(cache.size).toBe(3);
  });

  test("0 entries turns caching off", async () => {
    const viewer = await person(usId, "Off Viewer");
    const cache = new DirectorySearchCache(0);
    const a = await cache.search(viewer, params("viewer"));
    const b = await cache.search(viewer, params("viewer"));
    expect(b).not.toBe(a);
    expect(b).toEqual(a);
    expect(cache.size).toBe(0);
  });
});
