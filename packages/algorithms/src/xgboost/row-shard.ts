import { binRows } from './bin-matrix.js';
import { type GradientSpec, computeGradients } from './gradients.js';
import {
  type KernelRows,
  type LevelTables,
  addAllRows,
  buildRows,
  splitRows,
} from './histogram-kernel.js';
import { type EvalTransform, type MetricOrder, sumMetric } from './pointwise-metrics.js';
import { logisticPass } from './logistic-pass.js';
import type { FeatureCuts } from './quantile-cuts.js';
import type { ShardArrays, SplitOrder } from './shard-arrays.js';
import type { TreeArrays } from './tree-arrays.js';
import { type HistKernels, histKernels } from './wasm/hist-kernels.js';

/**
 * One thread's share of the training rows (`[from, to)`): it bins them, computes their
 * gradients, routes them down each level's splits while building node histograms (in
 * WebAssembly when the data lives in a WebAssembly memory), adds finished trees to their margins
 * and sums metrics over them. Every method is synchronous.
 */
export class RowShard {
  readonly #a: ShardArrays;
  readonly #from: number;
  readonly #n: number;
  readonly #slotLength: number;
  readonly #kernels: HistKernels | undefined;
  readonly #wasmTables: LevelTables;
  #jsTables: LevelTables = levelTables(new Int32Array(5 * 64), 64);
  #sampled = false;
  /** Every label of this shard is 0 or 1 (logloss then needs one log per row). */
  readonly #binaryLabels: boolean;

