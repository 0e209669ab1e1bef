import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { FeatureBatch } from './batch.js';
import { formatCsv, readCsvBatches, type CsvReadOptions } from './csv.js';
import { parseNumber } from './csv-number.js';

async function readAll(
  input: Parameters<typeof readCsvBatches>[0],
  options: CsvReadOptions = {},
): Promise<FeatureBatch[]> {
  const batches: FeatureBatch[] = [];
  for await (const batch of readCsvBatches(input, options)) batches.push(batch);
  return batches;
}

const fromText = (text: string, pieces = 1): Readable => {
  const size = Math.ceil(text.length / pieces);
  const chunks = [];
  for (let i = 0; i < text.length; i += size) chunks.push(Buffer.from(text.slice(i, i + size)));
  return Readable.from(chunks);
};

describe('parseNumber', () => {
  it('matches Number() on plain decimals and exponents', () => {
    const cases = [
      '0',
      '-0',
      '42',
      '3.14159',
      '-2.5e-3',
      '1E10',
      '.5',
      '1.',
      '+7',
      '123456789012345678',
      '1e-30',
      '0.1',
    ];
    for (const s of cases) expect(parseNumber(s, 0, s.length), s).toBe(Number(s));
  });

  it('accepts spaces and Python float() spellings, rejects the rest', () => {
    expect(parseNumber(' 1.5 ', 0, 5)).toBe(1.5);
    expect(parseNumber('nan', 0, 3)).toBeNaN();
    expect(parseNumber('-inf', 0, 4)).toBe(-Infinity);
    for (const s of ['', ' ', 'abc', '1e', '1.2.3', '0x10', '--1', '.', '1,5'])
      expect(parseNumber(s, 0, s.length), s).toBeUndefined();
  });

  it('parses a field in the middle of a line', () => {
    expect(parseNumber('1,22.5,3', 2, 6)).toBe(22.5);
  });
});

describe('readCsvBatches', () => {
  it('takes the label from the first column by default', async () => {
    const [batch] = await readAll(fromText('1,0.5,2\n0,3,4\n'));
    expect(batch).toEqual({
      features: new Float32Array([0.5, 2, 3, 4]),
      labels: new Float32Array([1, 0]),
      rows: 2,
      dim: 2,
    });
  });

  it('treats every column as a feature with labelColumns 0, across CRLF, blank lines and chunk splits', async () => {
    const text = '\ufeff1,2,3\r\n\r\n4,5,6\r\n7,8,9';
    const batches = await readAll(fromText(text, 7), { labelColumns: 0, batchSize: 2 });
    expect(batches.map((b) => [b.rows, b.dim, b.labels])).toEqual([
      [2, 3, undefined],
      [1, 3, undefined],
    ]);
    expect(batches.flatMap((b) => Array.from(b.features))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reads a file by path and names it, the line and the column in errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plinth-csv-'));
    const path = join(dir, 'train.csv');
    await writeFile(path, '1,2,3\n4,5,x6\n');
    await expect(readAll(path)).rejects.toThrow(
      `${path}, line 2, column 3: 'x6' is not a number. CSV for built-in algorithms must be all numbers, with no header row and the label in the first column.`,
    );
  });

  it('rejects a header row and rows with the wrong column count', async () => {
    await expect(readAll(fromText('label,a\n1,2\n'), { source: 'a.csv' })).rejects.toThrow(
      "a.csv, line 1, column 1: 'label' is not a number",
    );
    await expect(readAll(fromText('1,2,3\n4,5\n'), { source: 'a.csv' })).rejects.toThrow(
      'a.csv, line 2: expected 3 columns (1 label + 2 features) but found 2.',
    );
    await expect(
      readAll(fromText('1,2\n3,4,5,6\n'), { source: 'a.csv', labelColumns: 0 }),
    ).rejects.toThrow('a.csv, line 2: expected 2 columns (2 features, no label) but found 4.');
    await expect(readAll(fromText('1,2\n'), { source: 'a.csv', featureDim: 3 })).rejects.toThrow(
      'expected 4 columns',
    );
    await expect(readAll(fromText('1,\n'), { source: 'a.csv' })).rejects.toThrow(
      "column 2: '' is not a number",
    );
  });

  it('explains a label-only row', async () => {
    await expect(readAll(fromText('1\n2\n'), { source: 'a.csv' })).rejects.toThrow('label_size=0');
  });

  it('reads 200,000 single-column rows without a label', async () => {
    const text = '0.5\n'.repeat(200_000);
    let count = 0;
    for await (const batch of readCsvBatches(fromText(text, 3), { labelColumns: 0 })) {
      count += batch.rows;
      expect(batch.dim).toBe(1);
    }
    expect(count).toBe(200_000);
  });

  it('reads 200,000 rows in many chunks with the right counts and sums', async () => {
    const rows = 200_000;
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) lines.push(`${i % 2},${i},${(i % 1000) / 8},-1.5e-2`);
    let count = 0;
    let labelSum = 0;
    let firstFeatureSum = 0;
    for await (const batch of readCsvBatches(fromText(lines.join('\n'), 400), {
      batchSize: 5000,
    })) {
      count += batch.rows;
      for (let r = 0; r < batch.rows; r++) {
        labelSum += batch.labels![r]!;
        firstFeatureSum += batch.features[r * batch.dim]!;
      }
      expect(batch.features[batch.dim - 1]).toBeCloseTo(-0.015);
    }
    expect(count).toBe(rows);
    expect(labelSum).toBe(rows / 2);
    expect(firstFeatureSum).toBe(
      Array.from({ length: rows }, (_, i) => Math.fround(i)).reduce((a, b) => a + b),
    );
  });
});

describe('formatCsv', () => {
  it('writes one line per row or per scalar', () => {
    expect(formatCsv([[1, 2.5], new Float32Array([3, 4])])).toBe('1,2.5\n3,4\n');
    expect(formatCsv([0, 1])).toBe('0\n1\n');
  });
});
