// Fills the configured database with a directory at scale, to try search and facets on realistic
// volumes:  npm run db:seed:scale -- --profiles 20000   (or: npm run db:seed -- --profiles 20000)
// Runs the demo seed first, then adds N generated people (users, passwords, profiles) spread over
// every institute, in batched inserts that share one password hash. Running it again tops up to N.
import type { PrismaClient } from "~/generated/prisma/client";
import { connectDatabase, db, disconnectDatabase } from "~/lib/db.server";
import { hashPassword } from "~/lib/password.server";
import { DEMO_PASSWORD, profilesArgument, seed } from "../prisma/seed";
import { ensureInstitute, type InstituteSpec, UK_AISI, US_AISI } from "../test/factories";
import { createPeopleGenerator, profileData, TEAMS } from "../test/factories/profiles";
import { ensureTaxonomy } from "../test/factories/taxonomy";

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

export const DEFAULT_SCALE_PROFILES = 20_000;

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
    return { existing, created: 0, seconds: seconds() };
  }

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
    log(`  ${done} / ${target} (${seconds().toFixed(1)} s)`);
  }

  // PGlite runs no autovacuum: without fresh statistics the planner takes 20,000 rows for 80.
  await db.$executeRawUnsafe("ANALYZE");
  return { existing, created: target - existing, seconds: seconds() };
}

/** `tsx scripts/seed-scale.ts [--profiles N]`: the demo seed, then the directory at scale. */
export async function main(argv: readonly string[]) {
  const profiles = profilesArgument(argv) ?? DEFAULT_SCALE_PROFILES;
  await connectDatabase();
  try {
    const started = performance.now();
    const demo = await seed();
    console.log(
      `Demo seed: ${demo.users.length} demo users and ${demo.people} directory profiles ` +
        `(${((performance.now() - started) / 1000).toFixed(1)} s).`,
    );
    const result = await seedScale(db, { profiles, log: (m) => console.log(m) });
    const perSecond = result.created > 0 ? Math.round(result.created / result.seconds) : 0;
    console.log(
      `Scale seed: ${result.created} people created in ${result.seconds.toFixed(1)} s` +
        (result.created > 0 ? ` (${perSecond} per second)` : "") +
        `; ${await db.profile.count()} profiles in all. Password for everyone: ${DEMO_PASSWORD}`,
    );
  } finally {
    await disconnectDatabase();
  }
}

// Not a top-level await, like prisma/seed.ts, which imports this module on demand.
if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
