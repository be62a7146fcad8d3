/**
 * The one place the portal asks what time it is. Services, loaders, workers, the demo seed and the
 * test factories read "now" here; eslint refuses `new Date()` and `Date.now()` elsewhere.
 *
 * Tests move time by moving the process clock (`test/support/clock.ts`), not a variable here, so
 * that what the app reads and what libraries stamp on their own (Prisma's `@default(now())`,
 * PGlite's `now()`) stay the same instant. See docs/decisions/006-one-clock.md.
 */
export const clock = {
  /** The current instant. */
  now(): Date {
    return new Date(Date.now());
  },
  /** The current instant in milliseconds since the epoch. */
  ms(): number {
    return Date.now();
  },
};
