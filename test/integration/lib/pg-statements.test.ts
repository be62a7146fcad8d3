import { expect, inject, test } from "vitest";
import { openAnotherPool } from "#test/support/another-pool";

// On a PostgreSQL server the app's repeated queries run as named prepared statements, parsed and
// planned once per connection (app/lib/pg-statements.server.ts). A one-connection pool makes the
// server's view of that connection, pg_prepared_statements, visible from the same client.
test.runIf(inject("dbKind") === "postgres")(
  "repeated queries are prepared once per connection, one-offs are not, and answers are unchanged",
  async () => {
    const single = await openAnotherPool(1);
    try {
      const prisma = single.prisma;
      const prepared = () =>
        prisma.$queryRawUnsafe<{ name: string; statement: string }[]>(
          `SELECT name, statement FROM pg_prepared_statements /* ${Math.random()} */`,
        );
      const code = `PS${Math.floor(Math.random() * 1e6)}`;
      await prisma.institute.create({
        data: { code, name: "Prepared", country: "GB", timeZone: "Europe/London", locale: "en-GB" },
      });

      const found: string[][] = [];
      for (const wanted of [code, "nothing-like-this", code]) {
        const rows = await prisma.institute.findMany({ where: { code: wanted } });
        found.push(rows.map((r) => r.code));
      }
      expect(found).toEqual([[code], [], [code]]);

      const statements = await prepared();
      const institute = statements.filter((s) => /FROM "public"\."Institute"/.test(s.statement));
      expect(institute).toHaveLength(1);
      expect(institute[0]!.name).toMatch(/^exchange_/);
      // The listing query itself has a different text each time: never named, never prepared.
      expect(statements.some((s) => s.statement.includes("pg_prepared_statements"))).toBe(false);

      // A failing named statement (a duplicate code) leaves the name usable. (pg-pool drops a
      // connection whose query failed outside a transaction; its replacement prepares afresh.)
      for (let i = 0; i < 3; i++) {
        await expect(
          prisma.institute.create({
            data: { code, name: "Again", country: "GB", timeZone: "UTC", locale: "en-GB" },
          }),
        ).rejects.toThrow(/Unique constraint/);
      }
      for (let i = 0; i < 2; i++)
        expect((await prisma.institute.findMany({ where: { code } })).map((r) => r.name)).toEqual([
          "Prepared",
        ]);
      const again = (await prepared()).filter((s) =>
        /FROM "public"\."Institute"/.test(s.statement),
      );
      expect(again.map((s) => s.name)).toEqual([institute[0]!.name]);
    } finally {
      await single.close();
    }
  },
);
