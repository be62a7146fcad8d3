import { expect, inject, test } from "vitest";
import { db } from "~/lib/db.server";

test("each test file starts from an empty, migrated database of the configured kind", async () => {
  expect(await db.user.count()).toBe(0);
  const rows = await db.$queryRaw<{ v: string }[]>`SELECT version() AS v`;
  expect(rows[0]!.v).toMatch(/PostgreSQL/);
  expect(["pglite", "postgres"]).toContain(inject("dbKind"));
});
