import { clock } from "~/lib/clock";
/** A minimal iCalendar (RFC 5545) writer for all-day events. */

export type AllDayEvent = { uid: string; date: string; summary: string; description?: string };

// eslint-disable-next-line no-control-regex -- TEXT may hold no control character but tab (§3.3.11)
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped; every line break (CRLF,
 * LF or a lone CR, which a calendar would read as the end of the line) as \n; other control
 * characters dropped.
 */
export function escapeText(value: string) {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n")
    .replace(CONTROL, "");
}

/** Lines longer than 75 octets are folded: CRLF and a space, never inside a UTF-8 sequence. */
export function foldLine(line: string) {
  const parts: string[] = [];
  let current = "";
  let bytes = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (bytes + size > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = "";
      bytes = 0;
    }
    current += char;
    bytes += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

const compact = (date: string) => date.replace(/-/g, "");

/** DTEND, the day after: none after 9999-12-31 (a DATE has four digits of year; one day is implied). */
function endLine(date: string) {
  if (date >= "9999-12-31") return [];
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return [`DTEND;VALUE=DATE:${compact(d.toISOString().slice(0, 10))}`];
}

export function calendar(name: string, events: AllDayEvent[], now = clock.now()) {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Exchange portal//Placements//EN",
    "CALSCALE:GREGORIAN",
    `X-WR-CALNAME:${escapeText(name)}`,
  ];
  for (const e of events) {
    // A DATE has a four-digit year: a due date computed past 9999-12-31 cannot be written.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.date)) continue;
    lines.push(
      "BEGIN:VEVENT",
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${compact(e.date)}`,
      ...endLine(e.date),
      `SUMMARY:${escapeText(e.summary)}`,
      ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
