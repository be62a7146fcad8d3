import { PGlite, type QueryOptions } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PreparedStatementsClient } from "~/lib/pglite-statements.server";

// The embedded database's client for Prisma runs statements as named prepared ones
// (app/lib/pglite-statements.server.ts). It must answer exactly as PGlite's own query() does, and
// fail as it does. PGlite only: the PostgreSQL server is reached through @prisma/adapter-pg.

// How pglite-prisma-adapter calls query(): rows as arrays, its own parsers for some types.
const ADAPTER_OPTIONS: QueryOptions = { rowMode: "array", parsers: { 1082: (v: string) => v } };

describe.skipIf(inject("dbKind") === "postgres")("prepared statements on PGlite", () => {
  let pglite: PGlite;

  const preparedNames = async () =>
    (
      await pglite.query<{ name: string }>(
        `SELECT name FROM pg_prepared_statements WHERE name LIKE 'exchange_%' ORDER BY name`,
      )
    ).rows.map((r) => r.name);

  beforeAll(async () => {
    pglite = await PGlite.create();
    await pglite.exec(`
      CREATE TYPE mood AS ENUM ('CALM', 'BUSY');
      CREATE TABLE t (
        id int PRIMARY KEY, label text UNIQUE, big bigint, price numeric(10, 2), ok boolean,
        doc jsonb, at timestamptz, day date, tags text[], blob bytea, m mood
      );`);
  });
  afterAll(async () => {
    await pglite.close();
  });

  it("returns what PGlite's query() returns, for the types Prisma sends and reads", async () => {
    const client = new PreparedStatementsClient(pglite);
    const insert = `INSERT INTO t (id, label, big, price, ok, doc, at, day, tags, blob, m)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CAST($11::text AS mood)) RETURNING *`;
    const row = (id: number) => [
      id,
      `it's "${id}"`,
      "9007199254740993",
      "12.50",
      true,
      JSON.stringify({ a: [1, "two", null], b: { c: "d" } }),
      // Fixed values to round-trip, not times relative to now.
      "2026-11-27T10:11:12.345Z",
      "2026-11-27",
      ["x", "y,z", 'q"uote', null],
      new Uint8Array([0, 1, 254, 255]),
      "BUSY",
    ];
    const mine = await client.query(insert, row(1), ADAPTER_OPTIONS);
    const theirs = await pglite.query(insert, row(2), ADAPTER_OPTIONS);
    expect(mine.affectedRows).toBe(1);
    expect(mine.fields).toEqual(theirs.fields);
    // Apart from the id and label, the same values came back the same way.
    const [a, b] = [mine.rows[0] as unknown[], theirs.rows[0] as unknown[]];
    expect(a.slice(2)).toEqual(b.slice(2));
    expect(a.slice(0, 2)).toEqual([1, `it's "1"`]);
    expect(a[4]).toBe(true);
    expect(a[8]).toEqual(["x", "y,z", 'q"uote', null]);

    const select = `SELECT * FROM t WHERE id = ANY($1) ORDER BY id`;
    const viaClient = await client.query(select, [[1, 2]], ADAPTER_OPTIONS);
    const viaPglite = await pglite.query(select, [[1, 2]], ADAPTER_OPTIONS);
    expect(viaClient.rows).toEqual(viaPglite.rows);
    expect(viaClient.fields).toEqual(viaPglite.fields);
    // NULL parameters, and object rows when the caller asks for them.
    expect(
      (await client.query(`SELECT $1::text AS x, $2::int AS y`, [null, undefined])).rows,
    ).toEqual([{ x: null, y: null }]);
    expect((await client.query(`UPDATE t SET ok = NOT ok WHERE id > $1`, [0])).affectedRows).toBe(
      2,
    );
  });

  it("prepares each SQL text once and runs it with new values after", async () => {
    const client = new PreparedStatementsClient(pglite);
    const sql = `SELECT id, label FROM t WHERE id = $1`;
    for (const id of [1, 2, 1, 2, 1, 2, 1, 2])
      expect((await client.query(sql, [id])).rows).toEqual([{ id, label: `it's "${id}"` }]);
    expect(client.statementStats()).toEqual({ prepared: 1, preparedEver: 1 });
    expect((await preparedNames()).filter((n) => n.startsWith(client.prefix))).toHaveLength(1);
  });

  it("throws PostgreSQL's error for a wrong statement, keeps nothing, and goes on working", async () => {
    const client = new PreparedStatementsClient(pglite);
    await expect(client.query(`SELEC id FROM t`)).rejects.toMatchObject({
      code: "42601",
      query: "SELEC id FROM t",
    });
    expect(client.statementStats()).toEqual({ prepared: 0, preparedEver: 1 });
    // A prepared statement that fails at run time: a duplicate key.
    const insert = `INSERT INTO t (id, label) VALUES ($1, $2)`;
    await client.query(insert, [10, "ten"]);
    await expect(client.query(insert, [11, "ten"])).rejects.toMatchObject({ code: "23505" });
    await expect(client.query(insert, [11, "eleven"])).resolves.toMatchObject({ affectedRows: 1 });
    expect(
      (await client.query(`SELECT count(*)::int AS n FROM t WHERE id >= $1`, [10])).rows,
    ).toEqual([{ n: 2 }]);
  });

  it("keeps at most its limit of statements, closing the least recently used", async () => {
    const before = await preparedNames();
    const client = new PreparedStatementsClient(pglite, 2);
    const q = (n: number) => client.query(`SELECT $1::int + ${n} AS v`, [1]);
    await q(1);
    await q(2);
    await q(1); // now 2 is the least recently used
    await q(3);
    const names = (await preparedNames()).filter((n) => !before.includes(n));
    expect(names).toHaveLength(2);
    expect(names.every((n) => n.startsWith(client.prefix))).toBe(true);
    expect(client.statementStats().prepared).toBe(2);
    // The closed one is prepared again when needed, and answers right.
    expect((await q(2)).rows).toEqual([{ v: 3 }]);
    expect((await preparedNames()).filter((n) => !before.includes(n))).toHaveLength(2);
  });

  it("keeps a statement prepared inside a transaction that rolls back", async () => {
    const client = new PreparedStatementsClient(pglite);
    const sql = `UPDATE t SET label = $2 WHERE id = $1`;
    await expect(
      client.transaction(async (tx) => {
        await tx.query(sql, [10, "changed"]);
        throw new Error("give up");
      }),
    ).rejects.toThrow("give up");
    expect((await pglite.query(`SELECT label FROM t WHERE id = 10`)).rows).toEqual([
      { label: "ten" },
    ]);
    await client.query(sql, [10, "changed"]);
    expect(client.statementStats().preparedEver).toBe(1);
    expect((await pglite.query(`SELECT label FROM t WHERE id = 10`)).rows).toEqual([
      { label: "changed" },
    ]);
  });

  it("rolls a transaction back when one of its statements fails, and refuses a closed one", async () => {
    const client = new PreparedStatementsClient(pglite);
    let inside: { query: (sql: string) => Promise<unknown> } | undefined;
    await expect(
      client.transaction(async (tx) => {
        inside = tx;
        await tx.query(`INSERT INTO t (id, label) VALUES (20, 'twenty')`);
        await tx.query(`INSERT INTO t (id, label) VALUES (21, 'twenty')`);
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect((await client.query(`SELECT id FROM t WHERE id >= 20`)).rows).toEqual([]);
    await expect(inside!.query(`SELECT 1`)).rejects.toThrow("Transaction is closed");
    // A transaction that commits keeps its writes.
    await client.transaction(async (tx) => {
      await tx.query(`INSERT INTO t (id, label) VALUES ($1, $2)`, [20, "twenty"]);
      await tx.exec(`UPDATE t SET ok = true WHERE id = 20`);
    });
    expect((await client.query(`SELECT label, ok FROM t WHERE id = $1`, [20])).rows).toEqual([
      { label: "twenty", ok: true },
    ]);
  });

  it("prepares afresh a statement whose columns a schema change altered", async () => {
    const client = new PreparedStatementsClient(pglite);
    const sql = `SELECT * FROM t WHERE id = $1`;
    expect(Object.keys((await client.query(sql, [10])).rows[0] as object)).not.toContain("extra");
    await pglite.exec(`ALTER TABLE t ADD COLUMN extra text DEFAULT 'new'`);
    expect((await client.query(sql, [10])).rows[0]).toMatchObject({ id: 10, extra: "new" });
  });
});
