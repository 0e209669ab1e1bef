import { type HistogramLayout, binCode } from './bin-matrix.js';
import { type TreeArrays, createTreeArrays } from './tree-arrays.js';

/** What a split adds to a tree (xgboost's `RegTree::ExpandNode` arguments). */
export interface NodeSplit {
  feature: number;
  /** The last bin that goes left (-1: only missing values go left). */
  bin: number;
  /** `x < condition` goes left. */
  condition: number;
  defaultLeft: boolean;
  lossChg: number;
  /** The node's unscaled weight (xgboost's `base_weight` of a split). */
  baseWeight: number;
  /** The children's leaf values (scaled by eta) and hessian sums. */
  leftValue: number;
  rightValue: number;
  leftHess: number;
  rightHess: number;
}

/**
 * A regression tree as it grows, node ids allocated in expansion order as xgboost allocates
 * them (a split's children get the next two ids), with the statistics xgboost's JSON keeps.
 */
export class GrownTree {
  readonly left: number[] = [];
  readonly right: number[] = [];
  readonly parent: number[] = [];
  readonly feature: number[] = [];
  readonly bin: number[] = [];
  readonly defaultLeft: boolean[] = [];
  /** Split condition of a split, leaf value of a leaf (float32). */
  readonly value: number[] = [];
  readonly baseWeight: number[] = [];
  readonly lossChg: number[] = [];
  readonly sumHess: number[] = [];

  /** A tree of one leaf: the root, with its unscaled weight and its leaf value. */
  constructor(root: { weight: number; value: number; hess: number }) {
    // xgboost keeps the unscaled weight as the root's base_weight even while it is a leaf.
    this.#add(-1, root);
  }

  get size(): number {
    return this.left.length;
  }

  /** Turns leaf `node` into a split with two new leaves; returns their ids. */
  expand(node: number, split: NodeSplit): { left: number; right: number } {
    const left = this.#add(node, {
      hess: split.leftHess,
      weight: split.leftValue,
      value: split.leftValue,
    });
    const right = this.#add(node, {
      hess: split.rightHess,
      weight: split.rightValue,
      value: split.rightValue,
    });
    this.left[node] = left;
    this.right[node] = right;
    this.feature[node] = split.feature;
    this.bin[node] = split.bin;
    this.defaultLeft[node] = split.defaultLeft;
    this.value[node] = Math.fround(split.condition);
    this.baseWeight[node] = Math.fround(split.baseWeight);
    this.lossChg[node] = Math.fround(split.lossChg);
    return { left, right };
  }

  /** The flat arrays threads apply the tree with. */
  toArrays(layout: HistogramLayout): TreeArrays {
    const t = createTreeArrays(this.size);
    for (let n = 0; n < this.size; n++) {
      const f = this.feature[n]!;
      t.left[n] = this.left[n]!;
      t.right[n] = this.right[n]!;
      t.feature[n] = Math.max(f, 0);
      t.value[n] = this.value[n]!;
      t.defaultLeft[n] = this.defaultLeft[n] ? 1 : 0;
      if (this.left[n] === -1) continue;
      t.last[n] = binCode(layout, f, this.bin[n]!);
      t.missingLeft[n] = this.defaultLeft[n] ? binCode(layout, f, layout.count[f]!) : -1;
    }
    return t;
  }

  #add(parent: number, stats: { hess: number; weight: number; value: number }): number {
    const { hess, weight, value } = stats;
    this.left.push(-1);
    this.right.push(-1);
    this.parent.push(parent);
    this.feature.push(-1);
    this.bin.push(-1);
    this.defaultLeft.push(false);
    this.value.push(Math.fround(value));
    this.baseWeight.push(Math.fround(weight));
    this.lossChg.push(0);
    this.sumHess.push(Math.fround(hess));
    return this.left.length - 1;
  }
}
