import { beforeAll, describe, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { parseForm } from "~/lib/forms";
import type { Actor } from "~/lib/permissions";
import {
  getProfileForEdit,
  updateProfile,
  visibleProfile,
} from "~/modules/directory/profile-edit.server";
import { PROFILE_ARRAY_FIELDS, ProfileSchema } from "~/modules/directory/profile-schema";
import { createWorld, ensureUser, uniqueEmail } from "#test/factories";

const req = { ipAddress: "203.0.113.20", userAgent: "vitest" };

let world: Awaited<ReturnType<typeof createWorld>>;
let evals: { id: string; name: string };
let cyber: { id: string; name: string };

beforeAll(async () => {
  world = await createWorld(db);
  // Made directly: this file is about profiles, not taxonomy administration.
  evals = await db.expertiseArea.create({ data: { name: "evaluations" } });
  cyber = await db.expertiseArea.create({ data: { name: "cyber" } });
});

async function newPerson() {
  return ensureUser(db, {
    email: uniqueEmail("profile"),
    displayName: "Robin Quill",
    jobTitle: "Research scientist",
    instituteId: world.us.id,
  });
}

type Fields = Record<string, string | string[]>;

const VALID: Fields = {
  bio: "I study **model evaluations** and elicitation.\n\n- dangerous capabilities\n- uplift",
  bioVisibility: "PARTNERS",
  expertiseVisibility: "PARTNERS",
  skills: "Python,  threat modelling, python , CUDA",
  skillsVisibility: "INSTITUTE",
  publications:
    "Evaluating frontier models https://example.org/paper\n\nA second paper without a link\n",
  publicationsVisibility: "PARTNERS",
  languages: "English, French",
  languagesVisibility: "PARTNERS",
  location: "  London ",
  locationVisibility: "INSTITUTE",
  openToSecondment: "on",
  availabilityVisibility: "PARTNERS",
};

/** Posts the fields as the form would, through the form's own schema. */
function submit(fields: Fields) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) form.append(key, v);
  return parseForm(form, ProfileSchema, { arrays: PROFILE_ARRAY_FIELDS });
}

async function save(person: Actor, fields: Fields) {
  const parsed = submit(fields);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.errors));
  return updateProfile(person, parsed.data, req);
}

function stored(userId: string) {
  return db.profile.findUnique({
    where: { userId },
    select: {
      bio: true,
      bioVisibility: true,
      expertiseIds: true,
      expertiseLabels: true,
      skills: true,
      publications: true,
      languages: true,
      location: true,
      openToSecondment: true,
      openToCollaboration: true,
      updatedAt: true,
    },
  });
}

async function searchHits(userId: string, words: string) {
  const [row] = await db.$queryRaw<{ partners: boolean; institute: boolean; private: boolean }[]>`
    SELECT "searchPartners" @@ plainto_tsquery('english', ${words}) AS "partners",
           "searchInstitute" @@ plainto_tsquery('english', ${words}) AS "institute",
           "searchPrivate" @@ plainto_tsquery('english', ${words}) AS "private"
    FROM "Profile" WHERE "userId" = ${userId}`;
  return row!;
}

describe("the edit page's profile", () => {
  test("is created with the default visibilities on first visit, once", async () => {
    const person = await newPerson();
    const [first, second] = await Promise.all([
      getProfileForEdit(person),
      getProfileForEdit(person),
    ]);
    expect(first.profile).toMatchObject({
      userId: person.id,
      bio: "",
      bioVisibility: "PARTNERS",
      expertiseVisibility: "PARTNERS",
      skillsVisibility: "PARTNERS",
      publicationsVisibility: "PARTNERS",
      languagesVisibility: "PARTNERS",
      locationVisibility: "INSTITUTE",
      availabilityVisibility: "PARTNERS",
    });
    expect(second.profile.userId).toBe(person.id);
    expect(await db.profile.count({ where: { userId: person.id } })).toBe(1);
    expect(first.areas.map((a) => a.name)).toEqual(
      expect.arrayContaining(["cyber", "evaluations"]),
    );
  });
});