  constructor(arrays: ShardArrays, slots: number) {
    this.#a = arrays;
    this.#from = arrays.range.from;
    this.#n = arrays.range.to - arrays.range.from;
    this.#slotLength = 2 * slots;
    this.#kernels =
      arrays.memory && arrays.codeBytes === 2 ? histKernels(arrays.memory) : undefined;
    this.#wasmTables = levelTables(arrays.tables, arrays.tableSize);
    this.#binaryLabels = arrays.labels
      .subarray(this.#from, this.#from + this.#n)
      .every((y) => y === 0 || y === 1);
  }

  /** Bins this shard's rows of the raw training features. */
  bin(features: Float32Array, cuts: FeatureCuts): void {
    const { dim, codes } = this.#a;
    const from = this.#from;
    const part = features.subarray(from * dim, (from + this.#n) * dim);
    binRows({ features: part, cuts }, codes.subarray(from * dim, (from + this.#n) * dim), {
      rows: this.#n,
      stride: dim,
    });
  }

  /**
   * Computes the gradient pairs of this shard's rows; with `thresholds`, also sums the fused
   * training metrics into `sums` (see gradients.ts's FusedMetrics).
   */
  gradients(spec: GradientSpec, thresholds?: Float64Array): void {
    const a = this.#a;
    const rows = { from: this.#from, count: this.#n, binaryLabels: this.#binaryLabels };
    if (this.#kernels && logisticPass(this.#kernels, a, { spec, thresholds, rows })) return;
    const arrays = {
      margins: a.margins,
      labels: a.labels,
      weights: a.weights,
      gradients: a.gradients,
    };
    const fused = thresholds && { thresholds, out: a.sums };
    computeGradients(spec, arrays, { from: this.#from, to: this.#from + this.#n, fused });
  }

  /** Starts a tree: every row, or a seeded sample of rows, in the root (histogram to slot 0). */
  startTree(group: number, sample: { ratio: number; seed: number }): void {
    const a = this.#a;
    const from = this.#from;
    a.nodeOf.fill(0, from, from + this.#n);
    this.#sampled = sample.ratio < 1;
    if (this.#sampled) {
      const limit = sample.ratio * 4294967296;
      for (let r = from; r < from + this.#n; r++) a.sample[r] = +(rowHash(sample.seed, r) < limit);
    }
    a.hist.fill(0, 0, this.#slotLength);
    const k = this.#kernels;
    if (k) {
      const at = a.layout;
      const ghStride = 8 * a.groups;
      k.addAll(
        at.codes + 2 * from * a.dim,
        a.dim,
        at.gradients + from * ghStride + 8 * group,
        ghStride,
        this.#n,
        this.#sampled ? at.sample + from : 0,
        a.histAt,
      );
    } else {
      const run = { count: this.#n, group, sample: this.#sampled ? this.#sampleView() : undefined };
      addAllRows(this.#kernelRows(), run, a.hist);
    }
  }

  /** Routes the rows of split nodes to their children and builds `builds[i]` into slot `i`. */
  split(orders: readonly SplitOrder[], builds: ArrayLike<number>, group: number): void {
    // Nothing to build (the tree's last level): rows stay in the split nodes, and finishTree
    // walks them the rest of the way, saving a pass.
    if (builds.length === 0) return;
    let size = 1;
    for (const o of orders) size = Math.max(size, o.node + 1, o.right + 1);
    for (let i = 0; i < builds.length; i++) size = Math.max(size, builds[i]! + 1);
    const wasm = this.#kernels !== undefined && size <= this.#a.tableSize && orders.length > 0;
    if (!wasm && this.#jsTables.feature.length < size)
      this.#jsTables = levelTables(new Int32Array(10 * size), 2 * size);
    const t = wasm ? this.#wasmTables : this.#jsTables;
    resetTables(t, size);
    for (const o of orders) {
      if (o.left !== o.right - 1) throw new Error('split children must have consecutive ids');
      t.feature[o.node] = o.feature;
      t.last[o.node] = o.last;
      t.missingLeft[o.node] = o.missingLeft;
      t.right[o.node] = o.right;
    }
    for (let i = 0; i < builds.length; i++) t.slot[builds[i]!] = i;
    const a = this.#a;
    a.hist.fill(0, 0, builds.length * this.#slotLength);
    if (wasm) return this.#splitWasm(group);
    const from = this.#from;
    const state = {
      nodeOf: a.nodeOf.subarray(from, from + this.#n),
      count: this.#n,
      group,
      sample: this.#sampled ? this.#sampleView() : undefined,
      list: a.list.subarray(from, from + this.#n),
      slots: a.slots.subarray(from, from + this.#n),
      tables: t,
    };
    const out = { hist: a.hist, slotLength: this.#slotLength };
    // A level built in several chunks routes its rows with the first chunk only.
    if (orders.length > 0) splitRows(this.#kernelRows(), state, out);
    else buildRows(this.#kernelRows(), state, out);
  }

  /**
   * Adds a finished tree's leaf values to group `group`'s margins: by each row's leaf for the
   * training rows, by walking the tree's float conditions for the validation rows.
   */
  finishTree(tree: TreeArrays, group: number): void {
    const { groups, margins, nodeOf, codes, dim } = this.#a;
    const { value, left, right, feature, last, missingLeft } = tree;
    const from = this.#from;
    for (let r = from, at = from * groups + group; r < from + this.#n; r++, at += groups) {
      let n = nodeOf[r]!;
      // Rows of nodes split without routing (no histogram needed) finish their walk here.
      while (left[n]! !== -1) {
        const code = codes[r * dim + feature[n]!]!;
        n = right[n]! - (+(code <= last[n]!) | +(code === missingLeft[n]!));
      }
      margins[at] = margins[at]! + value[n]!;
    }
    const v = this.#a.validation;
    if (!v) return;
    for (let r = this.#a.range.validFrom; r < this.#a.range.validTo; r++) {
      let n = 0;
      while (tree.left[n]! !== -1) {
        const x = v.features[r * dim + tree.feature[n]!]!;
        const left = x !== x ? tree.defaultLeft[n] === 1 : x < tree.value[n]!;
        n = left ? tree.left[n]! : tree.right[n]!;
      }
      const at = r * groups + group;
      v.margins[at] = v.margins[at]! + tree.value[n]!;
    }
  }

  /**
   * Sums pointwise metrics over this shard's rows of the chosen channels: train at `sums[4i]`,
   * validation at `sums[4i + 2]` (loss, then weight).
   */
  metrics(
    orders: readonly MetricOrder[],
    transform: EvalTransform,
    channels: { train: boolean },
  ): void {
    const a = this.#a;
    const { groups, validation: v, sums: out } = a;
    const { from, to, validFrom, validTo } = a.range;
    orders.forEach((order, i) => {
      if (channels.train) {
        out[4 * i] = out[4 * i + 1] = 0;
        sumMetric({ order, transform }, a, { from, to, out, at: 4 * i });
      }
      out[4 * i + 2] = out[4 * i + 3] = 0;
      if (v)
        sumMetric(
          { order, transform },
          { ...v, groups },
          { from: validFrom, to: validTo, out, at: 4 * i + 2 },
        );
    });
  }

  #splitWasm(group: number): void {
    const a = this.#a;
    const at = a.layout;
    const k = this.#kernels!;
    const from = this.#from;
    const ghStride = 8 * a.groups;
    const codes = at.codes + 2 * from * a.dim;
    const list = at.list + 4 * from;
    const slots = at.slots + 4 * from;
    const sample = this.#sampled ? at.sample + from : 0;
    const count = k.route(
      codes,
      a.dim,
      at.nodeOf + 4 * from,
      this.#n,
      a.tablesAt,
      4 * a.tableSize,
      list,
      slots,
      sample,
    );
    const gh = at.gradients + from * ghStride + 8 * group;
    k.addListed(codes, a.dim, gh, ghStride, list, slots, count, a.histAt, 8 * this.#slotLength);
  }

  #kernelRows(): KernelRows {
    const a = this.#a;
    const from = this.#from;
    return {
      codes: a.codes.subarray(from * a.dim, (from + this.#n) * a.dim),
      dim: a.dim,
      gh: a.gradients,
      ghStride: 2 * a.groups,
      from,
    };
  }

  #sampleView(): Uint8Array {
    return this.#a.sample.subarray(this.#from, this.#from + this.#n);
  }
}

/** Tables of `size` nodes over `ints` (five int32 arrays back to back). */
function levelTables(ints: Int32Array, size: number): LevelTables {
  return {
    feature: ints.subarray(0, size),
    last: ints.subarray(size, 2 * size),
    missingLeft: ints.subarray(2 * size, 3 * size),
    right: ints.subarray(3 * size, 4 * size),
    slot: ints.subarray(4 * size, 5 * size),
  };
}

/** Nodes `[0, size)` route to themselves and nothing is built. */
function resetTables(t: LevelTables, size: number): void {
  t.feature.fill(0, 0, size);
  t.last.fill(0x7fffffff, 0, size);
  t.missingLeft.fill(-1, 0, size);
  for (let n = 0; n < size; n++) t.right[n] = n + 1;
  t.slot.fill(-1, 0, size);
}

/** A uniform 32-bit hash of (seed, row): the same sample whatever the number of threads. */
export function rowHash(seed: number, row: number): number {
  let h = (Math.imul(row, 0x9e3779b1) + seed) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
