import { beforeAll, describe, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { parseForm } from "~/lib/forms";
import type { Actor } from "~/lib/permissions";
import {
  getProfileForEdit,
  offeredAreas,
  updateProfile,
} from "~/modules/directory/profile-edit.server";
import { PROFILE_ARRAY_FIELDS, ProfileSchema } from "~/modules/directory/profile-schema";
import {
  createArea,
  getAreaForAdmin,
  listAreas,
  mergeArea,
  renameArea,
  restoreArea,
  retireArea,
} from "~/modules/directory/taxonomy.server";
import { createWorld, ensureUser, uniqueEmail } from "#test/factories";

const req = { ipAddress: "203.0.113.9", userAgent: "vitest" };

let world: Awaited<ReturnType<typeof createWorld>>;
let admin: Actor;

beforeAll(async () => {
  world = await createWorld(db);
  admin = world.admin;
});

let areaCounter = 0;
/** A fresh area with a name no other test uses. */
async function newArea(name = "area") {
  areaCounter += 1;
  const result = await createArea(admin, { name: `${name} ${areaCounter}`, description: "" }, req);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return db.expertiseArea.findUniqueOrThrow({ where: { id: result.areaId } });
}

/** A person whose profile carries the given areas, stored as the service stores them. */
async function personWith(areas: { id: string; name: string }[]) {
  const user = await ensureUser(db, {
    email: uniqueEmail("expert"),
    displayName: "Expert Person",
    instituteId: world.us.id,
  });
  await db.profile.create({
    data: {
      userId: user.id,
      expertiseIds: areas.map((a) => a.id),
      expertiseLabels: areas.map((a) => a.name),
    },
  });
  return user;
}

function expertiseOf(userId: string) {
  return db.profile.findUniqueOrThrow({
    where: { userId },
    select: { expertiseIds: true, expertiseLabels: true },
  });
}

async function matchesPartnerSearch(userId: string, words: string) {
  const rows = await db.$queryRaw<{ hit: boolean }[]>`
    SELECT "searchPartners" @@ plainto_tsquery('english', ${words}) AS "hit"
    FROM "Profile" WHERE "userId" = ${userId}`;
  return rows[0]!.hit;
}

function auditFor(action: string, targetId: string) {
  return db.auditEvent.findMany({ where: { action, targetId } });
}

async function thrown(promise: Promise<unknown>): Promise<Response> {
  const result = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(result, "expected a thrown Response").toBeInstanceOf(Response);
  return result as Response;
}

/** Form input as the profile page posts it, with the given expertise ticked. */
function profileForm(expertiseIds: string[]) {
  const form = new FormData();
  for (const [key, value] of Object.entries({
    bio: "",
    skills: "",
    publications: "",
    languages: "",
    location: "",
    bioVisibility: "PARTNERS",
    expertiseVisibility: "PARTNERS",
    skillsVisibility: "PARTNERS",
    publicationsVisibility: "PARTNERS",
    languagesVisibility: "PARTNERS",
    locationVisibility: "INSTITUTE",
    availabilityVisibility: "PARTNERS",
  }))
    form.set(key, value);
  for (const id of expertiseIds) form.append("expertiseIds", id);
  const parsed = parseForm(form, ProfileSchema, { arrays: PROFILE_ARRAY_FIELDS });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.errors));
  return parsed.data;
}

describe("listing areas", () => {
  test("counts the profiles carrying each area, and hides retired areas unless asked", async () => {
    const counted = await newArea("counted");
    const other = await newArea("other");
    const retired = await newArea("retired");
    await personWith([counted, other]);
    await personWith([other, counted]);
    await personWith([other]);
    await retireArea(admin, retired.id, req);

    const current = await listAreas(admin);
    expect(current.find((a) => a.id === counted.id)).toMatchObject({ profileCount: 2 });
    expect(current.find((a) => a.id === other.id)).toMatchObject({ profileCount: 3 });
    expect(current.map((a) => a.id)).not.toContain(retired.id);

    const all = await listAreas(admin, { includeRetired: true });
    expect(all.find((a) => a.id === retired.id)).toMatchObject({ profileCount: 0 });
    expect(all.find((a) => a.id === retired.id)?.retiredAt).toBeInstanceOf(Date);
  });
});

