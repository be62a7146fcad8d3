import { beforeAll, describe, expect, test } from "vitest";
import { ensureInstitute, ensureUser, UK_AISI, uniqueEmail, US_AISI } from "#test/factories";
import type { Visibility } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import {
  getProfile,
  searchDirectory,
  similarPeople,
  suggestedCollaborators,
} from "~/modules/directory/directory.server";
import { DirectorySearchCache } from "~/modules/directory/search-cache.server";
import { parseDirectorySearch } from "~/modules/directory/search-schema";

type Person = Actor & { displayName: string };
let alice: Person, usColleague: Person, usHr: Person, ukStaff: Person, ukHr: Person;
let viewers: Record<string, Person>;
let areaInterp: string;

async function person(
  instituteId: string,
  name: string,
  roles: ("HR" | "ADMIN")[] = [],
): Promise<Person> {
  const u = await ensureUser(db, {
    email: uniqueEmail(name.split(" ")[0]!.toLowerCase()),
    displayName: name,
    instituteId,
    roles,
  });
  return { id: u.id, email: u.email, roles: u.roles, instituteId, displayName: name };
}

async function profile(userId: string, data: Partial<Record<string, unknown>>) {
  await db.profile.upsert({ where: { userId }, create: { userId, ...data }, update: data });
}

// The search page goes through the process's result cache; so does this file, with one cache for
// every viewer, so that each case also shows the cache never hands one viewer another's view.
const cache = new DirectorySearchCache(1000);

function search(viewer: Person, q: string, extra: Record<string, string | string[]> = {}) {
  const params = new URLSearchParams({ q });
  for (const [k, v] of Object.entries(extra)) for (const x of [v].flat()) params.append(k, x);
  return cache.search(viewer, parseDirectorySearch(params));
}

beforeAll(async () => {
  const us = await ensureInstitute(db, US_AISI);
  const uk = await ensureInstitute(db, UK_AISI);
  areaInterp = (await db.expertiseArea.create({ data: { name: "Interpretability" } })).id;
  alice = await person(us.id, "Alice Marchetti");
  usColleague = await person(us.id, "Ben Colleague");
  usHr = await person(us.id, "Hana Resources", ["HR"]);
  ukStaff = await person(uk.id, "Uma Partner");
  ukHr = await person(uk.id, "Ursula Hr", ["HR"]);
  viewers = {
    self: alice,
    sameInstitute: usColleague,
    hrSameInstitute: usHr,
    partner: ukStaff,
    hrPartner: ukHr,
  };
  await profile(alice.id, {
    bio: "Works on zephyrine circuits in sparse autoencoders.",
    bioVisibility: "PRIVATE",
    skills: ["quokkaology"],
    skillsVisibility: "INSTITUTE",
    expertiseIds: [areaInterp],
    expertiseLabels: ["Interpretability"],
    expertiseVisibility: "PARTNERS",
    location: "Boulder",
    locationVisibility: "PRIVATE",
    openToSecondment: true,
    availabilityVisibility: "INSTITUTE",
  });
  for (const v of [usColleague, usHr, ukStaff, ukHr]) await profile(v.id, {});
});

// Which viewers may see a value of each tier.
const allowed: Record<Visibility, string[]> = {
  PRIVATE: ["self", "hrSameInstitute"],
  INSTITUTE: ["self", "sameInstitute", "hrSameInstitute"],
  PARTNERS: ["self", "sameInstitute", "hrSameInstitute", "partner", "hrPartner"],
};

