// People at scale: generated directory entries (users, passwords, profiles) over five institutes,
// a few HR coordinators at each institute, and the pool of people later phases draw from.
import type { PrismaClient } from "~/generated/prisma/client";
import type { Role } from "~/generated/prisma/enums";
import { hashPassword } from "~/lib/password.server";
import { DEMO_PASSWORD } from "../../prisma/demo";
import { ensureInstitute, type InstituteSpec, UK_AISI, US_AISI } from "../../test/factories";
import { TEAMS } from "../../test/factories/people-corpus";
import { createPeopleGenerator } from "../../test/factories/people-generator";
import { profileData } from "../../test/factories/profiles";
import { ensureTaxonomy } from "../../test/factories/taxonomy";
import type { Db } from "./sql";

/** Partner institutes beyond the founding two, so that facets have more than two values. */
export const EXTRA_INSTITUTES: InstituteSpec[] = [
  {
    code: "CA-AISI",
    name: "Canadian AI Safety Institute",
    country: "CA",
    timeZone: "America/Toronto",
    locale: "en-CA",
  },
  {
    code: "JP-AISI",
    name: "Japan AI Safety Institute",
    country: "JP",
    timeZone: "Asia/Tokyo",
    locale: "ja-JP",
  },
  {
    code: "SG-AISI",
    name: "Singapore AI Safety Institute",
    country: "SG",
    timeZone: "Asia/Singapore",
    locale: "en-SG",
  },
];

/** Scale people are tagged "first.last.s<N>@…"; the demo seed's never have the "s". */
const SCALE_EMAIL = "\\.s[0-9]+@";

export type ScaleOptions = {
  /** How many generated people the scale seed should have made in total. */
  profiles: number;
  /** Rows per insert statement (and per transaction). */
  batchSize?: number;
  /** Defaults to one hash of the demo password. */
  passwordHash?: string;
  log?: (message: string) => void;
  /** Called after each batch with the number of people the directory has of the `profiles`. */
  onProgress?: (done: number) => void;
};

export type ScaleResult = { existing: number; created: number; seconds: number };

/** How many people earlier scale runs made. */
export async function countScalePeople(database: PrismaClient) {
  const [row] = await database.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "User" WHERE "email" ~ ${SCALE_EMAIL}`;
  return row?.n ?? 0;
}

/**
 * Tops the directory up to `profiles` generated people (users + passwords + profiles), dealt
 * round-robin over every institute, with line managers in their own institute. Each batch is one
 * transaction, so an interrupted run resumes where it stopped.
 */
export async function seedScale(
  database: PrismaClient,
  options: ScaleOptions,
): Promise<ScaleResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const batchSize = options.batchSize ?? 1000;
  const target = options.profiles;

  for (const spec of [US_AISI, UK_AISI, ...EXTRA_INSTITUTES]) await ensureInstitute(database, spec);
  const institutes = await database.institute.findMany({
    orderBy: { code: "asc" },
    select: { id: true, code: true },
  });
  const taxonomy = await ensureTaxonomy(database);
  const existing = await countScalePeople(database);
  const seconds = () => (performance.now() - started) / 1000;
  if (existing >= target) {
    log(
      `The directory already has ${existing} generated people (asked for ${target}): nothing to do.`,
    );
    options.onProgress?.(target);
    return { existing, created: 0, seconds: seconds() };
  }
  options.onProgress?.(existing);

  // Person i belongs to institute i mod k, as that institute's (i div k)-th person, so a manager
  // (lower index within the institute) always has a lower global index too. The generator keeps
  // bios distinct, so it is run from the start even when resuming: it is cheap, and deterministic.
  const k = institutes.length;
  const generator = createPeopleGenerator({ seed: "directory-scale", teamCount: TEAMS.length });
  const people = Array.from({ length: target }, (_, i) => {
    const institute = institutes[i % k]!;
    const person = generator.person(institute.code, Math.floor(i / k), `s${i}`);
    const manager = person.managerIndex === null ? null : person.managerIndex * k + (i % k);
    return { ...person, instituteId: institute.id, global: i, manager };
  });

  const passwordHash = options.passwordHash ?? (await hashPassword(DEMO_PASSWORD));
  const ids = new Map<number, string>();
  // Managers made by an earlier run.
  const earlier = new Set<number>();
  for (const p of people.slice(existing)) {
    if (p.manager !== null && p.manager < existing) earlier.add(p.manager);
  }
  if (earlier.size > 0) {
    const rows = await database.user.findMany({
      where: { email: { in: [...earlier].map((i) => people[i]!.email) } },
      select: { id: true, email: true },
    });
    const byEmail = new Map(rows.map((r) => [r.email, r.id]));
    for (const i of earlier) {
      const id = byEmail.get(people[i]!.email);
      if (id) ids.set(i, id);
    }
  }

  log(`Adding ${target - existing} people over ${k} institutes (${existing} already there)…`);
  for (let start = existing; start < target; start += batchSize) {
    const batch = people.slice(start, Math.min(start + batchSize, target));
    await database.$transaction(
      async (tx) => {
        const created: { id: string; person: (typeof batch)[number] }[] = [];
        // Heads, then unit leads, then members: each level's managers exist before it is inserted.
        for (const level of [0, 1, 2] as const) {
          const rows = batch.filter((p) => p.level === level);
          if (rows.length === 0) continue;
          const inserted = await tx.user.createManyAndReturn({
            data: rows.map((p) => ({
              email: p.email,
              displayName: p.displayName,
              jobTitle: p.jobTitle,
              team: p.team,
              instituteId: p.instituteId,
              lineManagerId: p.manager === null ? null : (ids.get(p.manager) ?? null),
            })),
            select: { id: true, email: true },
            skipDuplicates: true,
          });
          const byEmail = new Map(rows.map((p) => [p.email, p]));
          for (const row of inserted) {
            const person = byEmail.get(row.email)!;
            ids.set(person.global, row.id);
            created.push({ id: row.id, person });
          }
        }
        await tx.password.createMany({
          data: created.map((c) => ({ userId: c.id, hash: passwordHash })),
          skipDuplicates: true,
        });
        await tx.profile.createMany({
          data: created.map((c) => ({ userId: c.id, ...profileData(c.person.profile, taxonomy) })),
          skipDuplicates: true,
        });
      },
      { timeout: 300_000, maxWait: 60_000 },
    );
    const done = start + batch.length;
    options.onProgress?.(done);
    log(`  ${done} / ${target} (${seconds().toFixed(1)} s)`);
  }

  // PGlite runs no autovacuum: without fresh statistics the planner takes 20,000 rows for 80.
  await database.$executeRawUnsafe("ANALYZE");
  return { existing, created: target - existing, seconds: seconds() };
}

/** HR coordinators each institute should have, counting the demo ones. */
export const HR_PER_INSTITUTE = 3;

/**
 * Makes generated people HR coordinators where an institute has fewer than `perInstitute` (the
 * three partner institutes have none in the demo seed). Chosen among people who manage nobody, and
 * retitled to suit; idempotent.
 */
export async function ensureHrCoordinators(db: Db, perInstitute = HR_PER_INSTITUTE) {
  const institutes = await db.institute.findMany({ select: { id: true } });
  let promoted = 0;
  for (const institute of institutes) {
    // Counted in SQL: the PGlite adapter cannot pass the enum-array filter `roles: { has }`.
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "User"
      WHERE "instituteId" = ${institute.id} AND 'HR' = ANY("roles") AND "deactivatedAt" IS NULL`;
    const have = Number(row?.n ?? 0);
    if (have >= perInstitute) continue;
    promoted += await db.$executeRaw`
      UPDATE "User" SET "roles" = ARRAY['STAFF', 'HR']::"Role"[],
        "jobTitle" = 'HR coordinator, international exchanges', "team" = 'People',
        "updatedAt" = now()
      WHERE "id" IN (
        SELECT u."id" FROM "User" u
        WHERE u."instituteId" = ${institute.id} AND u."email" ~ ${SCALE_EMAIL}
          AND u."lineManagerId" IS NOT NULL AND NOT ('HR' = ANY(u."roles"))
          AND NOT EXISTS (SELECT 1 FROM "User" r WHERE r."lineManagerId" = u."id")
        ORDER BY md5(u."email") LIMIT ${perInstitute - have})`;
  }
  return promoted;
}

