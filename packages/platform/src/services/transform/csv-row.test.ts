import { describe, expect, it } from 'vitest';
import { CsvRowError, formatCsvRow, parseCsvRow, toCsvField } from './csv-row.js';

describe('CSV rows', () => {
  it('reads plain and quoted fields, doubled quotes and empty fields', () => {
    expect(parseCsvRow('1,2.5,abc')).toEqual(['1', '2.5', 'abc']);
    expect(parseCsvRow('"a,b","say ""hi""",,x\r\n')).toEqual(['a,b', 'say "hi"', '', 'x']);
    expect(parseCsvRow('')).toEqual(['']);
  });

  it('refuses a second row and an unclosed quote', () => {
    expect(() => parseCsvRow('1,2\n3,4')).toThrow(CsvRowError);
    expect(() => parseCsvRow('"open,1')).toThrow(/not closed/);
  });

  it('writes what it reads', () => {
    const fields = ['a,b', 'say "hi"', '', 'x'];
    expect(parseCsvRow(formatCsvRow(fields))).toEqual(fields);
    expect(formatCsvRow(['1', 'a,b', 'q"'])).toBe('1,"a,b","q"""');
  });

  it('turns JSON values into fields', () => {
    expect(toCsvField('x')).toBe('x');
    expect(toCsvField(3)).toBe('3');
    expect(toCsvField({ a: 1 })).toBe('{"a":1}');
  });
});
