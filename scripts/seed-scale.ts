// The scale generator: the demo seed, then issue 9's volumes on top, for trying the portal's pages
// and the benchmark at realistic size. Fills the database named by DATABASE_URL (PostgreSQL) or
// DATA_DIR (embedded PGlite, default ./data).
//
//   npm run db:seed:scale                   the whole set: 5 institutes, 20,000 people with
//                                           profiles, 1,000 postings, 30,000 applications with
//                                           their timelines and reviews, 2,000 placements with
//                                           checklists, 300 workspaces with 20,000 page versions,
//                                           10,000 tasks, 200,000 audit events, 50,000 notifications
//   npm run db:seed:scale -- --scale 0.01   every count times 0.01 (tests, a quick look)
//   npm run db:seed:scale -- --profiles N   only the directory: N generated people (users,
//                                           passwords, profiles), as before (the benchmark's use;
//                                           also `npm run db:seed -- --profiles N`)
//
// Running it again adds nothing: the directory is topped up to the number asked for, and every
// other phase (pipeline, workspaces, notifications, audit) is skipped when a JobRun row
// "seed-scale:<phase>" says an earlier run made it. Each phase is one transaction, so an
// interrupted run resumes with the phase it was in. A progress bar per part, then the time per
// phase and the rows per table. Password for everyone: the demo password. The code is in
// scripts/scale/ (one module per area).
import { connectDatabase, db, disconnectDatabase } from "~/lib/db.server";
import { hashPassword } from "~/lib/password.server";
import { DEMO_PASSWORD, profilesArgument, seed } from "../prisma/demo";
import { FULL_COUNTS, scaleArgument } from "./scale/counts";
import { formatSummary, generateScaleData } from "./scale/index";
import { seedScale } from "./scale/people";

export {
  countScalePeople,
  EXTRA_INSTITUTES,
  seedScale,
  type ScaleOptions,
  type ScaleResult,
} from "./scale/people";
export { generateScaleData } from "./scale/index";

export const DEFAULT_SCALE_PROFILES = FULL_COUNTS.people;

/** `tsx scripts/seed-scale.ts [--scale F | --profiles N]`. */
export async function main(argv: readonly string[]) {
  const profiles = profilesArgument(argv);
  const scale = scaleArgument(argv);
  if (profiles !== undefined && scale !== undefined)
    throw new Error("Give --profiles N (the directory only) or --scale F (everything), not both.");
  await connectDatabase();
  try {
    const started = performance.now();
    const demo = await seed();
    console.log(
      `Demo seed: ${demo.users.length} demo users and ${demo.people} directory profiles ` +
        `(${((performance.now() - started) / 1000).toFixed(1)} s).`,
    );
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    if (profiles !== undefined) {
      const result = await seedScale(db, { profiles, passwordHash, log: (m) => console.log(m) });
      const perSecond = result.created > 0 ? Math.round(result.created / result.seconds) : 0;
      console.log(
        `Scale seed: ${result.created} people created in ${result.seconds.toFixed(1)} s` +
          (result.created > 0 ? ` (${perSecond} per second)` : "") +
          `; ${await db.profile.count()} profiles in all. Password for everyone: ${DEMO_PASSWORD}`,
      );
      return;
    }
    const result = await generateScaleData(db, { scale: scale ?? 1, passwordHash });
    console.log(formatSummary(result));
    console.log(
      `\nDemo seed and scale data in ${((performance.now() - started) / 1000).toFixed(1)} s. ` +
        `Password for everyone: ${DEMO_PASSWORD}`,
    );
  } finally {
    await disconnectDatabase();
  }
}

// Run directly (`npm run db:seed:scale`), or through `npm run db:seed -- --profiles N`.
if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