describe("renaming an area", () => {
  test("changes the label at the area's position on every profile carrying it", async () => {
    const renamed = await newArea("red teeming");
    const before = await newArea("before");
    const after = await newArea("after");
    const first = await personWith([renamed, after]);
    const middle = await personWith([before, renamed, after]);
    const bystander = await personWith([before, after]);
    const newName = `red-teaming ${renamed.id}`;

    const result = await renameArea(
      admin,
      renamed.id,
      { name: newName, description: "Adversarial testing" },
      req,
    );

    expect(result).toEqual({ ok: true, profilesUpdated: 2 });
    expect(await expertiseOf(first.id)).toEqual({
      expertiseIds: [renamed.id, after.id],
      expertiseLabels: [newName, after.name],
    });
    expect(await expertiseOf(middle.id)).toEqual({
      expertiseIds: [before.id, renamed.id, after.id],
      expertiseLabels: [before.name, newName, after.name],
    });
    expect(await expertiseOf(bystander.id)).toEqual({
      expertiseIds: [before.id, after.id],
      expertiseLabels: [before.name, after.name],
    });
    // The search documents follow the new name (the trigger ran on the UPDATE).
    expect(await matchesPartnerSearch(middle.id, "teaming")).toBe(true);
    expect(await matchesPartnerSearch(middle.id, "teeming")).toBe(false);
    const [event] = await auditFor("expertise.renamed", renamed.id);
    expect(event).toMatchObject({
      actorId: admin.id,
      details: {
        before: { name: renamed.name },
        after: { name: newName },
        profilesUpdated: 2,
      },
    });
  });

  test("a name already taken (in any case) is a field error and changes nothing", async () => {
    const taken = await newArea("Cyber");
    const area = await newArea("cyber security");
    const person = await personWith([area]);
    const eventsBefore = await db.auditEvent.count();
    const areasBefore = await db.expertiseArea.count();

    expect(
      await createArea(admin, { name: taken.name.toUpperCase(), description: "" }, req),
    ).toEqual({
      ok: false,
      errors: { name: ["An expertise area with this name already exists."] },
    });
    expect(
      await renameArea(admin, area.id, { name: taken.name, description: "changed" }, req),
    ).toEqual({
      ok: false,
      errors: { name: ["An expertise area with this name already exists."] },
    });

    expect(await db.expertiseArea.count()).toBe(areasBefore);
    expect(await db.expertiseArea.findUniqueOrThrow({ where: { id: area.id } })).toMatchObject({
      name: area.name,
      description: "",
    });
    expect(await expertiseOf(person.id)).toEqual({
      expertiseIds: [area.id],
      expertiseLabels: [area.name],
    });
    expect(await db.auditEvent.count()).toBe(eventsBefore);
  });

  test("an area keeps its own name when only its description changes", async () => {
    const area = await newArea("policy");
    const result = await renameArea(
      admin,
      area.id,
      { name: area.name, description: "Government policy" },
      req,
    );
    expect(result).toEqual({ ok: true, profilesUpdated: 0 });
    expect(await auditFor("expertise.updated", area.id)).toHaveLength(1);
  });
});

describe("merging areas", () => {
  test("moves profiles to the target without duplicates and retires the source", async () => {
    const from = await newArea("evals");
    const into = await newArea("evaluations");
    const other = await newArea("interpretability");
    const onlyFrom = await personWith([other, from]);
    const both = await personWith([into, other, from]);
    const bothFromFirst = await personWith([from, into]);
    const neither = await personWith([other]);

    const result = await mergeArea(admin, from.id, into.id, req);

    expect(result).toEqual({ ok: true, profilesMoved: 3 });
    expect(await expertiseOf(onlyFrom.id)).toEqual({
      expertiseIds: [other.id, into.id],
      expertiseLabels: [other.name, into.name],
    });
    expect(await expertiseOf(both.id)).toEqual({
      expertiseIds: [into.id, other.id],
      expertiseLabels: [into.name, other.name],
    });
    expect(await expertiseOf(bothFromFirst.id)).toEqual({
      expertiseIds: [into.id],
      expertiseLabels: [into.name],
    });
    expect(await expertiseOf(neither.id)).toEqual({
      expertiseIds: [other.id],
      expertiseLabels: [other.name],
    });
    expect(
      (await db.expertiseArea.findUniqueOrThrow({ where: { id: from.id } })).retiredAt,
    ).toBeInstanceOf(Date);
    expect(await db.profile.count({ where: { expertiseIds: { has: from.id } } })).toBe(0);
    const [event] = await auditFor("expertise.merged", from.id);
    expect(event).toMatchObject({
      details: {
        from: { id: from.id, name: from.name },
        into: { id: into.id, name: into.name },
        profilesMoved: 3,
      },
    });
  });

  test("refuses to merge an area into itself or into a retired area, changing nothing", async () => {
    const from = await newArea("merge source");
    const retired = await newArea("merge retired");
    await retireArea(admin, retired.id, req);
    const person = await personWith([from]);

    expect(await mergeArea(admin, from.id, from.id, req)).toMatchObject({
      ok: false,
      errors: { intoId: [expect.any(String)] },
    });
    expect(await mergeArea(admin, from.id, retired.id, req)).toMatchObject({
      ok: false,
      errors: { intoId: [expect.any(String)] },
    });
    expect(await mergeArea(admin, from.id, "no-such-area", req)).toMatchObject({
      ok: false,
      errors: { intoId: [expect.any(String)] },
    });
    expect(await expertiseOf(person.id)).toEqual({
      expertiseIds: [from.id],
      expertiseLabels: [from.name],
    });
    expect(
      (await db.expertiseArea.findUniqueOrThrow({ where: { id: from.id } })).retiredAt,
    ).toBeNull();
    expect(await auditFor("expertise.merged", from.id)).toHaveLength(0);
  });
});

