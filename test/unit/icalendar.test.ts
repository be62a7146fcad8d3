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

// Half of a character that UTF-8 cannot write (a pair, with the u flag, counts as one character).
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** The content lines a calendar reads: CRLF-terminated, folds (CRLF + space) undone. */
function contentLines(ics: string) {
  expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  return ics.replace(/\r\n /g, "").split("\r\n").slice(0, -1);
}

/** A TEXT value back as the text it stands for (RFC 5545 §3.3.11). */
const unescapeText = (value: string) =>
  value.replace(/\\([\\;,nN])/g, (_, c: string) => (c.toLowerCase() === "n" ? "\n" : c));

test("a lone carriage return, like every line break, becomes \\n and cannot end the line", () => {
  expect(escapeText("one\rtwo\r\nthree\nfour\r")).toBe("one\\ntwo\\nthree\\nfour\\n");
  const ics = calendar(
    "Placement",
    [
      {
        uid: "x@exchange",
        date: "2027-03-01",
        summary: "Due: visa\rEND:VEVENT",
        description: "Bring\rBEGIN:VALARM\r\nand\nthe form",
      },
    ],
    new Date("2026-11-26T10:00:00Z"),
  );
  const lines = contentLines(ics);
  expect(lines.filter((l) => /^(BEGIN|END):/.test(l))).toEqual([
    "BEGIN:VCALENDAR",
    "BEGIN:VEVENT",
    "END:VEVENT",
    "END:VCALENDAR",
  ]);
  expect(lines).toContain("SUMMARY:Due: visa\\nEND:VEVENT");
  expect(lines).toContain("DESCRIPTION:Bring\\nBEGIN:VALARM\\nand\\nthe form");
});

test("hostile text round-trips through escaping, folding and unfolding", () => {
  const nasty = "a\\b;c,d\\;e\\,f\\\\n\tg\u0000h\u0007i\u001b[31mj 😀 é 中文";
  const ics = calendar(
    "C",
    [{ uid: "x@exchange", date: "2027-03-01", summary: "S", description: nasty.repeat(8) }],
    new Date("2026-11-26T10:00:00Z"),
  );
  for (const physical of ics.split("\r\n")) {
    expect(Buffer.byteLength(physical)).toBeLessThanOrEqual(75);
    expect(physical).not.toMatch(LONE_SURROGATE);
  }
  const description = contentLines(ics).find((l) => l.startsWith("DESCRIPTION:"))!;
  // Control characters other than tab are dropped; everything else comes back as it was.
  expect(unescapeText(description.slice("DESCRIPTION:".length))).toBe(
    ["\u0000", "\u0007", "\u001b"].reduce((t, c) => t.replaceAll(c, ""), nasty).repeat(8),
  );
});

test("a multibyte character at the 75-octet boundary moves whole to the next line", () => {
  // 73 octets, then a 4-octet emoji that would straddle the boundary, then a 3-octet character.
  const line = `DESCRIPTION:${"x".repeat(61)}😀${"中".repeat(30)}`;
  const parts = foldLine(line).split("\r\n");
  expect(parts[0]).toBe(`DESCRIPTION:${"x".repeat(61)}`);
  expect(parts[1]!.startsWith(" 😀")).toBe(true);
  for (const part of parts) {
    expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    expect(part).not.toMatch(LONE_SURROGATE);
  }
  expect(parts.map((p, i) => (i ? p.slice(1) : p)).join("")).toBe(line);
});

test("an event on 9999-12-31 lasts its one day; none is written past year 9999", () => {
  const ics = calendar(
    "C",
    [
      { uid: "x@exchange", date: "9999-12-31", summary: "S" },
      // A due date 30 days after a 9999-12-31 start, as toISOString writes it.
      { uid: "y@exchange", date: "+010000-01-30", summary: "Too late" },
    ],
    new Date("2026-11-26T10:00:00Z"),
  );
  expect(ics).toContain("DTSTART;VALUE=DATE:99991231\r\nSUMMARY:S\r\n");
  expect(ics).not.toContain("DTEND");
  expect(ics).not.toContain("Too late");
});
