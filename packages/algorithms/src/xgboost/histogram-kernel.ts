import type { BinCodes } from './bin-matrix.js';

/** A shard's rows: bin codes (`dim` per row, shard-local) and gradient pairs (shared). */
export interface KernelRows {
  codes: BinCodes;
  dim: number;
  /** Gradient pairs of every row, `ghStride` numbers per row (2 per output group). */
  gh: Float32Array;
  ghStride: number;
  /** The shard's first row: local code row `p` is row `from + p`. */
  from: number;
}

/**
 * Adds row `p`'s gradient pair into the histogram at `hist[base ..]`: for every feature, the
 * pair lands at the row's bin code. Unrolled by four to keep independent adds in flight.
 */
// eslint-disable-next-line max-params -- the per-row body of every kernel loop; no object per row
function addRow(rows: KernelRows, p: number, at: number, hist: Float64Array, base: number): void {
  const { codes, dim, gh } = rows;
  const g = gh[at]!;
  const h = gh[at + 1]!;
  const row = p * dim;
  const whole = dim & ~3;
  let f = 0;
  for (; f < whole; f += 4) {
    const s0 = base + codes[row + f]!;
    const s1 = base + codes[row + f + 1]!;
    const s2 = base + codes[row + f + 2]!;
    const s3 = base + codes[row + f + 3]!;
    hist[s0] = hist[s0]! + g;
    hist[s0 + 1] = hist[s0 + 1]! + h;
    hist[s1] = hist[s1]! + g;
    hist[s1 + 1] = hist[s1 + 1]! + h;
    hist[s2] = hist[s2]! + g;
    hist[s2 + 1] = hist[s2 + 1]! + h;
    hist[s3] = hist[s3]! + g;
    hist[s3 + 1] = hist[s3 + 1]! + h;
  }
  for (; f < dim; f++) {
    const s = base + codes[row + f]!;
    hist[s] = hist[s]! + g;
    hist[s + 1] = hist[s + 1]! + h;
  }
}

/** Adds every sampled row (`sample[p] = 1`, or all rows) into the histogram at `hist[0 ..]`. */
export function addAllRows(
  rows: KernelRows,
  run: { count: number; group: number; sample?: Uint8Array | undefined },
  hist: Float64Array,
): void {
  const { ghStride, from } = rows;
  const sample = run.sample;
  for (let p = 0; p < run.count; p++) {
    if (sample && sample[p] === 0) continue;
    addRow(rows, p, (from + p) * ghStride + 2 * run.group, hist, 0);
  }
}

/**
 * The splits of one level, by node id. Every node routes its rows: a row goes to
 * `right[n] - 1` when its code at `feature[n]` is at most `last[n]` or equals `missingLeft[n]`,
 * else to `right[n]` (a split's children are consecutive ids). A node that is not split now
 * routes to itself (`last` above every code, `right[n] = n + 1`). `slot[c] >= 0` when child
 * `c`'s histogram is built into that slot.
 */
export interface LevelTables {
  feature: Int32Array;
  last: Int32Array;
  missingLeft: Int32Array;
  right: Int32Array;
  slot: Int32Array;
}

/** Routing state: each row's node, the rows to route, and the sample (undefined: all rows). */
export interface RouteState {
  /** The level's splits (routing) or just its slots (a chunk that only builds). */
  tables: LevelTables;
  nodeOf: Int32Array;
  count: number;
  group: number;
  sample?: Uint8Array | undefined;
  /** Scratch: the rows to add to histograms and their slots. */
  list: Int32Array;
  slots: Int32Array;
}

/**
 * One level in two streaming passes over a shard's rows: route every row to its child and
 * list the rows of built children (branch-free: which side a row takes is unpredictable), then
 * add the listed rows to their children's histograms.
 */
export function splitRows(
  rows: KernelRows,
  state: RouteState,
  out: { hist: Float64Array; slotLength: number },
): void {
  const { codes, dim } = rows;
  const { nodeOf, sample, list, slots } = state;
  const { feature, last, missingLeft, right, slot } = state.tables;
  let k = 0;
  for (let p = 0; p < state.count; p++) {
    const n = nodeOf[p]!;
    const code = codes[p * dim + feature[n]!]!;
    const child = right[n]! - (+(code <= last[n]!) | +(code === missingLeft[n]!));
    nodeOf[p] = child;
    const s = slot[child]!;
    list[k] = p;
    slots[k] = s;
    k += sample ? +(s >= 0) & sample[p]! : +(s >= 0);
  }
  addListed(rows, { list, slots, count: k, group: state.group }, out);
}

/** Adds the rows of the nodes with a slot (`slot[node] >= 0`) to their histograms, routing none. */
export function buildRows(
  rows: KernelRows,
  state: RouteState,
  out: { hist: Float64Array; slotLength: number },
): void {
  const { nodeOf, sample, list, slots } = state;
  const slot = state.tables.slot;
  let k = 0;
  for (let p = 0; p < state.count; p++) {
    const s = slot[nodeOf[p]!]!;
    list[k] = p;
    slots[k] = s;
    k += sample ? +(s >= 0) & sample[p]! : +(s >= 0);
  }
  addListed(rows, { list, slots, count: k, group: state.group }, out);
}

function addListed(
  rows: KernelRows,
  listed: { list: Int32Array; slots: Int32Array; count: number; group: number },
  out: { hist: Float64Array; slotLength: number },
): void {
  const { ghStride, from } = rows;
  const { list, slots, count } = listed;
  const ghBase = from * ghStride + 2 * listed.group;
  for (let i = 0; i < count; i++) {
    const p = list[i]!;
    addRow(rows, p, ghBase + p * ghStride, out.hist, slots[i]! * out.slotLength);
  }
}
