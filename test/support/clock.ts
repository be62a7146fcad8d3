import { clock } from "~/lib/clock";

// Dates for tests, computed from the test's clock so that a test means the same thing on any day
// (and under `npm run test:time-travel`, which moves the process clock before a test file loads).

const DAY = 86_400_000;

/** The test file's "now": the clock's reading when the file loaded. */
export const TEST_NOW = clock.now();

/** The instant `days` (may be fractional or negative) after `from`. */
export function daysAfter(days: number, from: Date = TEST_NOW): Date {
  return new Date(from.getTime() + days * DAY);
}

/** The UTC calendar day ("YYYY-MM-DD") `days` after `from`. */
export function dayAfter(days: number, from: Date = TEST_NOW): string {
  return daysAfter(days, from).toISOString().slice(0, 10);
}

/** Midnight UTC of the calendar day `days` after `from`. */
export function midnightAfter(days: number, from: Date = TEST_NOW): Date {
  return new Date(`${dayAfter(days, from)}T00:00:00Z`);
}

/** A local date and time as a form's datetime-local field holds it ("YYYY-MM-DDTHH:MM"). */
export function localDateTimeAfter(days: number, time = "17:00", from: Date = TEST_NOW): string {
  return `${dayAfter(days, from)}T${time}`;
}

/** The first day of the UTC month `months` after `from`'s month ("YYYY-MM-01"). */
export function monthStartAfter(months: number, from: Date = TEST_NOW): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + months, 1));
  return d.toISOString().slice(0, 10);
}

/** Whole days from calendar day `a` to calendar day `b` (both "YYYY-MM-DD"). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);
}