describe("visibility matrix: a hidden value never matches, counts, highlights or shows", () => {
  const cases: [string, Visibility][] = [
    ["zephyrine", "PRIVATE"],
    ["quokkaology", "INSTITUTE"],
    ["interpretability", "PARTNERS"],
  ];
  for (const [word, tier] of cases) {
    for (const who of ["self", "sameInstitute", "hrSameInstitute", "partner", "hrPartner"]) {
      test(`${tier} value "${word}" as ${who}`, async () => {
        const result = await search(viewers[who]!, word);
        const found = result.hits.some((h) => h.userId === alice.id);
        expect(found).toBe(allowed[tier].includes(who));
      });
    }
  }

  test("a private bio never appears in a snippet or highlight for those who may not see it", async () => {
    for (const who of ["sameInstitute", "partner", "hrPartner"]) {
      const result = await search(viewers[who]!, "Alice Marchetti");
      const hit = result.hits.find((h) => h.userId === alice.id)!;
      expect(hit, who).toBeDefined();
      expect(JSON.stringify(hit)).not.toContain("zephyrine");
    }
    const own = await search(alice, "zephyrine");
    expect(own.hits[0]!.snippet.some((s) => s.mark && s.text.toLowerCase() === "zephyrine")).toBe(
      true,
    );
  });

  test("facet counts and filters ignore hidden location and availability", async () => {
    for (const who of ["self", "sameInstitute", "hrSameInstitute", "partner", "hrPartner"]) {
      const viewer = viewers[who]!;
      const result = await search(viewer, "");
      const boulder = result.facets.location.find((f) => f.value === "Boulder");
      expect(Boolean(boulder), `location facet as ${who}`).toBe(allowed.PRIVATE.includes(who));
      const filtered = await search(viewer, "", { location: "Boulder" });
      expect(
        filtered.hits.some((h) => h.userId === alice.id),
        `location filter as ${who}`,
      ).toBe(allowed.PRIVATE.includes(who));
      const secondment = result.facets.availability.find((f) => f.value === "secondment");
      expect(Boolean(secondment), `availability facet as ${who}`).toBe(
        allowed.INSTITUTE.includes(who),
      );
      const hit = result.hits.find((h) => h.userId === alice.id)!;
      expect(hit.openToSecondment === true).toBe(allowed.INSTITUTE.includes(who));
    }
  });

  test("the profile page returns only the fields the viewer may see", async () => {
    for (const who of ["self", "sameInstitute", "hrSameInstitute", "partner", "hrPartner"]) {
      const view = (await getProfile(viewers[who]!, alice.id))!;
      expect(view.displayName).toBe("Alice Marchetti");
      expect(view.bioHtml !== null, `bio as ${who}`).toBe(allowed.PRIVATE.includes(who));
      expect(view.location !== null, `location as ${who}`).toBe(allowed.PRIVATE.includes(who));
      expect(view.skills !== null, `skills as ${who}`).toBe(allowed.INSTITUTE.includes(who));
      expect(view.expertise).toEqual(["Interpretability"]);
    }
  });

  test("a private value does not change which profiles match or their order", async () => {
    const us = await db.institute.findUniqueOrThrow({ where: { code: "US-AISI" } });
    const a = await person(us.id, "Carla Quiet");
    const b = await person(us.id, "Dev Loud");
    await profile(a.id, {
      expertiseIds: [areaInterp],
      expertiseLabels: ["Interpretability"],
      bio: "Probing.",
    });
    await profile(b.id, {
      expertiseIds: [areaInterp],
      expertiseLabels: ["Interpretability"],
      bio: "Interpretability interpretability interpretability, all day interpretability.",
      bioVisibility: "PRIVATE",
    });
    const before = (await search(ukStaff, "interpretability")).hits.map((h) => h.userId);
    await profile(b.id, { bio: "" });
    const after = (await search(ukStaff, "interpretability")).hits.map((h) => h.userId);
    expect(before).toEqual(after);
    // ...while HR of Dev's institute does rank the private bio.
    await profile(b.id, {
      bio: "Interpretability interpretability interpretability, all day interpretability.",
    });
    const hrView = (await search(usHr, "interpretability")).hits.map((h) => h.userId);
    expect(hrView.indexOf(b.id)).toBeLessThan(hrView.indexOf(a.id));
  });
});

