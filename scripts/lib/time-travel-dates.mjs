// The dates `npm run test:time-travel` moves the clock to, computed from a given now so that they
// stay the next ones whenever the suite runs.

const HOUR = 3_600_000;

/** The first whole hour after `from` at which the UTC offset of `timeZone` changes. */
export function nextOffsetChange(timeZone, from) {
  const format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
  const offset = (t) =>
    format.formatToParts(new Date(t)).find((p) => p.type === "timeZoneName").value;
  const hour = Math.floor(from / HOUR) * HOUR;
  const start = offset(hour);
  for (let t = hour + HOUR; t < from + 400 * 24 * HOUR; t += HOUR) {
    if (offset(t) !== start) return t;
  }
  throw new Error(`${timeZone} has no offset change within a year`);
}

/** Noon UTC on the next 29 February after `from`. */
export function nextLeapDay(from) {
  for (let year = new Date(from).getUTCFullYear(); ; year++) {
    const leap = Date.UTC(year, 1, 29, 12);
    if (new Date(leap).getUTCMonth() === 1 && leap > from) return leap;
  }
}

/** 23:30 UTC on the next 31 December after `from`. */
export function nextNewYearsEve(from) {
  const year = new Date(from).getUTCFullYear();
  const eve = Date.UTC(year, 11, 31, 23, 30);
  return eve > from ? eve : Date.UTC(year + 1, 11, 31, 23, 30);
}

/**
 * Each date with the process time zone it runs in. Edges start an hour before they fall, so a
 * run's own minutes cross them.
 */
export function timeTravelDates(now) {
  return {
    today: { at: now, tz: undefined },
    "uk-dst": { at: nextOffsetChange("Europe/London", now) - HOUR, tz: "Europe/London" },
    "us-dst": { at: nextOffsetChange("America/New_York", now) - HOUR, tz: "America/New_York" },
    "new-year": { at: nextNewYearsEve(now), tz: "Asia/Tokyo" },
    "leap-day": { at: nextLeapDay(now), tz: "UTC" },
    far: { at: now + Math.round(5 * 365.25 * 24) * HOUR, tz: "America/Los_Angeles" },
  };
}
