import type { BinCodes } from './bin-matrix.js';
import type { TrainingLayout } from './training-buffers.js';
import type { WasmMemory } from '../common/wasm/runtime.js';

/** One thread's views of the shared training data (see training-buffers.ts). */
export interface ShardArrays {
  rows: number;
  dim: number;
  /** Output groups: num_class for multi-class, else 1. */
  groups: number;
  codeBytes: 2 | 4;
  /** Bin codes of every row, `dim` per row. */
  codes: BinCodes;
  labels: Float32Array;
  weights?: Float32Array | undefined;
  /** `rows * groups` margins, row-major. */
  margins: Float32Array;
  /** Gradient pairs, row-major: group k of row r at `2 * (r * groups + k)`. */
  gradients: Float32Array;
  /** Each row's tree node, and scratch lists for one level. */
  nodeOf: Int32Array;
  list: Int32Array;
  slots: Int32Array;
  sample: Uint8Array;
  /** This thread's node histograms (`2 * slots` numbers each) and level tables. */
  hist: Float64Array;
  tables: Int32Array;
  tableSize: number;
  layout: TrainingLayout;
  histAt: number;
  tablesAt: number;
  scratchAt: number;
  /** The WebAssembly memory holding all of the above, when the kernels run in WebAssembly. */
  memory?: WasmMemory | undefined;
  range: ShardRange;
  validation?: ValidationArrays | undefined;
  /** Where this thread writes metric sums (loss, weight) per metric and channel. */
  sums: Float64Array;
}

/** The validation channel: raw features (trees are applied with their float conditions). */
export interface ValidationArrays {
  rows: number;
  features: Float32Array;
  labels: Float32Array;
  weights?: Float32Array | undefined;
  margins: Float32Array;
}

/** The rows a shard owns: training rows `[from, to)`, validation rows `[validFrom, validTo)`. */
export interface ShardRange {
  from: number;
  to: number;
  validFrom: number;
  validTo: number;
}

/** A split to apply: rows of `node` whose code is at most `last`, or is `missingLeft`, go left. */
export interface SplitOrder {
  node: number;
  feature: number;
  last: number;
  /** The feature's missing code when missing values go left, else -1. */
  missingLeft: number;
  left: number;
  right: number;
}
