import { expect, test } from "vitest";
import { calendar, escapeText, foldLine } from "~/lib/icalendar";

test("text values escape backslashes, semicolons, commas and line breaks", () => {
  expect(escapeText("a\\b; c, d\ne")).toBe("a\\\\b\\; c\\, d\\ne");
});

test("long lines fold at 75 octets without splitting a character", () => {
  const line = `SUMMARY:${"é".repeat(60)}`;
  const folded = foldLine(line);
  for (const part of folded.split("\r\n")) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
  expect(
    folded
      .split("\r\n")
      .map((p, i) => (i ? p.slice(1) : p))
      .join(""),
  ).toBe(line);
});

test("all-day events end the next day; the file uses CRLF", () => {
  const ics = calendar(
    "Placement: A, B",
    // Fixed: an event on the year's last day (it ends in the next year), stamped at a given now.
    [{ uid: "x@exchange", date: "2027-12-31", summary: "Due: NDA" }],
    new Date("2026-11-26T10:00:00Z"),
  );
  expect(ics).toContain("DTSTART;VALUE=DATE:20271231\r\nDTEND;VALUE=DATE:20280101\r\n");
  expect(ics).toContain("X-WR-CALNAME:Placement: A\\, B\r\n");
  expect(ics).toContain("DTSTAMP:20261126T100000Z");
  expect(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
  expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
});
