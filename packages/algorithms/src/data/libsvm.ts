import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { type FeatureBatch, checkBatchSize } from './batch.js';
import { parseNumber, scanDecimal, scanned } from './csv-number.js';
import { DataFormatError } from './errors.js';

/**
 * A block of LIBSVM rows: dense features with NaN where a row names no value (xgboost treats
 * absent entries as missing, not zero), the labels, and the optional `label:weight` weights and
 * `qid:` query ids when the data has them.
 */
export interface LibsvmBatch extends FeatureBatch {
  labels: Float32Array;
  weights?: Float32Array;
  qids?: Float64Array;
}

/** Options for {@link readLibsvmBatches} and {@link parseLibsvmRows}. */
export interface LibsvmReadOptions {
  /** Row width; every feature index must be below it (see {@link scanLibsvmFeatureDim}). */
  featureDim: number;
  batchSize?: number;
  /** Named in errors, e.g. the file path or "The request body". */
  source?: string;
  /** Said after an index that is too large, e.g. "this model has num_feature=4". */
  widthReason?: string;
  /**
   * True (default) for training data: each line starts with `label[:weight]`. False for
   * inference requests, read as SageMaker's XGBoost server reads them: every `index:value`
   * token is a feature and a leading bare number (a label) is skipped.
   */
  labelled?: boolean;
}

// One parsed line, reused for every line: growable index/value buffers, no per-row objects.
const entry = {
  label: 0,
  weight: NaN,
  qid: NaN,
  count: 0,
  indices: new Int32Array(64),
  values: new Float32Array(64),
};

/**
 * Streams LIBSVM text (`label[:weight] [qid:n] index:value ...`, 0-based indices as xgboost
 * reads them by default, `#` comments and blank lines ignored) as dense row-major batches.
 */
export async function* readLibsvmBatches(
  input: string | Readable | AsyncIterable<string | Uint8Array>,
  options: LibsvmReadOptions,
): AsyncGenerator<LibsvmBatch> {
  const source = options.source ?? (typeof input === 'string' ? input : 'LIBSVM data');
  const batcher = new LibsvmBatcher({ ...options, source });
  for await (const text of lines(input)) yield* batcher.push(text);
  yield* batcher.finish();
}

/** The feature count a LIBSVM stream needs: its largest index + 1 (0 when it has no entries). */
export async function scanLibsvmFeatureDim(
  input: string | Readable | AsyncIterable<string | Uint8Array>,
  source?: string,
): Promise<number> {
  const where = source ?? (typeof input === 'string' ? input : 'LIBSVM data');
  let dim = 0;
  let line = 0;
  for await (const text of lines(input)) {
    let start = 0;
    for (
      let nl = text.indexOf('\n');
      nl !== -1 || start < text.length;
      nl = text.indexOf('\n', start)
    ) {
      const end = nl === -1 ? text.length : nl;
      at.source = where;
      at.line = ++line;
      at.labelled = true;
      if (parseLine(text, start, end))
        for (let i = 0; i < entry.count; i++) dim = Math.max(dim, entry.indices[i]! + 1);
      start = end + 1;
    }
  }
  return dim;
}

/** Parses a whole LIBSVM text (an inference request) into one dense batch. */
export function parseLibsvmRows(text: string, options: LibsvmReadOptions): LibsvmBatch {
  const batcher = new LibsvmBatcher({
    ...options,
    source: options.source ?? 'LIBSVM data',
    batchSize: Number.MAX_SAFE_INTEGER,
    expectedRows: countLines(text),
  });
  const batches = [...batcher.push(text), ...batcher.finish()];
  if (batches.length === 0)
    return {
      features: new Float32Array(0),
      labels: new Float32Array(0),
      rows: 0,
      dim: options.featureDim,
    };
  return batches[0]!;
}

/** Yields complete lines (joined by `\n`, the last without one) from a text or byte stream. */
async function* lines(
  input: string | Readable | AsyncIterable<string | Uint8Array>,
): AsyncGenerator<string> {
  const stream = typeof input === 'string' ? createReadStream(input) : input;
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of stream as AsyncIterable<string | Uint8Array>) {
    const text = carry + (typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk)));
    const cut = text.lastIndexOf('\n');
    if (cut === -1) carry = text;
    else {
      yield text.slice(0, cut);
      carry = text.slice(cut + 1);
    }
  }
  carry += decoder.end();
  if (carry.length > 0) yield carry;
}

interface BatcherOptions extends LibsvmReadOptions {
  source: string;
  expectedRows?: number;
}

class LibsvmBatcher {
  private readonly dim: number;
  private readonly batchSize: number;
  private line = 0;
  private rows = 0;
  private capacity = 0;
  private features = new Float32Array(0);
  private labels = new Float32Array(0);
  private weights: Float32Array | undefined;
  private qids: Float64Array | undefined;
  private hasWeights: boolean | undefined;
  private hasQids: boolean | undefined;

  constructor(private readonly options: BatcherOptions) {
    this.dim = options.featureDim;
    if (!Number.isInteger(this.dim) || this.dim < 0)
      throw new RangeError(`featureDim must be a non-negative integer, got ${this.dim}`);
    this.batchSize = checkBatchSize(options.batchSize);
  }

  *push(text: string): Generator<LibsvmBatch> {
    let start = 0;
    for (
      let nl = text.indexOf('\n');
      nl !== -1 || start < text.length;
      nl = text.indexOf('\n', start)
    ) {
      const end = nl === -1 ? text.length : nl;
      this.parseRow(text, start, end);
      start = end + 1;
      if (this.rows === this.batchSize) yield this.take();
    }
  }

  *finish(): Generator<LibsvmBatch> {
    if (this.rows > 0) yield this.take();
  }

