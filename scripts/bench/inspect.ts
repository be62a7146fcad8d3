import fs from "node:fs";
import { connectDatabase, db, disconnectDatabase } from "~/lib/db.server";

// Run by scripts/bench/run.ts in a child process, before the server starts (PGlite allows one
// process per data directory): counts the profiles and collects real values to search for.
// Usage: tsx scripts/bench/inspect.ts <out.json>  (DATA_DIR or DATABASE_URL names the database)

export type Inventory = {
  profiles: number;
  institutes: { id: string; code: string }[];
  expertise: { id: string; name: string }[];
  locations: string[];
  names: string[];
};

const out = process.argv[2];
if (!out) throw new Error("usage: tsx scripts/bench/inspect.ts <out.json>");

await connectDatabase();
try {
  const profiles = await db.profile.count();
  const institutes = await db.institute.findMany({
    select: { id: true, code: true },
    orderBy: { code: "asc" },
  });
  const expertise = await db.expertiseArea.findMany({
    where: { retiredAt: null },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  const locations = await db.profile.groupBy({
    by: ["location"],
    where: { location: { not: "" } },
    _count: { _all: true },
    orderBy: { _count: { location: "desc" } },
    take: 10,
  });
  // An even spread of real names across the table, for name, partial-name and typo queries.
  const names = await db.$queryRaw<{ displayName: string }[]>`
    SELECT u."displayName" FROM "Profile" p JOIN "User" u ON u."id" = p."userId"
    WHERE u."deactivatedAt" IS NULL ORDER BY md5(u."id") LIMIT 12`;
  const inventory: Inventory = {
    profiles,
    institutes,
    expertise,
    locations: locations.map((l) => l.location),
    names: names.map((n) => n.displayName),
  };
  fs.writeFileSync(out, JSON.stringify(inventory, null, 2));
} finally {
  await disconnectDatabase();
}