describe("relevance and robustness", () => {
  test("an exact name beats a mention in someone's bio; a typo still finds the person", async () => {
    const uk = await db.institute.findUniqueOrThrow({ where: { code: "UK-AISI" } });
    const robin = await person(uk.id, "Robin Okafor");
    const fan = await person(uk.id, "Zed Admirer");
    await profile(robin.id, { bio: "Evaluations." });
    await profile(fan.id, {
      bio: "Often cites Robin Okafor and Robin Okafor's evaluations of Robin Okafor.",
    });
    const exact = await search(ukStaff, "Robin Okafor");
    expect(exact.hits[0]!.userId).toBe(robin.id);
    const typo = await search(usColleague, "Okafer");
    expect(typo.hits.map((h) => h.userId)).toContain(robin.id);
  });

  test("query syntax and hostile strings are searched as text, never an error", async () => {
    for (const q of [
      "a & b",
      "| !",
      ":*",
      "'\"",
      "\\",
      "x:* & !y",
      '\'); DROP TABLE "User"; --',
      "((((",
      "🤖 模型",
    ]) {
      const result = await search(ukStaff, q);
      expect(Array.isArray(result.hits), q).toBe(true);
    }
    expect(await db.user.count()).toBeGreaterThan(0);
  });

  test("out-of-range, unknown and malformed parameters give a sensible page", async () => {
    const params = new URLSearchParams(
      "page=abc&institute=NOPE&expertise=%3Cscript%3E&availability=maybe&location=",
    );
    const parsed = parseDirectorySearch(params);
    expect(parsed.page).toBe(1);
    expect(parsed.availability).toEqual([]);
    const result = await searchDirectory(ukStaff, parsed);
    expect(result.total).toBe(0);
    const far = await searchDirectory(
      ukStaff,
      parseDirectorySearch(new URLSearchParams("page=400")),
    );
    expect(far.hits).toEqual([]);
    expect(far.total).toBeGreaterThan(0);
  });
});

test("similar people share visible expertise or skills, and the reason names them", async () => {
  const uk = await db.institute.findUniqueOrThrow({ where: { code: "UK-AISI" } });
  const twin = await person(uk.id, "Tia Twin");
  await profile(twin.id, {
    expertiseIds: [areaInterp],
    expertiseLabels: ["Interpretability"],
    skills: ["quokkaology"],
  });
  const asPartner = await similarPeople(ukHr, alice.id);
  const fromPartner = asPartner.find((s) => s.userId === twin.id)!;
  expect(fromPartner.shared).toEqual(["Interpretability"]); // Alice's skills are institute-only
  const asColleague = await similarPeople(usColleague, alice.id);
  expect(asColleague.find((s) => s.userId === twin.id)!.shared).toEqual([
    "Interpretability",
    "quokkaology",
  ]);
});

test("suggested collaborators are people who visibly say they are open to collaboration", async () => {
  const uk = await db.institute.findUniqueOrThrow({ where: { code: "UK-AISI" } });
  const open = await person(uk.id, "Olu Open");
  const closed = await person(uk.id, "Cleo Closed");
  const secret = await person(uk.id, "Sid Secret");
  const shared = { expertiseIds: [areaInterp], expertiseLabels: ["Interpretability"] };
  await profile(open.id, { ...shared, openToCollaboration: true });
  await profile(closed.id, { ...shared, openToCollaboration: false });
  // Open, but only their own institute may know it: Alice (US) must not be told.
  await profile(secret.id, {
    ...shared,
    openToCollaboration: true,
    availabilityVisibility: "INSTITUTE",
  });
  const suggestions = await suggestedCollaborators(alice);
  const ids = suggestions.map((s) => s.userId);
  expect(ids).toContain(open.id);
  expect(ids).not.toContain(closed.id);
  expect(ids).not.toContain(secret.id);
  expect(ids).not.toContain(alice.id);
  expect(suggestions.find((s) => s.userId === open.id)!.shared).toContain("Interpretability");
});
