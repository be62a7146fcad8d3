// CSV for spreadsheets: every cell quoted, and a cell that a spreadsheet would run as a formula
// (starting with = + - @, tab or carriage return) prefixed with a quote so it stays text.

const FORMULA = /^[=+\-@\t\r]/;

/** A cell's text: dates as ISO 8601, objects and arrays (JSON columns) as JSON, never "[object Object]". */
function cellText(value: unknown) {
  if (value == null) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function csvCell(value: unknown) {
  let s = cellText(value);
  if (FORMULA.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function csvLine(cells: readonly unknown[]) {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** Headers for a CSV or JSON download, never cached, never rendered inline. */
export function downloadHeaders(filename: string, contentType: string) {
  return {
    "Content-Type": contentType,
    "Content-Disposition": `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`,
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
  };
}
