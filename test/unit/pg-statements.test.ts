import { expect, test } from "vitest";
import { statementNames } from "~/lib/pg-statements.server";

const q = (sql: string) => ({ sql });

test("a query text gets a name on its second sighting, and keeps it", () => {
  const name = statementNames();
  expect(name(q("SELECT 1"))).toBeUndefined();
  const named = name(q("SELECT 1"));
  expect(named).toMatch(/^exchange_[a-z0-9]+_1$/);
  expect(name(q("SELECT 1"))).toBe(named);
  expect(name(q("SELECT 2"))).toBeUndefined();
  const second = name(q("SELECT 2"));
  expect(second).toMatch(/_2$/);
  expect(second).not.toBe(named);
});

test("no more than `limit` texts are ever named: each connection's statements stay bounded", () => {
  const name = statementNames({ limit: 3, promoteAfter: 1 });
  const given = Array.from({ length: 10 }, (_, i) => name(q(`SELECT ${i}`)));
  expect(given.filter(Boolean)).toHaveLength(3);
  expect(new Set(given.filter(Boolean)).size).toBe(3);
  // The named ones keep their names; the rest run unnamed from then on.
  expect(name(q("SELECT 0"))).toBe(given[0]);
  expect(name(q("SELECT 9"))).toBeUndefined();
  expect(name(q("SELECT 9"))).toBeUndefined();
});

test("texts seen once are forgotten in bulk rather than tallied without end", () => {
  const name = statementNames({ limit: 2, promoteAfter: 2 });
  name(q("hot"));
  for (let i = 0; i < 25; i++) name(q(`one-off ${i}`)); // fills the tally (limit × 10) and clears it
  expect(name(q("hot"))).toBeUndefined(); // its first sighting was forgotten with the rest
  expect(name(q("hot"))).toMatch(/_1$/);
});
