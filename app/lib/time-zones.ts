/**
 * Wall-clock times in a named zone. A posting's deadline is typed as the host's local date and
 * time; it is stored as an instant and shown to each viewer in their own zone.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(date: Date, timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(date)) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out as Record<"year" | "month" | "day" | "hour" | "minute" | "second", number>;
}

/** A calendar-date column (`@db.Date`, read as UTC midnight) as YYYY-MM-DD; null stays null. */
export function calendarDate(date: Date): string;
export function calendarDate(date: Date | null): string | null;
export function calendarDate(date: Date | null) {
  return date ? date.toISOString().slice(0, 10) : null;
}

/**
 * A range of whole UTC days, `from` to `to` inclusive (YYYY-MM-DD, either may be absent), as
 * instants: `start` <= t < `end`. The day after 9999-12-31 has a five-digit year that PostgreSQL
 * refuses, and nothing is stored after it anyway, so that `to` gives no `end`.
 */
export function utcDayRange(from?: string, to?: string): { start?: Date; end?: Date } {
  const start = from ? new Date(`${from}T00:00:00Z`) : undefined;
  const end =
    to && to < "9999-12-31" ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) : undefined;
  return { start, end };
}

/** The calendar date clocks in `timeZone` show at this instant, as YYYY-MM-DD. */
export function dateIn(date: Date, timeZone: string) {
  const p = partsIn(date, timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${String(p.year).padStart(4, "0")}-${two(p.month)}-${two(p.day)}`;
}

/** Minutes the zone is ahead of UTC at this instant. */
export function zoneOffsetMinutes(date: Date, timeZone: string) {
  const p = partsIn(date, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

export function isValidTimeZone(timeZone: string) {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * The instant when clocks in `timeZone` show `local` ("2026-12-31T17:00"); null if it is not a
 * real date and time. In the hour skipped when clocks go forward, the later reading is used.
 */
export function zonedLocalToInstant(local: string, timeZone: string): Date | null {
  const m = LOCAL.exec(local);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59
  )
    return null;
  // Two passes settle the offset either side of a change of clocks.
  let instant = wall - zoneOffsetMinutes(new Date(wall), timeZone) * 60_000;
  instant = wall - zoneOffsetMinutes(new Date(instant), timeZone) * 60_000;
  return new Date(instant);
}

/** The inverse, for filling a datetime-local input: "YYYY-MM-DDTHH:mm" as clocks in the zone show it. */
export function instantToZonedLocal(date: Date, timeZone: string) {
  const p = partsIn(date, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}
