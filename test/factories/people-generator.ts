import type { PrismaClient } from "~/generated/prisma/client";
import {
  AREAS,
  BROAD_FIRST,
  BROAD_LAST,
  emailPart,
  GENERIC_BACKGROUNDS,
  type Kind,
  type Team,
  KIND_SKILLS,
  kindOf,
  regionFor,
  TEAMS,
  YEARS,
} from "./people-corpus";
import { ensurePerson, type ProfileSpec, type Publication } from "./profiles";
import { Random } from "./random";
import { type ExpertiseAreaName, type Taxonomy } from "./taxonomy";

// A deterministic generator of realistic, varied people for the directory (same seed in, same
// people out), and an idempotent way to put them in a database.

// --- Org structure --------------------------------------------------------------------------

/**
 * Where the index-th person of an institute sits: people are dealt round-robin into teamCount teams;
 * in each team the first is its head and every unitSize-th a unit lead. Heads have no manager, unit
 * leads report to the head, everyone else to their unit's lead. A manager's index is always lower.
 */
export function orgPosition(index: number, teamCount: number, unitSize = 8) {
  const slot = index % teamCount;
  const rank = Math.floor(index / teamCount);
  const level: 0 | 1 | 2 = rank === 0 ? 0 : rank % unitSize === 0 ? 1 : 2;
  const managerRank = level === 0 ? null : level === 1 ? 0 : rank - (rank % unitSize);
  return {
    slot,
    level,
    managerIndex: managerRank === null ? null : managerRank * teamCount + slot,
  };
}

// --- People ---------------------------------------------------------------------------------

export type GeneratedPerson = {
  instituteCode: string;
  /** Position within the institute, from 0. */
  index: number;
  email: string;
  firstName: string;
  lastName: string;
  displayName: string;
  jobTitle: string;
  team: string;
  /** 0 head of team, 1 unit lead, 2 team member. */
  level: 0 | 1 | 2;
  /** Index (within the same institute) of the line manager, or null. */
  managerIndex: number | null;
  profile: ProfileSpec & { expertise: ExpertiseAreaName[] };
};

export type PeopleGeneratorOptions = {
  /** Same seed, same people. */
  seed: string;
  /** Teams per institute (at most TEAMS.length). */
  teamCount?: number;
};

