import { expect, test } from "vitest";
import {
  nextLeapDay,
  nextNewYearsEve,
  nextOffsetChange,
  timeTravelDates,
} from "../../scripts/lib/time-travel-dates.mjs";

// Fixed facts of the calendar: the 2027 and 2028 changes, the leap day after 2026.
const from = Date.parse("2026-12-07T02:00:00Z");
const iso = (t: number) => new Date(t).toISOString();

test("the next daylight-saving changes are found where the zones' rules put them", () => {
  expect(iso(nextOffsetChange("Europe/London", from))).toBe("2027-03-28T01:00:00.000Z");
  expect(iso(nextOffsetChange("America/New_York", from))).toBe("2027-03-14T07:00:00.000Z");
  // From summer time, the next change is the autumn one.
  const summer = Date.parse("2027-06-01T00:00:00Z");
  expect(iso(nextOffsetChange("Europe/London", summer))).toBe("2027-10-31T01:00:00.000Z");
});

test("31 December and 29 February are the next ones, never past ones", () => {
  expect(iso(nextNewYearsEve(from))).toBe("2026-12-31T23:30:00.000Z");
  expect(iso(nextNewYearsEve(Date.parse("2027-01-01T00:00:00Z")))).toBe("2027-12-31T23:30:00.000Z");
  expect(iso(nextLeapDay(from))).toBe("2028-02-29T12:00:00.000Z");
  expect(iso(nextLeapDay(Date.parse("2028-03-01T00:00:00Z")))).toBe("2032-02-29T12:00:00.000Z");
});

test("every date is ahead of today but today itself, and the far one is five years on", () => {
  const dates = timeTravelDates(from);
  for (const [name, { at }] of Object.entries(dates))
    if (name !== "today") expect(at).toBeGreaterThan(from);
  expect(iso(dates.far.at).slice(0, 10)).toBe("2031-12-07");
  expect(dates["uk-dst"].tz).toBe("Europe/London");
});
