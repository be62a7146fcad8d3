import { afterAll, beforeAll } from "vitest";
import { openTestDatabase } from "#test/support/database";
import { disconnectDatabase, useDatabase } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";

// Each test file gets a database of its own, cloned from the migrated template.
let drop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  resetEnvCache();
  const opened = await openTestDatabase();
  useDatabase(opened.database);
  drop = opened.drop;
});

afterAll(async () => {
  await disconnectDatabase();
  await drop?.();
});
