/**
 * Plain aligned columns, as `kubectl get` prints them. Hand-written: it is a dozen lines and
 * needs no box drawing, colours or wrapping that a table library would bring.
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** JSON as the AWS CLI prints it: two-space indent, Dates as ISO text. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** A timestamp for a table cell: local date and time to the second. */
export function formatTime(date: Date | undefined): string {
  if (!date) return '-';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
