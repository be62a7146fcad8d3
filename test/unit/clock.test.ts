import { afterEach, expect, test, vi } from "vitest";
import { clock } from "~/lib/clock";
import { moveProcessClock } from "#test/support/process-clock";

afterEach(() => vi.useRealTimers());

test("the app's clock follows a test's fake time", () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2028-02-29T12:00:00Z"));
  expect(clock.now().toISOString()).toBe("2028-02-29T12:00:00.000Z");
  expect(clock.ms()).toBe(Date.parse("2028-02-29T12:00:00Z"));
});

test("a moved process clock keeps ticking, and libraries' Date agrees with the app's clock", async () => {
  const before = clock.ms();
  const undo = moveProcessClock(new Date("2031-06-01T00:00:00Z"));
  try {
    const first = clock.ms();
    expect(first - Date.parse("2031-06-01T00:00:00Z")).toBeLessThan(1_000);
    expect(Math.abs(new Date().getTime() - clock.ms())).toBeLessThan(50);
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.ms()).toBeGreaterThan(first);
    // Dates given explicitly are untouched.
    expect(new Date(0).toISOString()).toBe("1970-01-01T00:00:00.000Z");
    expect(new Date("2027-01-01T00:00:00Z") instanceof Date).toBe(true);
  } finally {
    undo();
  }
  // Undone: back to the clock the test started with.
  expect(clock.ms() - before).toBeGreaterThanOrEqual(0);
  expect(clock.ms() - before).toBeLessThan(1_000);
});

test("under time travel, the suite's clock starts at TEST_CLOCK", () => {
  const target = process.env.TEST_CLOCK;
  if (!target) {
    expect(Math.abs(clock.ms() - (performance.timeOrigin + performance.now()))).toBeLessThan(1_000);
    return;
  }
  // Within the minutes a test file takes to reach this line, never the real date.
  const drift = clock.ms() - Date.parse(target);
  expect(drift).toBeGreaterThanOrEqual(0);
  expect(drift).toBeLessThan(10 * 60_000);
});