describe("saving one's own profile", () => {
  test("round-trips: what is saved is what the edit page shows, tidied", async () => {
    const person = await newPerson();
    const result = await save(person, { ...VALID, expertiseIds: [cyber.id, evals.id, cyber.id] });

    expect(result).toEqual({ ok: true });
    const edit = await getProfileForEdit(person);
    expect(edit.profile).toMatchObject({
      bio: VALID.bio,
      bioVisibility: "PARTNERS",
      expertiseIds: [cyber.id, evals.id],
      expertiseLabels: ["cyber", "evaluations"],
      skills: ["Python", "threat modelling", "CUDA"],
      skillsVisibility: "INSTITUTE",
      publications:
        "Evaluating frontier models https://example.org/paper\nA second paper without a link",
      languages: ["English", "French"],
      location: "London",
      locationVisibility: "INSTITUTE",
      openToSecondment: true,
      openToCollaboration: false,
    });

    // The previews show each audience only what it may see.
    expect(edit.previews.partners).toMatchObject({
      expertise: ["cyber", "evaluations"],
      skills: null,
      location: null,
      languages: ["English", "French"],
      publications: [
        { title: "Evaluating frontier models", url: "https://example.org/paper" },
        { title: "A second paper without a link", url: null },
      ],
      availability: { openToSecondment: true, openToCollaboration: false },
    });
    expect(edit.previews.partners.bioHtml).toContain("<strong>model evaluations</strong>");
    expect(edit.previews.institute).toMatchObject({
      skills: ["Python", "threat modelling", "CUDA"],
      location: "London",
    });
  });

  test("a second save replaces the first, including unticked boxes", async () => {
    const person = await newPerson();
    await save(person, { ...VALID, expertiseIds: [evals.id], openToCollaboration: "on" });
    const { openToSecondment: _o, ...withoutSecondment } = VALID;
    await save(person, { ...withoutSecondment, expertiseIds: [], skills: "" });
    expect(await stored(person.id)).toMatchObject({
      expertiseIds: [],
      expertiseLabels: [],
      skills: [],
      openToSecondment: false,
      openToCollaboration: false,
    });
  });

  test("writes a profile.updated audit event that names the changes but not the content", async () => {
    const person = await newPerson();
    await save(person, { ...VALID, expertiseIds: [evals.id] });
    await save(person, { ...VALID, expertiseIds: [evals.id], location: "Bristol" });

    const events = await db.auditEvent.findMany({
      where: { action: "profile.updated", actorId: person.id },
      orderBy: { seq: "asc" },
    });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      targetType: "Profile",
      targetId: person.id,
      ipAddress: req.ipAddress,
      details: { created: true },
    });
    expect(events[1]!.details).toMatchObject({
      created: false,
      changed: ["location"],
      visibility: { bio: "PARTNERS", location: "INSTITUTE", skills: "INSTITUTE" },
    });
    expect(JSON.stringify(events.map((e) => e.details))).not.toMatch(/Bristol|elicitation/);
  });

  test("keeps the search documents current: a PRIVATE bio's words match for no one else", async () => {
    const person = await newPerson();
    await save(person, {
      ...VALID,
      bio: "Expert in mechanistic xylophony",
      bioVisibility: "PARTNERS",
    });
    expect(await searchHits(person.id, "xylophony")).toEqual({
      partners: true,
      institute: true,
      private: true,
    });

    await save(person, {
      ...VALID,
      bio: "Expert in mechanistic xylophony",
      bioVisibility: "PRIVATE",
    });
    expect(await searchHits(person.id, "xylophony")).toEqual({
      partners: false,
      institute: false,
      private: true,
    });
    // Fields still shared keep matching.
    expect((await searchHits(person.id, "evaluating frontier")).partners).toBe(true);
    // Skills shared with the institute only.
    expect(await searchHits(person.id, "CUDA")).toMatchObject({ partners: false, institute: true });
  });
});

describe("bad input", () => {
  const cases: [string, Fields, string, RegExp][] = [
    ["an overlong bio", { bio: "x".repeat(5001) }, "bio", /5000 characters or fewer/],
    ["control characters", { location: "Lon\u0007don" }, "location", /not allowed/],
    ["control characters in the bio", { bio: "hi\u0000there" }, "bio", /not allowed/],
    [
      "31 skills",
      { skills: Array.from({ length: 31 }, (_, i) => `skill ${i}`).join(", ") },
      "skills",
      /30 skills or fewer/,
    ],
    ["an overlong skill", { skills: `ok, ${"s".repeat(61)}` }, "skills", /60 characters/],
    [
      "21 publications",
      { publications: Array.from({ length: 21 }, (_, i) => `Paper ${i}`).join("\n") },
      "publications",
      /20 publications or fewer/,
    ],
    ["an unknown visibility", { bioVisibility: "EVERYONE" }, "bioVisibility", /who can see/],
    ["a malformed area id", { expertiseIds: ["<script>"] }, "expertiseIds", /from the list/],
  ];

  test.each(cases)(
    "%s is refused by the form's schema with a message",
    (_, change, field, message) => {
      const result = submit({ ...VALID, ...change });
      expect(result.success).toBe(false);
      if (result.success) return;
      expect(result.errors[field]?.join(" ")).toMatch(message);
    },
  );

  test("bad input changes nothing, and an unknown area id is refused by the service", async () => {
    const person = await newPerson();
    await save(person, { ...VALID, expertiseIds: [evals.id] });
    const before = await stored(person.id);
    const eventsBefore = await db.auditEvent.count({ where: { actorId: person.id } });

    for (const [, change] of cases) expect(submit({ ...VALID, ...change }).success).toBe(false);
    const unknown = submit({ ...VALID, bio: "changed", expertiseIds: [evals.id, "cnotanarea000"] });
    expect(unknown.success).toBe(true);
    if (!unknown.success) return;
    expect(await updateProfile(person, unknown.data, req)).toEqual({
      ok: false,
      errors: { expertiseIds: ["Choose expertise areas from the list."] },
    });

    expect(await stored(person.id)).toEqual(before);
    expect(await db.auditEvent.count({ where: { actorId: person.id } })).toBe(eventsBefore);
  });

  test("markdown in the bio cannot inject markup into the preview", async () => {
    const person = await newPerson();
    await save(person, {
      ...VALID,
      bio: "<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[click](javascript:alert)",
    });
    const { profile } = await getProfileForEdit(person);
    const html = visibleProfile(profile, 1).bioHtml ?? "";
    expect(html).not.toMatch(/<script|<img|href="javascript:/i);
    expect(html).toContain("click</a>");
    expect(html).toContain("&lt;script&gt;");
  });
});
