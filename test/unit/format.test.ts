import { expect, test } from "vitest";
import { formatDate, formatDateTime } from "~/lib/format";

// A fixed instant, passed in: 1 March, before New York and London change their clocks (EST, GMT).
const instant = new Date("2026-03-01T17:30:00Z");

test("a deadline reads in the viewer's own zone and locale, with the zone named", () => {
  const ny = formatDateTime(instant, { locale: "en-US", timeZone: "America/New_York" });
  expect(ny).toContain("Mar 1, 2026");
  expect(ny).toMatch(/12:30\s?PM/);
  expect(ny).toMatch(/EST/);
  const london = formatDateTime(instant, { locale: "en-GB", timeZone: "Europe/London" });
  expect(london).toContain("1 Mar 2026");
  expect(london).toContain("17:30");
  expect(london).toMatch(/GMT/);
});

test("the zone can be left out, and dates alone follow the zone too", () => {
  expect(
    formatDateTime(instant, { locale: "en-GB", timeZone: "UTC" }, { withZone: false }),
  ).not.toMatch(/UTC/);
  expect(
    formatDate(new Date("2026-03-02T02:00:00Z"), { locale: "en-US", timeZone: "America/New_York" }),
  ).toBe("Mar 1, 2026");
});

test("each kind of format keeps its own formatter, per locale and zone", () => {
  const where = { locale: "en-GB", timeZone: "Asia/Tokyo" };
  // The same locale and zone asked for three ways, in turn, twice: none answers as another.
  for (let round = 0; round < 2; round++) {
    expect(formatDateTime(instant, where)).toMatch(/^2 Mar 2026, 02:30 GMT\+9$/);
    expect(formatDateTime(instant, where, { withZone: false })).toBe("2 Mar 2026, 02:30");
    expect(formatDate(instant, where)).toBe("2 Mar 2026");
    expect(formatDate(instant, { ...where, timeZone: "America/Los_Angeles" })).toBe("1 Mar 2026");
  }
});
