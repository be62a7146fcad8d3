// CSV for spreadsheets: every cell quoted, and a cell that a spreadsheet would run as a formula
// (starting with = + - @, tab or carriage return) prefixed with a quote so it stays text.

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: unknown) {
  let s = value == null ? "" : value instanceof Date ? value.toISOString() : String(value);
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
