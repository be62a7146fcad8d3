import { afterAll, beforeAll, inject } from "vitest";
import { createDatabaseFromTemplate, dropDatabase, pgliteFromTemplate } from "#test/db-template";
import { disconnectDatabase, openDatabase, useDatabase } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";

// Each test file gets a database of its own, cloned from the migrated template.
let dropAfter: (() => Promise<void>) | undefined;

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  resetEnvCache();
  if (inject("dbKind") === "postgres") {
    const server = inject("postgresServer");
    const name = `exchange_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const url = await createDatabaseFromTemplate(server, inject("postgresTemplate"), name);
    useDatabase(await openDatabase({ kind: "postgres", url, poolSize: 4 }));
    dropAfter = () => dropDatabase(server, name);
  } else {
    const pglite = await pgliteFromTemplate(inject("pgliteTemplate"));
    useDatabase(await openDatabase({ kind: "pglite", pglite }));
  }
});

afterAll(async () => {
  await disconnectDatabase();
  await dropAfter?.();
});
