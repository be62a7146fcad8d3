import { inject } from "vitest";
import {
  createDatabaseFromTemplate,
  dropDatabase,
  pgliteFromTemplate,
} from "#test/support/db-template";
import { openDatabase, type Database } from "~/lib/db.server";

/**
 * A new database cloned from the run's migrated template, on the run's kind of database.
 * `drop` removes it from the server once it is closed (PGlite's lives in memory and goes with it).
 */
export async function openTestDatabase(): Promise<{
  database: Database;
  drop: () => Promise<void>;
}> {
  if (inject("dbKind") === "postgres") {
    const server = inject("postgresServer");
    const name = `exchange_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const url = await createDatabaseFromTemplate(server, inject("postgresTemplate"), name);
    const database = await openDatabase({ kind: "postgres", url, poolSize: 4 });
    return { database, drop: () => dropDatabase(server, name) };
  }
  const pglite = await pgliteFromTemplate(inject("pgliteTemplate"));
  const database = await openDatabase({ kind: "pglite", pglite });
  return { database, drop: async () => {} };
}