describe("retiring an area", () => {
  test("it stays on profiles as text, is no longer offered, and updateProfile refuses it", async () => {
    const area = await newArea("chem-bio");
    const holder = await personWith([area]);
    const newcomer = await ensureUser(db, {
      email: uniqueEmail("newcomer"),
      displayName: "New Comer",
      instituteId: world.uk.id,
    });

    await retireArea(admin, area.id, req);
    await retireArea(admin, area.id, req);

    expect(await auditFor("expertise.retired", area.id)).toHaveLength(1);
    expect(await expertiseOf(holder.id)).toEqual({
      expertiseIds: [area.id],
      expertiseLabels: [area.name],
    });
    expect((await offeredAreas()).map((a) => a.id)).not.toContain(area.id);
    const edit = await getProfileForEdit(newcomer);
    expect(edit.areas.map((a) => a.id)).not.toContain(area.id);
    expect(edit.retiredOnProfile).toEqual([]);

    const refused = await updateProfile(newcomer, profileForm([area.id]), req);
    expect(refused).toEqual({
      ok: false,
      errors: { expertiseIds: [expect.stringContaining("is no longer offered")] },
    });
    expect(await expertiseOf(newcomer.id)).toEqual({ expertiseIds: [], expertiseLabels: [] });

    // Its holder sees it among their areas, marked as retired, and may keep it when saving.
    const holderEdit = await getProfileForEdit(holder);
    expect(holderEdit.retiredOnProfile).toEqual([{ id: area.id, name: area.name }]);
    expect(await updateProfile(holder, profileForm([area.id]), req)).toEqual({ ok: true });
    expect(await expertiseOf(holder.id)).toEqual({
      expertiseIds: [area.id],
      expertiseLabels: [area.name],
    });
    // Once removed, it cannot be chosen again.
    expect(await updateProfile(holder, profileForm([]), req)).toEqual({ ok: true });
    expect((await updateProfile(holder, profileForm([area.id]), req)).ok).toBe(false);

    await restoreArea(admin, area.id, req);
    expect(await auditFor("expertise.restored", area.id)).toHaveLength(1);
    expect((await offeredAreas()).map((a) => a.id)).toContain(area.id);
    expect(await updateProfile(newcomer, profileForm([area.id]), req)).toEqual({ ok: true });
  });
});

describe("access", () => {
  test("everyone but an admin is told the taxonomy administration does not exist", async () => {
    const area = await newArea("secret");
    const person = await personWith([area]);
    for (const actor of [world.usStaff, world.usHr, world.ukStaff]) {
      const target = await newArea("target");
      const calls: (() => Promise<unknown>)[] = [
        () => listAreas(actor, { includeRetired: true }),
        () => getAreaForAdmin(actor, area.id),
        () => createArea(actor, { name: "intruder area", description: "" }, req),
        () => renameArea(actor, area.id, { name: "hijacked", description: "" }, req),
        () => mergeArea(actor, area.id, target.id, req),
        () => retireArea(actor, area.id, req),
        () => restoreArea(actor, area.id, req),
      ];
      for (const call of calls) expect((await thrown(call())).status).toBe(404);
    }
    expect(await db.expertiseArea.findUniqueOrThrow({ where: { id: area.id } })).toMatchObject({
      name: area.name,
      retiredAt: null,
    });
    expect(await db.expertiseArea.count({ where: { name: "intruder area" } })).toBe(0);
    expect(await expertiseOf(person.id)).toEqual({
      expertiseIds: [area.id],
      expertiseLabels: [area.name],
    });
  });

  test("an admin gets 404 for an area that does not exist", async () => {
    expect((await thrown(getAreaForAdmin(admin, "nope"))).status).toBe(404);
    expect(
      (await thrown(renameArea(admin, "nope", { name: "x", description: "" }, req))).status,
    ).toBe(404);
    expect((await thrown(retireArea(admin, "nope", req))).status).toBe(404);
    expect((await thrown(mergeArea(admin, "nope", (await newArea()).id, req))).status).toBe(404);
  });
});
