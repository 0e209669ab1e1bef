import type { Random } from '../common/random.js';

/** The colsample_* ratios. */
export interface ColumnRatios {
  bytree: number;
  bylevel: number;
  bynode: number;
}

/**
 * xgboost's `ColumnSampler`: a random subset of features per tree, a subset of that per depth,
 * and a subset of that per node, each `max(1, floor(ratio * n))` features drawn without
 * replacement from the seeded generator and kept in ascending order.
 */
export class ColumnSampler {
  readonly #all: Int32Array;
  readonly #ratios: ColumnRatios;
  readonly #random: Random;
  #tree: Int32Array;
  #levels: Int32Array[] = [];

  constructor(dim: number, ratios: ColumnRatios, random: Random) {
    this.#all = Int32Array.from({ length: dim }, (_, f) => f);
    this.#ratios = ratios;
    this.#random = random;
    this.#tree = this.#all;
  }

  /** Draws the tree's features; call before each tree. */
  startTree(): void {
    this.#tree = this.#sample(this.#all, this.#ratios.bytree);
    this.#levels = [];
  }

  /** The features a node at `depth` may split on. */
  forNode(depth: number): Int32Array {
    let level = this.#levels[depth];
    if (!level) this.#levels[depth] = level = this.#sample(this.#tree, this.#ratios.bylevel);
    return this.#sample(level, this.#ratios.bynode);
  }

  #sample(from: Int32Array, ratio: number): Int32Array {
    if (ratio >= 1) return from;
    const n = Math.max(1, Math.floor(ratio * from.length));
    const pool = Int32Array.from(from);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.#random() * (pool.length - i));
      const t = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = t;
    }
    return pool.subarray(0, n).sort();
  }
}
