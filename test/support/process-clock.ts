// Moves the whole process's clock: `Date` itself, so that the app's clock (app/lib/clock.ts) and
// what libraries stamp on their own (Prisma's @default(now()), PGlite's now()) read the same moved
// time. The moved clock keeps ticking. Used by the time-travel setup file and by tests that must
// act at another date (the demo seed a year from now).

const RealDate = globalThis.Date;

/** From now on `Date` reads `to` plus the real time elapsed since; returns the undo. */
export function moveProcessClock(to: Date | number): () => void {
  const before = globalThis.Date;
  const offset = (typeof to === "number" ? to : to.getTime()) - RealDate.now();
  class MovedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...(args as [number]));
    }
    static override now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = MovedDate as DateConstructor;
  return () => {
    globalThis.Date = before;
  };
}

/** True while `Date` is the engine's own (no move in force). */
export function processClockIsReal() {
  return globalThis.Date === RealDate;
}
