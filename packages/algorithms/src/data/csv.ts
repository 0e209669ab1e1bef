import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { type FeatureBatch, checkBatchSize } from './batch.js';
import { parseNumber, scanDecimal, scanned } from './csv-number.js';
import { DataFormatError } from './errors.js';

/** Options for {@link readCsvBatches}. */
export interface CsvReadOptions {
  /**
   * 1: the first column is the label (SageMaker's convention for supervised training, and
   * `label_size=1`); 0: every column is a feature (`text/csv;label_size=0`). Default 1.
   */
  labelColumns?: 0 | 1;
  /** Rows per yielded batch (the last may be shorter). */
  batchSize?: number;
  /** Expected number of feature columns; inferred from the first row when absent. */
  featureDim?: number;
  /** Named in errors; defaults to the path when reading a file, else "CSV data". */
  source?: string;
  /** Read an empty (or blank) feature field as NaN, a missing value, instead of failing. */
  emptyAsMissing?: boolean;
}

/**
 * Streams headerless numeric CSV as row-major Float32Array batches. Numbers are parsed in
 * place from each decoded chunk, so memory stays flat however many millions of rows there are.
 * Blank lines are skipped; a non-number or a wrong column count stops with an error naming
 * the source, line and column.
 */
export async function* readCsvBatches(
  input: string | Readable | AsyncIterable<string | Uint8Array>,
  options: CsvReadOptions = {},
): AsyncGenerator<FeatureBatch> {
  const source = options.source ?? (typeof input === 'string' ? input : 'CSV data');
  const stream = typeof input === 'string' ? createReadStream(input) : input;
  const parser = new CsvBatcher({ ...options, source });
  const decoder = new StringDecoder('utf8');
  for await (const chunk of stream as AsyncIterable<string | Uint8Array>)
    yield* parser.push(typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk)));
  yield* parser.push(decoder.end());
  yield* parser.finish();
}

/** Parses CSV text fed in arbitrary pieces into batches. */
class CsvBatcher {
  private readonly labels: boolean;
  private readonly batchSize: number;
  private readonly source: string;
  private readonly emptyAsMissing: boolean;
  private dim: number | undefined;
  private carry = '';
  private line = 0;
  private rows = 0;
  private features = new Float32Array(0);
  private labelValues = new Float32Array(0);

  constructor(options: CsvReadOptions & { source: string }) {
    this.labels = (options.labelColumns ?? 1) === 1;
    this.batchSize = checkBatchSize(options.batchSize);
    this.source = options.source;
    this.emptyAsMissing = options.emptyAsMissing === true;
    this.dim = options.featureDim;
    if (this.dim !== undefined && (!Number.isInteger(this.dim) || this.dim < 1))
      throw new RangeError(`featureDim must be a positive integer, got ${this.dim}`);
  }

  *push(chunk: string): Generator<FeatureBatch> {
    const text = this.carry + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.parseLine(text, start, nl);
      start = nl + 1;
      if (this.rows === this.batchSize) yield this.take();
    }
    this.carry = text.slice(start);
  }

  *finish(): Generator<FeatureBatch> {
    if (this.carry.length > 0) this.parseLine(this.carry, 0, this.carry.length);
    this.carry = '';
    if (this.rows > 0) yield this.take();
  }

  private parseLine(text: string, start: number, end: number): void {
    this.line++;
    if (this.line === 1 && text.charCodeAt(start) === 0xfeff) start++; // UTF-8 byte order mark
    if (end > start && text.charCodeAt(end - 1) === 13) end--; // CRLF
    if (end === start) return;
    const labelColumns = this.labels ? 1 : 0;
    if (this.dim === undefined) this.dim = countColumns(text, start, end) - labelColumns;
    if (this.dim < 1) {
      throw new DataFormatError(
        `${this.source}, line ${this.line}: a row needs at least one feature column after the label column; if the data has no label, use content type text/csv;label_size=0.`,
      );
    }
    if (this.rows === 0) this.allocate();
    const expected = this.dim + labelColumns;
    const base = this.rows * this.dim - labelColumns;
    let column = 0;
    let fieldStart = start;
    for (;;) {
      if (column === expected) this.columnCountError(countColumns(text, start, end));
      // A plain decimal is parsed in the same pass that finds its end; anything else (spaces,
      // nan, very long or exotic numbers) goes through the general parser.
      let value = scanDecimal(text, fieldStart, end);
      let fieldEnd = scanned.stop;
      if (Number.isNaN(value) || (fieldEnd !== end && text.charCodeAt(fieldEnd) !== 44)) {
        fieldEnd = findComma(text, fieldStart, end);
        const parsed = parseNumber(text, fieldStart, fieldEnd);
        const field = parsed === undefined ? text.slice(fieldStart, fieldEnd) : '';
        if (parsed !== undefined) value = parsed;
        else if (this.emptyAsMissing && column >= labelColumns && field.trim() === '') value = NaN;
        else this.notANumber(field, column);
      }
      if (column < labelColumns) this.labelValues[this.rows] = value;
      else this.features[base + column] = value;
      column++;
      if (fieldEnd === end) break;
      fieldStart = fieldEnd + 1;
    }
    if (column !== expected) this.columnCountError(column);
    this.rows++;
  }

  private allocate(): void {
    this.features = new Float32Array(this.batchSize * this.dim!);
    if (this.labels) this.labelValues = new Float32Array(this.batchSize);
  }

  private take(): FeatureBatch {
    const dim = this.dim!;
    const batch: FeatureBatch = {
      features: this.features.subarray(0, this.rows * dim),
      rows: this.rows,
      dim,
    };
    if (this.labels) batch.labels = this.labelValues.subarray(0, this.rows);
    this.rows = 0;
    return batch;
  }

  private columnCountError(found: number): never {
    const dim = this.dim!;
    const layout = this.labels ? `1 label + ${dim} features` : `${dim} features, no label`;
    throw new DataFormatError(
      `${this.source}, line ${this.line}: expected ${dim + (this.labels ? 1 : 0)} columns (${layout}) but found ${found}. Every row must have the same number of columns.`,
    );
  }

  private notANumber(field: string, column: number): never {
    const shown = field.length > 40 ? `${field.slice(0, 40)}...` : field;
    throw new DataFormatError(
      `${this.source}, line ${this.line}, column ${column + 1}: '${shown}' is not a number. CSV for built-in algorithms must be all numbers, with no header row${this.labels ? ' and the label in the first column' : ''}.`,
    );
  }
}

function countColumns(text: string, start: number, end: number): number {
  let columns = 1;
  for (let i = findComma(text, start, end); i < end; i = findComma(text, i + 1, end)) columns++;
  return columns;
}

/**
 * The next comma in `text[from, end)`, or `end`. A bounded scan: `indexOf` would run on past
 * the line through the rest of the chunk, which is quadratic for single-column files.
 */
function findComma(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && text.charCodeAt(i) !== 44) i++;
  return i;
}

/** Serializes rows as headerless CSV, one line per row, for inference responses. */
export function formatCsv(rows: Iterable<ArrayLike<number> | number>): string {
  let out = '';
  for (const row of rows) {
    if (typeof row === 'number') out += `${row}\n`;
    else out += `${Array.prototype.join.call(row, ',')}\n`;
  }
  return out;
}
