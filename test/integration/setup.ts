import { afterAll, afterEach, beforeAll } from "vitest";
import { openTestDatabase } from "#test/support/database";
import { turnOfTheLoop } from "#test/support/event-loop";
import { disconnectDatabase, useDatabase } from "~/lib/db.server";
import { resetEnvCache } from "~/lib/env.server";
import { loadEmailTemplates } from "~/modules/notifications/notifications.server";

// Each test file gets a database of its own, cloned from the migrated template.
let drop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  process.env.NODE_ENV = "test";
  resetEnvCache();
  const opened = await openTestDatabase();
  useDatabase(opened.database);
  drop = opened.drop;
  // As a server does soon after start: the first email's transaction should not wait for the
  // import, which on a busy machine outlasted Prisma's 5 s transaction limit.
  await loadEmailTemplates();
});

// A turn of the event loop after each test (test/support/event-loop.ts says why).
afterEach(turnOfTheLoop);

afterAll(async () => {
  await disconnectDatabase();
  await drop?.();
});
