/**
 * One CSV cell (SPEC section 9). Text that a spreadsheet would run as a formula (it starts
 * with = + - @, or a tab or CR that some apps skip first) gets a leading apostrophe:
 * subjects come from email. A cell holding a separator any spreadsheet may use (`,` `;`
 * tab), a quote, CR or LF is quoted (RFC 4180), so it stays one cell whatever the
 * separator, and a formula after a `;` cannot become a cell of its own.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document with a header row, CRLF line ends as RFC 4180 asks. */
export function toCsv(header: string[], rows: (string | number | boolean | null)[][]): string {
  return `${[header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
