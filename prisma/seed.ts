// `npm run db:seed`: the demo data (prisma/demo.ts) in the database named by DATABASE_URL or
// DATA_DIR; `npm run db:seed -- --profiles 20000` adds a directory at scale (scripts/seed-scale.ts).
import { connectDatabase, disconnectDatabase } from "~/lib/db.server";
import { main as scaleMain } from "../scripts/seed-scale";
import { DEMO_PASSWORD, demoSeedRefusal, profilesArgument, seed } from "./demo";

async function main(argv: readonly string[]) {
  const refusal = demoSeedRefusal(process.env, argv);
  if (refusal) {
    console.error(refusal);
    process.exitCode = 1;
    return;
  }
  if (profilesArgument(argv) !== undefined) {
    await scaleMain(argv);
    return;
  }
  await connectDatabase();
  try {
    const started = performance.now();
    const { institutes, users, people } = await seed();
    console.log(
      `Seeded ${institutes.length} institutes, ${users.length} demo users and ${people} directory ` +
        `profiles in ${((performance.now() - started) / 1000).toFixed(1)} s (password: ${DEMO_PASSWORD}).`,
    );
  } finally {
    await disconnectDatabase();
  }
}

await main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
