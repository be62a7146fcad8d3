import { inject } from "vitest";
import { databaseUrl } from "#test/support/db-template";
import { db, openDatabase } from "~/lib/db.server";

/**
 * Another connection pool on this test file's PostgreSQL database, as a second app process would
 * open it (PostgreSQL runs only: PGlite has one process by design).
 */
export async function openAnotherPool(poolSize: number) {
  const name = (await db.$queryRaw<{ d: string }[]>`SELECT current_database() AS d`)[0]!.d;
  return openDatabase({
    kind: "postgres",
    url: databaseUrl(inject("postgresServer"), name),
    poolSize,
  });
}
