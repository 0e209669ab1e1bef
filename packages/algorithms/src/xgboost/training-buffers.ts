import type { BinCodes } from './bin-matrix.js';
import type { ShardArrays, ShardRange } from './shard-arrays.js';
import { type WasmMemory, sharedMemory } from '../common/wasm/runtime.js';

/** Byte offsets of the per-row arrays and each thread's histograms in the shared memory. */
export interface TrainingLayout {
  codes: number;
  labels: number;
  /** -1 without instance weights. */
  weights: number;
  margins: number;
  gradients: number;
  nodeOf: number;
  list: number;
  slots: number;
  sample: number;
  /** Per thread: its node histograms (`capacity` of them) and its level tables. */
  hists: number[];
  tables: number[];
  /** Per thread: the WebAssembly kernels' parameters and sums. */
  scratch: number[];
  bytes: number;
}

/** The training data in one shared memory, as handed to worker threads. */
export interface SharedTraining {
  rows: number;
  dim: number;
  groups: number;
  /** Bytes per bin code (2 or 4). */
  codeBytes: 2 | 4;
  /** Histogram slots per node and node histograms per thread and order. */
  slots: number;
  capacity: number;
  /** Nodes the level tables hold (larger trees use the JavaScript kernels). */
  tableSize: number;
  /** A WebAssembly memory when the data fits one (the kernels then run in WebAssembly). */
  memory: WasmMemory | SharedArrayBuffer;
  layout: TrainingLayout;
  /** Each thread's metric sums (4 numbers per metric). */
  sums: SharedArrayBuffer[];
  validation?:
    | {
        rows: number;
        features: SharedArrayBuffer;
        labels: SharedArrayBuffer;
        weights?: SharedArrayBuffer | undefined;
        margins: SharedArrayBuffer;
      }
    | undefined;
}

/** Metric sums per thread: 4 numbers (train and validation loss and weight) per metric. */
export const MAX_METRICS = 64;
/** WebAssembly memories stay below this (wasm32 addresses 4 GiB; keep a margin). */
const WASM_LIMIT = 3.5 * 2 ** 30;

/** What to allocate: the data's shape and the threads' histogram space. */
export interface TrainingShape {
  rows: number;
  dim: number;
  groups: number;
  codeBytes: 2 | 4;
  weighted: boolean;
  slots: number;
  capacity: number;
  tableSize: number;
  threads: number;
  /** false: plain shared memory and the JavaScript kernels (default: WebAssembly when it fits). */
  wasm?: boolean;
}

/** Lays out and allocates the shared memory for a training job. */
export function allocateTraining(shape: TrainingShape): Omit<SharedTraining, 'validation'> {
  let bytes = 0;
  const take = (size: number): number => {
    const at = bytes;
    bytes += Math.ceil(size / 16) * 16;
    return at;
  };
  const { rows, dim, groups, threads } = shape;
  const layout: TrainingLayout = {
    codes: take(rows * dim * shape.codeBytes),
    labels: take(4 * rows),
    weights: shape.weighted ? take(4 * rows) : -1,
    margins: take(4 * rows * groups),
    gradients: take(8 * rows * groups),
    nodeOf: take(4 * rows),
    list: take(4 * rows),
    slots: take(4 * rows),
    sample: take(rows),
    hists: Array.from({ length: threads }, () => take(16 * shape.slots * shape.capacity)),
    tables: Array.from({ length: threads }, () => take(4 * 5 * shape.tableSize)),
    scratch: Array.from({ length: threads }, () => take(64)),
    bytes: 0,
  };
  layout.bytes = bytes;
  const wasm = shape.wasm !== false && shape.codeBytes === 2 && bytes < WASM_LIMIT;
  const memory = wasm ? sharedMemory(bytes) : new SharedArrayBuffer(bytes);
  return {
    ...shape,
    memory,
    layout,
    sums: Array.from({ length: threads }, () => new SharedArrayBuffer(32 * MAX_METRICS)),
  };
}

/** The shared memory's buffer, whichever kind it is. */
export function bufferOf(t: { memory: WasmMemory | SharedArrayBuffer }): SharedArrayBuffer {
  return t.memory instanceof SharedArrayBuffer ? t.memory : t.memory.buffer;
}

/** Views of the per-row arrays over all rows. */
export function rowViews(t: Omit<SharedTraining, 'validation'>): {
  labels: Float32Array;
  weights?: Float32Array | undefined;
  margins: Float32Array;
  gradients: Float32Array;
} {
  const buffer = bufferOf(t);
  const { layout: at, rows, groups } = t;
  return {
    labels: new Float32Array(buffer, at.labels, rows),
    weights: at.weights >= 0 ? new Float32Array(buffer, at.weights, rows) : undefined,
    margins: new Float32Array(buffer, at.margins, rows * groups),
    gradients: new Float32Array(buffer, at.gradients, 2 * rows * groups),
  };
}

/** A Float32Array in new shared memory holding `values` (or `length` zeros). */
export function sharedFloats(values: Float32Array | number): Float32Array {
  const length = typeof values === 'number' ? values : values.length;
  const out = new Float32Array(new SharedArrayBuffer(4 * length));
  if (typeof values !== 'number') out.set(values);
  return out;
}

const f32 = (b: SharedArrayBuffer | undefined): Float32Array | undefined =>
  b ? new Float32Array(b) : undefined;

/** Thread `index`'s views of the shared data (it works on `range`'s rows). */
export function shardArrays(t: SharedTraining, index: number, range: ShardRange): ShardArrays {
  const buffer = bufferOf(t);
  const { layout: at, rows, dim } = t;
  const v = t.validation;
  const codes: BinCodes =
    t.codeBytes === 2
      ? new Uint16Array(buffer, at.codes, rows * dim)
      : new Uint32Array(buffer, at.codes, rows * dim);
  return {
    ...rowViews(t),
    rows,
    dim,
    groups: t.groups,
    codeBytes: t.codeBytes,
    codes,
    nodeOf: new Int32Array(buffer, at.nodeOf, rows),
    list: new Int32Array(buffer, at.list, rows),
    slots: new Int32Array(buffer, at.slots, rows),
    sample: new Uint8Array(buffer, at.sample, rows),
    hist: new Float64Array(buffer, at.hists[index], 2 * t.slots * t.capacity),
    tables: new Int32Array(buffer, at.tables[index], 5 * t.tableSize),
    tableSize: t.tableSize,
    layout: at,
    histAt: at.hists[index]!,
    tablesAt: at.tables[index]!,
    scratchAt: at.scratch[index]!,
    memory: t.memory instanceof SharedArrayBuffer ? undefined : t.memory,
    range,
    validation: v && {
      rows: v.rows,
      features: new Float32Array(v.features),
      labels: new Float32Array(v.labels),
      weights: f32(v.weights),
      margins: new Float32Array(v.margins),
    },
    sums: new Float64Array(t.sums[index]!),
  };
}
