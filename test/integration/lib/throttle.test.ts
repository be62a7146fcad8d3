import { expect, inject, test } from "vitest";
import { db } from "~/lib/db.server";
import {
  lockDuration,
  lockedUntil,
  recordFailure,
  spendFromWindow,
  type ThrottleRule,
} from "~/lib/throttle.server";
import { openAnotherPool } from "#test/support/another-pool";

const rule: ThrottleRule = {
  limit: 5,
  windowMs: 15 * 60_000,
  baseLockMs: 60_000,
  maxLockMs: 3_600_000,
};

test("concurrent failures are all counted: none is lost to a race", async () => {
  const key = `signin:account:race-${Math.random()}@test.example`;
  await Promise.all(Array.from({ length: 12 }, () => recordFailure(key, rule)));
  const row = await db.throttle.findUniqueOrThrow({ where: { key } });
  expect(row.failures).toBe(12);
  expect(await lockedUntil([key])).not.toBeNull();
});

test("failures older than the window start a new count", async () => {
  const key = `signin:account:old-${Math.random()}@test.example`;
  const long_ago = new Date(Date.now() - 60 * 60_000);
  for (let i = 0; i < 4; i++) await recordFailure(key, rule, long_ago);
  await recordFailure(key, rule);
  const row = await db.throttle.findUniqueOrThrow({ where: { key } });
  expect(row.failures).toBe(1);
  expect(await lockedUntil([key])).toBeNull();
});

test("each failure past the limit doubles the lock, up to the ceiling", () => {
  expect(lockDuration(4, rule)).toBe(0);
  expect(lockDuration(5, rule)).toBe(60_000);
  expect(lockDuration(6, rule)).toBe(120_000);
  expect(lockDuration(50, rule)).toBe(3_600_000);
});

// Two app processes are two connection pools on one database: the count is shared.
test.runIf(inject("dbKind") === "postgres")(
  "a second process sees and adds to the same count",
  async () => {
    const other = await openAnotherPool(2);
    const key = `signin:ip:203.0.113.${Math.floor(Math.random() * 200)}`;
    await Promise.all([
      recordFailure(key, rule),
      recordFailure(key, rule),
      recordFailure(key, rule),
    ]);
    const theirs = await other.prisma.throttle.findUniqueOrThrow({ where: { key } });
    expect(theirs.failures).toBe(3);
    await other.prisma
      .$executeRaw`UPDATE "Throttle" SET failures = failures + 2 WHERE key = ${key}`;
    await recordFailure(key, rule);
    expect(await lockedUntil([key])).not.toBeNull();
    await other.close();
  },
);

test("a rate limit allows exactly its limit of concurrent uses, and counts no refused one", async () => {
  const key = `rate:test:${Math.random()}`;
  const answers = await Promise.all(
    Array.from({ length: 12 }, () => spendFromWindow(key, 5, 60 * 60_000)),
  );
  expect(answers.filter((a) => a === null)).toHaveLength(5);
  expect((await db.throttle.findUniqueOrThrow({ where: { key } })).failures).toBe(5);
  // A later window starts afresh.
  expect(await spendFromWindow(key, 5, 60 * 60_000, db, new Date(Date.now() + 61 * 60_000))).toBe(
    null,
  );
});

test.runIf(inject("dbKind") === "postgres")("two processes share one rate limit", async () => {
  const other = await openAnotherPool(2);
  const key = `rate:test:${Math.random()}`;
  const answers = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      spendFromWindow(key, 4, 60 * 60_000, i % 2 ? other.prisma : db),
    ),
  );
  expect(answers.filter((a) => a === null)).toHaveLength(4);
  await other.close();
});