export type PoolPerson = {
  id: string;
  email: string;
  displayName: string;
  instituteId: string;
  lineManagerId: string | null;
  roles: Role[];
};

/** Everyone active, by institute, for the later phases to draw applicants, reviewers, members from. */
export async function loadPeople(db: Db) {
  const people: PoolPerson[] = await db.user.findMany({
    where: { deactivatedAt: null },
    orderBy: { email: "asc" },
    select: {
      id: true,
      email: true,
      displayName: true,
      instituteId: true,
      lineManagerId: true,
      roles: true,
    },
  });
  const institutes = await db.institute.findMany({
    orderBy: { code: "asc" },
    select: { id: true, code: true, name: true, timeZone: true },
  });
  const byInstitute = new Map<string, PoolPerson[]>(institutes.map((i) => [i.id, []]));
  for (const p of people) byInstitute.get(p.instituteId)?.push(p);
  const byEmail = new Map(people.map((p) => [p.email, p]));
  const byId = new Map(people.map((p) => [p.id, p]));
  return { people, institutes, byInstitute, byEmail, byId };
}

export type People = Awaited<ReturnType<typeof loadPeople>>;

/** The demo seed's people (prisma/demo.ts), who take part in the generated data when present. */
export const DEMO = {
  admin: "morgan.blake@uk-aisi.example",
  usHr: "jordan.rivera@us-aisi.example",
  usManager: "priya.natarajan@us-aisi.example",
  usStaff: "sam.okafor@us-aisi.example",
  usStaff2: "lena.park@us-aisi.example",
  ukHr: "eleanor.hughes@uk-aisi.example",
  ukManager: "tom.whitfield@uk-aisi.example",
  ukStaff: "aisha.rahman@uk-aisi.example",
  ukStaff2: "owen.griffiths@uk-aisi.example",
} as const;

export type DemoName = keyof typeof DEMO;

/** The demo people present in this database. */
export function demoPeople(people: People) {
  const out: Partial<Record<DemoName, PoolPerson>> = {};
  for (const [name, email] of Object.entries(DEMO) as [DemoName, string][]) {
    const p = people.byEmail.get(email);
    if (p) out[name] = p;
  }
  return out;
}