  private parseRow(text: string, start: number, end: number): void {
    at.source = this.options.source;
    at.line = ++this.line;
    at.labelled = this.options.labelled ?? true;
    if (!parseLine(text, start, end)) return;
    this.checkOptional();
    if (this.rows === 0) this.allocate();
    const base = this.rows * this.dim;
    for (let i = 0; i < entry.count; i++) {
      const index = entry.indices[i]!;
      if (index >= this.dim) {
        const reason = this.options.widthReason ?? `the data has ${this.dim} features`;
        fail(
          `feature index ${index} is out of range; indices are 0-based and must be below ${this.dim} (${reason}).`,
        );
      }
      this.features[base + index] = entry.values[i]!;
    }
    this.labels[this.rows] = entry.label;
    if (this.weights) this.weights[this.rows] = entry.weight;
    if (this.qids) this.qids[this.rows] = entry.qid;
    this.rows++;
  }

  /** Weights and query ids must be on every line or none, as xgboost needs them per row. */
  private checkOptional(): void {
    const weighted = !Number.isNaN(entry.weight);
    const grouped = !Number.isNaN(entry.qid);
    this.hasWeights ??= weighted;
    this.hasQids ??= grouped;
    if (weighted !== this.hasWeights)
      fail(
        `${weighted ? 'has' : 'lacks'} a label:weight instance weight; give a weight on every line or on none.`,
      );
    if (grouped !== this.hasQids)
      fail(`${grouped ? 'has' : 'lacks'} a qid:<query id>; give a qid on every line or on none.`);
  }

  private allocate(): void {
    this.capacity = Math.min(this.batchSize, this.options.expectedRows ?? this.batchSize);
    this.features = new Float32Array(this.capacity * this.dim).fill(NaN);
    this.labels = new Float32Array(this.capacity);
    this.weights = this.hasWeights ? new Float32Array(this.capacity) : undefined;
    this.qids = this.hasQids ? new Float64Array(this.capacity) : undefined;
  }

  private take(): LibsvmBatch {
    const n = this.rows;
    const batch: LibsvmBatch = {
      features: this.features.subarray(0, n * this.dim),
      labels: this.labels.subarray(0, n),
      rows: n,
      dim: this.dim,
    };
    if (this.weights) batch.weights = this.weights.subarray(0, n);
    if (this.qids) batch.qids = this.qids.subarray(0, n);
    this.rows = 0;
    return batch;
  }
}

function countLines(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Where the line being parsed is, for error messages (built only when one is thrown). */
const at = { source: '', line: 0, labelled: true };

function fail(message: string): never {
  throw new DataFormatError(`${at.source}, line ${at.line}: ${message}`);
}

/**
 * Parses `text[start, end)`, line `at.line` of `at.source`, into {@link entry}; false for a
 * blank or comment-only line. Throws a DataFormatError naming the line for anything that is
 * not LIBSVM.
 */
function parseLine(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++)
    if (text.charCodeAt(i) === 35) {
      end = i; // '#' starts a comment
      break;
    }
  let i = skipSpace(text, start, end);
  if (i === end) return false;
  let stop = tokenEnd(text, i, end);
  const colon = findColon(text, i, stop);
  entry.qid = NaN;
  entry.count = 0;
  if (!at.labelled) {
    // Inference: as SageMaker's XGBoost server, every index:value token is a feature and a
    // leading bare number (a label) is skipped.
    entry.label = 0;
    entry.weight = NaN;
    if (colon !== stop) stop = i;
  } else {
    entry.label =
      number(text, i, colon) ?? fail(`label '${text.slice(i, colon)}' is not a number.`);
    entry.weight =
      colon === stop
        ? NaN
        : (number(text, colon + 1, stop) ??
          fail(`instance weight '${text.slice(colon + 1, stop)}' is not a number.`));
  }
  for (i = skipSpace(text, stop, end); i < end; i = skipSpace(text, stop, end)) {
    stop = tokenEnd(text, i, end);
    const sep = findColon(text, i, stop);
    if (sep === stop)
      fail(
        `'${text.slice(i, stop)}' is not an index:value pair. LIBSVM lines are 'label index:value index:value ...'.`,
      );
    const value =
      number(text, sep + 1, stop) ?? fail(`value '${text.slice(sep + 1, stop)}' is not a number.`);
    if (sep - i === 3 && text.startsWith('qid', i)) entry.qid = value;
    else addEntry(featureIndex(text, i, sep), value);
  }
  return true;
}

function addEntry(index: number, value: number): void {
  if (entry.count === entry.indices.length) {
    const indices = new Int32Array(entry.count * 2);
    const values = new Float32Array(entry.count * 2);
    indices.set(entry.indices);
    values.set(entry.values);
    entry.indices = indices;
    entry.values = values;
  }
  entry.indices[entry.count] = index;
  entry.values[entry.count] = value;
  entry.count++;
}

function featureIndex(text: string, start: number, end: number): number {
  let value = 0;
  let valid = end > start && end - start <= 10;
  for (let i = start; valid && i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    valid = digit >= 0 && digit <= 9;
    value = value * 10 + digit;
  }
  if (!valid || value > 0x7fffffff)
    fail(`feature index '${text.slice(start, end)}' is not a non-negative integer.`);
  return value;
}

function number(text: string, start: number, end: number): number | undefined {
  const fast = scanDecimal(text, start, end);
  if (scanned.stop === end && !Number.isNaN(fast)) return fast;
  return parseNumber(text, start, end);
}

function skipSpace(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) break;
    i++;
  }
  return i;
}

function tokenEnd(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) break;
    i++;
  }
  return i;
}

function findColon(text: string, i: number, end: number): number {
  while (i < end && text.charCodeAt(i) !== 58) i++;
  return i;
}
