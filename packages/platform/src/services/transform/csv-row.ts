/**
 * One CSV row as RFC 4180 writes it: fields separated by commas, a field with a comma, quote or
 * line break in double quotes, a quote inside quotes doubled. Batch transform treats each CSV
 * record as one such row (a JSON array of its fields, for JSONPath).
 */

/** Why a record is not one CSV row. */
export class CsvRowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvRowError';
  }
}

/** The fields of one row; throws CsvRowError for an unclosed quote or a second row. */
export function parseCsvRow(text: string): string[] {
  const row = text.replace(/\r?\n$/, '');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const char = row[i]!;
    if (quoted) {
      if (char !== '"') field += char;
      else if (row[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      throw new CsvRowError('a CSV record must be one row, and this one has a line break');
    } else field += char;
  }
  if (quoted) throw new CsvRowError('a quoted CSV field is not closed');
  fields.push(field);
  return fields;
}

/** One row from fields, quoting those that need it. */
export function formatCsvRow(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}

/** A JSON value as one CSV field: text as it is, anything else as JSON. */
export function toCsvField(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}
