import { expect, test } from "vitest";
import { instantToZonedLocal, zonedLocalToInstant } from "~/lib/time-zones";

// Fixed days throughout: the zones' seasons and their 2026 clock changes are the facts tested;
// these are pure conversions and read no clock.

test("a host's local deadline becomes the right instant, summer and winter", () => {
  expect(zonedLocalToInstant("2026-12-31T17:00", "America/New_York")!.toISOString()).toBe(
    "2026-12-31T22:00:00.000Z",
  );
  expect(zonedLocalToInstant("2026-07-01T17:00", "America/New_York")!.toISOString()).toBe(
    "2026-07-01T21:00:00.000Z",
  );
  expect(zonedLocalToInstant("2026-07-01T17:00", "Europe/London")!.toISOString()).toBe(
    "2026-07-01T16:00:00.000Z",
  );
  expect(zonedLocalToInstant("2026-01-15T09:30", "Asia/Tokyo")!.toISOString()).toBe(
    "2026-01-15T00:30:00.000Z",
  );
});

test("around a change of clocks: the skipped hour and the repeated hour", () => {
  // London skips 01:00-02:00 on 29 March 2026.
  expect(zonedLocalToInstant("2026-03-29T01:30", "Europe/London")!.toISOString()).toBe(
    "2026-03-29T01:30:00.000Z",
  );
  expect(zonedLocalToInstant("2026-03-29T02:30", "Europe/London")!.toISOString()).toBe(
    "2026-03-29T01:30:00.000Z",
  );
  const repeated = zonedLocalToInstant("2026-10-25T01:30", "Europe/London")!;
  expect(instantToZonedLocal(repeated, "Europe/London")).toBe("2026-10-25T01:30");
});

test("impossible dates and malformed input are refused", () => {
  for (const bad of ["2026-02-30T10:00", "2026-13-01T10:00", "2026-01-01T24:00", "2026-01-01", "x"])
    expect(zonedLocalToInstant(bad, "Europe/London"), bad).toBeNull();
});

test("round trip for every hour of a year in both launch zones", () => {
  for (const zone of ["America/New_York", "Europe/London"]) {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000) {
      const local = instantToZonedLocal(new Date(t), zone);
      const back = zonedLocalToInstant(local, zone)!;
      // Only the repeated autumn hour may map to its other instant.
      expect(instantToZonedLocal(back, zone)).toBe(local);
    }
  }
});
