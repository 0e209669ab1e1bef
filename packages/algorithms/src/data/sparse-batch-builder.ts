import { DataFormatError } from './errors.js';
import type { SparseBatch } from './sparse-batch.js';
import type { TensorScratch } from './sparse-record-decode.js';

/** One record as the builder takes it (a `SparseRecordDecoder` after `decode` is one). */
export interface DecodedSparseRecord {
  readonly features: TensorScratch;
  readonly hasLabel: boolean;
  readonly label: number;
}

/** The widest row the builder takes: column indices are stored as Int32. */
export const MAX_FEATURES = 2 ** 31 - 1;

/** What {@link SparseBatchBuilder} checks of every row. */
export interface SparseRowRules {
  /** Every row must have this many features; when absent, the first row's count is enforced. */
  featureDim?: number;
  /** What fixed `featureDim`, for the mismatch message, e.g. `hyperparameter feature_dim=100`. */
  expected?: string;
  /** 1: every record must carry a label; 0: labels are ignored; absent: kept if the first has one. */
  labelSize?: 0 | 1;
}

/**
 * Collects decoded records as CSR rows (zeros dropped), growing its arrays as needed, and hands
 * them out as a {@link SparseBatch} with arrays of its own. Dense records (values only) and
 * sparse ones (keys, values and shape, as the SageMaker SDK's `write_spmatrix_to_sparse_tensor`
 * writes them) may be mixed as long as they have the same number of features.
 */
export class SparseBatchBuilder {
  #dim: number | undefined;
  #withLabels: boolean | undefined;
  readonly #expected: string | undefined;
  #offsets: Int32Array;
  #indices: Int32Array = new Int32Array(1024);
  #values: Float32Array = new Float32Array(1024);
  #labels: Float32Array;
  #rows = 0;
  #entries = 0;

  constructor(rules: SparseRowRules & { batchSize: number }) {
    this.#dim = rules.featureDim;
    this.#expected = rules.expected;
    this.#withLabels = rules.labelSize === undefined ? undefined : rules.labelSize === 1;
    this.#offsets = new Int32Array(rules.batchSize + 1);
    this.#labels = new Float32Array(rules.batchSize);
  }

  get rows(): number {
    return this.#rows;
  }

  /** Appends a decoded record as a row; throws DataFormatError naming the rule broken. */
  add(record: DecodedSparseRecord): void {
    const tensor = record.features;
    const size = featureCount(tensor);
    this.#dim ??= size;
    if (size !== this.#dim)
      throw new DataFormatError(
        this.#expected === undefined
          ? `has ${size} features but earlier records have ${this.#dim}; every record must have the same number.`
          : `has ${size} features, but ${this.#expected}; every record must have that many features.`,
      );
    this.#withLabels ??= record.hasLabel;
    if (this.#withLabels && !record.hasLabel)
      throw new DataFormatError(
        'has no label (label["values"]); this algorithm needs a label on every record.',
      );
    if (this.#rows + 1 >= this.#offsets.length) {
      this.#offsets = growInt(this.#offsets, this.#offsets.length * 2);
      const labels = new Float32Array(this.#labels.length * 2);
      labels.set(this.#labels);
      this.#labels = labels;
    }
    this.#append(tensor, size);
    if (this.#withLabels) this.#labels[this.#rows] = record.label;
    this.#rows++;
    this.#offsets[this.#rows] = this.#entries;
  }

  #append(tensor: TensorScratch, size: number): void {
    const { count, values, keys } = tensor;
    if (this.#entries + count > this.#indices.length) {
      const capacity = Math.max(this.#indices.length * 2, this.#entries + count);
      this.#indices = growInt(this.#indices, capacity);
      const bigger = new Float32Array(capacity);
      bigger.set(this.#values);
      this.#values = bigger;
    }
    const indices = this.#indices;
    const out = this.#values;
    let at = this.#entries;
    for (let j = 0; j < count; j++) {
      const value = values[j]!;
      if (!Number.isFinite(value))
        throw new DataFormatError(`has a feature value ${value}; feature values must be finite.`);
      if (value === 0) continue;
      const key = tensor.hasKeys ? keys[j]! : j;
      if (key >= size)
        throw new DataFormatError(
          `has the sparse key ${key}, outside its shape of ${size} features (keys count from 0).`,
        );
      indices[at] = key;
      out[at++] = value;
    }
    this.#entries = at;
  }

  /** The rows added since the last call, as a batch with arrays of its own; then starts afresh. */
  take(): SparseBatch {
    const rows = this.#rows;
    const batch: SparseBatch = {
      rows,
      dim: this.#dim ?? 0,
      offsets: this.#offsets.slice(0, rows + 1),
      indices: this.#indices.slice(0, this.#entries),
      values: this.#values.slice(0, this.#entries),
    };
    if (this.#withLabels) batch.labels = this.#labels.slice(0, rows);
    this.#rows = 0;
    this.#entries = 0;
    return batch;
  }
}

/** A record's feature count: the product of a sparse tensor's shape, or a dense one's length. */
function featureCount(tensor: TensorScratch): number {
  if (tensor.hasKeys) {
    if (!tensor.hasShape)
      throw new DataFormatError('has a sparse features tensor (keys) without a shape.');
    if (tensor.keyCount !== tensor.count)
      throw new DataFormatError(
        `has a sparse features tensor with ${tensor.keyCount} keys but ${tensor.count} values.`,
      );
    if (tensor.shapeSize > MAX_FEATURES)
      throw new DataFormatError(
        `has a shape of ${tensor.shapeSize} features; at most ${MAX_FEATURES} are supported.`,
      );
    return tensor.shapeSize;
  }
  // A sparse row with no entries has only its shape; a dense tensor may state its shape too.
  if (tensor.hasShape && tensor.count !== 0 && tensor.count !== tensor.shapeSize)
    throw new DataFormatError(
      `has ${tensor.count} feature values but its shape says ${tensor.shapeSize}.`,
    );
  return tensor.hasShape ? tensor.shapeSize : tensor.count;
}

function growInt(array: Int32Array, length: number): Int32Array {
  const bigger = new Int32Array(length);
  bigger.set(array);
  return bigger;
}