function capitalise(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "lead the x" → "leads the x" for the controlled vocabulary above. */
function thirdPerson(phrase: string) {
  const [verb, ...rest] = phrase.split(" ");
  const v = verb ?? "";
  const conjugated = /[^aeiou]y$/.test(v)
    ? `${v.slice(0, -1)}ies`
    : /(s|sh|ch|x|z|o)$/.test(v)
      ? `${v}es`
      : `${v}s`;
  return [conjugated, ...rest].join(" ");
}

function withArticle(title: string) {
  const t = title.charAt(0).toLowerCase() + title.slice(1);
  if (/^head of/.test(t)) return `the ${t}`;
  return /^([aeio]|u(?!s|ni))/.test(t) ? `an ${t}` : `a ${t}`;
}

function lowerTitle(title: string) {
  return title.charAt(0).toLowerCase() + title.slice(1);
}

function slug(text: string, max = 60) {
  return emailPart(text).replace(/-+/g, "-").slice(0, max).replace(/-$/, "");
}

/**
 * A deterministic generator of directory entries. Call person() in the same order to get the same
 * people; bios are kept distinct across everything one generator produces.
 */
export function createPeopleGenerator(options: PeopleGeneratorOptions) {
  const teamCount = Math.min(options.teamCount ?? 8, TEAMS.length);
  const bios = new Set<string>();
  const teamOrders = new Map<string, readonly Team[]>();

  function teamsOf(instituteCode: string) {
    let order = teamOrders.get(instituteCode);
    if (!order) {
      order = new Random(`${options.seed}:${instituteCode}:teams`).shuffle(TEAMS);
      teamOrders.set(instituteCode, order);
    }
    return order;
  }

  function person(instituteCode: string, index: number, emailTag = String(index + 1)) {
    const rng = new Random(`${options.seed}:${instituteCode}:${index}`);
    const region = regionFor(instituteCode);
    const position = orgPosition(index, teamCount);
    const team = teamsOf(instituteCode)[position.slot]!;

    const regional = region.firstNames.length > 0 && rng.chance(region.regional);
    const firstName = rng.pick(regional ? region.firstNames : BROAD_FIRST);
    const lastName = rng.pick(
      regional && region.lastNames.length > 0 ? region.lastNames : BROAD_LAST,
    );
    const displayName = `${firstName} ${lastName}`;
    const email = `${emailPart(firstName)}.${emailPart(lastName)}.${emailTag}@${region.domain}`;

    const jobTitle =
      position.level === 0
        ? team.head
        : position.level === 1
          ? rng.pick(team.leads)
          : rng.weighted(team.titles);
    const kind = kindOf(jobTitle);

    const secondary = rng.sample(
      team.related,
      rng.weighted([
        [0, 2],
        [1, 5],
        [2, 3],
      ] as const),
    );
    const expertise: ExpertiseAreaName[] = [team.area, ...secondary];

    const skills = new Set<string>();
    for (const s of rng.sample(AREAS[team.area].skills, rng.int(2, 4))) skills.add(s);
    for (const area of secondary)
      for (const s of rng.sample(AREAS[area].skills, rng.int(1, 2))) skills.add(s);
    for (const s of rng.sample(KIND_SKILLS[kind], rng.int(0, 2))) skills.add(s);

    const openToSecondment = rng.chance(0.35);
    const openToCollaboration = rng.chance(0.65);

    let bio = "";
    for (let attempt = 0; ; attempt++) {
      bio = composeBio(
        new Random(`${options.seed}:${instituteCode}:${index}:bio:${attempt}`),
        { firstName, jobTitle, team, secondary, openToSecondment, kind },
        attempt,
      );
      if (!bios.has(bio)) break;
    }
    bios.add(bio);

    const paperCount =
      kind === "research"
        ? rng.weighted([
            [0, 1],
            [1, 3],
            [2, 3],
            [3, 2],
            [4, 1],
          ] as const)
        : rng.weighted([
            [0, 4],
            [1, 3],
            [2, 2],
            [3, 1],
          ] as const);
    const paperPool = [...AREAS[team.area].papers, ...secondary.flatMap((a) => AREAS[a].papers)];
    const publications = rng.sample(paperPool, paperCount).map((title): Publication => {
      const year = rng.int(2021, 2026);
      const host = rng.weighted([
        [`https://papers.example.org/${year}/${slug(title)}`, 5],
        [
          `https://preprints.example.org/abs/${String(year).slice(2)}${String(rng.int(1, 12)).padStart(2, "0")}.${rng.int(10000, 99999)}`,
          4,
        ],
        [`https://www.${region.domain}/research/${slug(title)}`, 2],
        [`https://blog.example.com/${year}/${slug(title, 40)}`, 1],
        ["", 1],
      ] as const);
      return host ? { title, url: host } : { title };
    });

    const languages = [...region.firstLanguages];
    const extra = rng.weighted([
      [0, 10],
      [1, 6],
      [2, 1],
    ] as const);
    for (let i = 0; i < extra; i++) {
      const language = rng.weighted(region.languages);
      if (!languages.includes(language)) languages.push(language);
    }

    const profile: GeneratedPerson["profile"] = {
      bio,
      bioVisibility: rng.weighted([
        ["PARTNERS", 75],
        ["INSTITUTE", 10],
        ["PRIVATE", 15],
      ] as const),
      expertise,
      expertiseVisibility: rng.weighted([
        ["PARTNERS", 90],
        ["INSTITUTE", 8],
        ["PRIVATE", 2],
      ] as const),
      skills: [...skills].slice(0, 9),
      skillsVisibility: rng.weighted([
        ["PARTNERS", 80],
        ["INSTITUTE", 15],
        ["PRIVATE", 5],
      ] as const),
      publications,
      publicationsVisibility: rng.weighted([
        ["PARTNERS", 90],
        ["INSTITUTE", 8],
        ["PRIVATE", 2],
      ] as const),
      languages,
      languagesVisibility: rng.weighted([
        ["PARTNERS", 70],
        ["INSTITUTE", 20],
        ["PRIVATE", 10],
      ] as const),
      location: rng.weighted(region.locations),
      locationVisibility: rng.weighted([
        ["INSTITUTE", 55],
        ["PARTNERS", 35],
        ["PRIVATE", 10],
      ] as const),
      openToSecondment,
      openToCollaboration,
      availabilityVisibility: rng.weighted([
        ["PARTNERS", 75],
        ["INSTITUTE", 15],
        ["PRIVATE", 10],
      ] as const),
    };

    return {
      instituteCode,
      index,
      email,
      firstName,
      lastName,
      displayName,
      jobTitle,
      team: team.name,
      level: position.level,
      managerIndex: position.managerIndex,
      profile,
    } satisfies GeneratedPerson;
  }

  return { person, teamCount };
}

type BioFacts = {
  firstName: string;
  jobTitle: string;
  team: Team;
  secondary: readonly ExpertiseAreaName[];
  openToSecondment: boolean;
  kind: Kind;
};

/** 2-4 sentences: what they do, and some of where they came from, what else they do, what they seek. */
function composeBio(rng: Random, facts: BioFacts, attempt: number) {
  const { firstName, jobTitle, team, secondary } = facts;
  const area = AREAS[team.area];
  const voice = rng.weighted([
    ["first", 4],
    ["name", 3],
    ["bare", 3],
  ] as const);
  const focus = rng.pick(area.focus);
  const topics = [...area.topics, ...secondary.flatMap((a) => AREAS[a].topics)];
  // A topic named in one sentence is not named again in the closing one.
  const mentioned = new Set<string>();

  // After a first sentence that names the person, repeating the name every time reads badly.
  const later = () => (voice === "name" && rng.chance(0.6) ? "bare" : voice);
  const head = /^Head of/.test(jobTitle);
  // "a research engineer in the Cyber team", but "head of cyber" (the team is in the title).
  const post = head ? lowerTitle(jobTitle) : `${withArticle(jobTitle)} in the ${team.name} team`;
  const role = () => {
    if (voice === "first") {
      return rng.pick([
        `I'm ${post}, where I ${focus}.`,
        `I ${focus}.`,
        head
          ? `As ${post}, I set the team's priorities, and my own work is to ${focus}.`
          : `I joined the ${team.name} team as ${withArticle(jobTitle)} and now ${focus}.`,
      ]);
    }
    if (voice === "name") {
      return rng.pick([
        `${firstName} is ${post} and ${thirdPerson(focus)}.`,
        `${firstName} ${thirdPerson(focus)}.`,
        head
          ? `As ${post}, ${firstName} ${thirdPerson(focus)}.`
          : `In the ${team.name} team, ${firstName} ${thirdPerson(focus)}.`,
      ]);
    }
    return rng.pick([
      `${capitalise(thirdPerson(focus))}.`,
      `${capitalise(post)}; ${thirdPerson(focus)}.`,
      `${capitalise(thirdPerson(focus))} for the ${team.name} team.`,
    ]);
  };

  const background = () => {
    const voice = later();
    const where = rng.weighted([
      [rng.pick(area.backgrounds), 3],
      [rng.pick(GENERIC_BACKGROUNDS), 2],
    ] as const);
    const years = rng.pick(YEARS);
    if (voice === "first") {
      return rng.pick([
        `Before joining the institute I spent ${years} years ${where}.`,
        `I came to the institute after ${years} years ${where}.`,
      ]);
    }
    if (voice === "name") {
      return rng.pick([
        `Before joining, ${firstName} spent ${years} years ${where}.`,
        `${firstName} came to the institute after ${years} years ${where}.`,
      ]);
    }
    return rng.pick([
      `Previously spent ${years} years ${where}.`,
      `Joined after ${years} years ${where}.`,
    ]);
  };

  const other = () => {
    const voice = later();
    const otherArea = secondary.length > 0 ? rng.pick(secondary) : null;
    if (!otherArea) {
      const topic = rng.pick(area.topics);
      mentioned.add(topic);
      if (voice === "first") return `Most of my recent work has been on ${topic}.`;
      if (voice === "name") return `${firstName}'s recent work has centred on ${topic}.`;
      return `Recent work has centred on ${topic}.`;
    }
    const a = AREAS[otherArea];
    const topic = rng.pick(a.topics);
    mentioned.add(topic);
    if (voice === "first") {
      return rng.pick([
        `I also work on ${a.phrase}, mostly ${topic}.`,
        `Alongside that I contribute to the institute's ${a.phrase} work on ${topic}.`,
      ]);
    }
    if (voice === "name") {
      return rng.pick([
        `${firstName} also works on ${a.phrase}, mostly ${topic}.`,
        `${firstName} also contributes to ${a.phrase} work on ${topic}.`,
      ]);
    }
    return rng.pick([
      `Also contributes to ${a.phrase} work on ${topic}.`,
      `Also works on ${a.phrase}, especially ${topic}.`,
    ]);
  };

  const closing = () => {
    const voice = later();
    const [t1, t2] = rng.sample(
      topics.filter((t) => !mentioned.has(t)),
      2,
    );
    const first = [
      `I'm keen to collaborate on ${t1} with colleagues at partner institutes.`,
      `Happy to talk to anyone working on ${t1}.`,
      `I'm currently interested in ${t1} and ${t2}.`,
      ...(facts.openToSecondment ? [`I'd welcome a secondment to work on ${t1}.`] : []),
    ];
    const name = [
      `${firstName} is keen to collaborate on ${t1}.`,
      `${firstName} is happy to talk to anyone working on ${t1}.`,
      `${firstName} is currently interested in ${t1} and ${t2}.`,
      ...(facts.openToSecondment
        ? [`${firstName} would welcome a secondment working on ${t1}.`]
        : []),
    ];
    const bare = [
      `Keen to collaborate on ${t1}.`,
      `Happy to talk to anyone working on ${t1}.`,
      `Interested in ${t1} and ${t2}.`,
      ...(facts.openToSecondment ? [`Open to a secondment working on ${t1}.`] : []),
    ];
    return rng.pick(voice === "first" ? first : voice === "name" ? name : bare);
  };

  const optional = [background, other, closing];
  const extraCount = rng.weighted([
    [1, 3],
    [2, 4],
    [3, 3],
  ] as const);
  const chosen = new Set(rng.sample([0, 1, 2], extraCount));
  const sentences = [role(), ...optional.filter((_, i) => chosen.has(i)).map((f) => f())];
  // Rarely, the same words come out twice: a retry adds what the person is currently reading up on.
  if (attempt > 3) sentences.push(`Currently reading up on ${rng.pick(topics)} (${attempt}).`);
  else if (attempt > 0 && sentences.length < 4) {
    const missing = optional.filter((_, i) => !chosen.has(i));
    sentences.push(rng.pick(missing)());
  }
  return sentences.join(" ");
}

/** count people of one institute, in index order. */
export function generatePeople(
  instituteCode: string,
  count: number,
  options: PeopleGeneratorOptions,
): GeneratedPerson[] {
  const generator = createPeopleGenerator(options);
  return Array.from({ length: count }, (_, i) => generator.person(instituteCode, i));
}

export type EnsurePeopleOptions = {
  institute: { id: string; code: string };
  people: readonly GeneratedPerson[];
  passwordHash?: string;
  taxonomy: Taxonomy;
};

/** Creates or updates generated people one by one (idempotent: emails are stable), managers first. */
export async function ensureGeneratedPeople(db: PrismaClient, options: EnsurePeopleOptions) {
  const ids = new Map<number, string>();
  for (const person of options.people) {
    const lineManagerId = person.managerIndex === null ? null : ids.get(person.managerIndex);
    const user = await ensurePerson(
      db,
      {
        email: person.email,
        displayName: person.displayName,
        jobTitle: person.jobTitle,
        team: person.team,
        instituteId: options.institute.id,
        lineManagerId: lineManagerId ?? null,
        passwordHash: options.passwordHash,
        profile: person.profile,
      },
      options.taxonomy,
    );
    ids.set(person.index, user.id);
  }
  return ids;
}
