import type { HistogramLayout } from './bin-matrix.js';
import type { ColumnSampler } from './column-sampler.js';
import { GrownTree } from './grown-tree.js';
import type { FeatureCuts } from './quantile-cuts.js';
import type { SplitOrder } from './shard-arrays.js';
import { SplitCandidate, findBestSplit, splitCondition } from './split-finder.js';
import { type SplitParams, calcGain, calcWeight } from './split-math.js';

/** Where node histograms come from: the row shards (see shard-pool.ts). */
export interface HistogramSource {
  startTree(group: number, sample: { ratio: number; seed: number }, out: Float64Array): void;
  split(
    group: number,
    level: { splits: readonly SplitOrder[]; builds: number[] },
    outs: Float64Array[],
  ): void;
}

/** The tree-growing parameters (xgboost's TrainParam). */
export interface GrowParams extends SplitParams {
  /** Learning rate per tree (eta / num_parallel_tree). */
  eta: number;
  /** gamma (min_split_loss). */
  gamma: number;
  maxDepth: number;
  maxLeaves: number;
  growPolicy: 'depthwise' | 'lossguide';
}

/** A leaf that may be split: its histogram, statistics and best split. */
interface Entry {
  node: number;
  depth: number;
  hist: Float64Array;
  g: number;
  h: number;
  gain: number;
  best: SplitCandidate;
}

const RT_EPS = 1e-6;

/**
 * Grows one tree as xgboost's `hist` updater does: the root histogram from every (sampled)
 * row, then, level by level (depthwise) or best loss change first (lossguide), splits the leaves
 * whose best split is valid, builds the smaller child's histogram from its rows and takes the
 * sibling's as the parent's minus it.
 */
export class TreeGrower {
  readonly #source: HistogramSource;
  readonly #layout: HistogramLayout;
  readonly #cuts: FeatureCuts;
  readonly #p: GrowParams;
  readonly #columns: ColumnSampler;
  readonly #free: Float64Array[] = [];

  constructor(options: {
    source: HistogramSource;
    layout: HistogramLayout;
    cuts: FeatureCuts;
    params: GrowParams;
    columns: ColumnSampler;
  }) {
    this.#source = options.source;
    this.#layout = options.layout;
    this.#cuts = options.cuts;
    this.#p = options.params;
    this.#columns = options.columns;
  }

  grow(group: number, sample: { ratio: number; seed: number }): GrownTree {
    const p = this.#p;
    this.#columns.startTree();
    const hist = this.#take();
    this.#source.startTree(group, sample, hist);
    const { g, h } = totals(hist, this.#layout);
    const weight = calcWeight(p, g, h);
    const tree = new GrownTree({ weight, value: this.#leaf(weight), hess: h });
    let queue: Entry[] = [this.#evaluate({ node: 0, depth: 0, hist, g, h }, g, h)];
    let leaves = 1;
    while (queue.length > 0) {
      const batch: Entry[] = [];
      if (p.growPolicy === 'depthwise') {
        const depth = queue[0]!.depth;
        while (
          queue.length > 0 &&
          queue[0]!.depth === depth &&
          (p.maxLeaves === 0 || leaves < p.maxLeaves)
        ) {
          const e = queue.shift()!;
          if (this.#valid(e, leaves)) {
            leaves++;
            batch.push(e);
          } else this.#free.push(e.hist);
        }
      } else {
        const e = queue.shift()!;
        if (this.#valid(e, leaves)) {
          leaves++;
          batch.push(e);
        } else this.#free.push(e.hist);
      }
      // Nothing valid at this depth (or max_leaves reached): the other leaves stay leaves.
      if (batch.length === 0) break;
      const children = this.#expand(tree, batch, { group, leaves });
      queue =
        p.growPolicy === 'depthwise'
          ? [...queue, ...children]
          : sortByLoss([...queue, ...children]);
    }
    for (const e of queue) this.#free.push(e.hist);
    return tree;
  }

  /** Splits a batch of leaves and returns their children that may be split further. */
  #expand(tree: GrownTree, batch: Entry[], at: { group: number; leaves: number }): Entry[] {
    const { group, leaves } = at;
    const p = this.#p;
    const orders: SplitOrder[] = [];
    const growing: { e: Entry; left: number; right: number; smallLeft: boolean }[] = [];
    for (const e of batch) {
      const b = e.best;
      const { left, right } = tree.expand(e.node, {
        feature: b.feature,
        bin: b.bin,
        condition: splitCondition(this.#cuts, b.feature, b.bin),
        defaultLeft: b.defaultLeft,
        lossChg: b.lossChg,
        baseWeight: calcWeight(p, e.g, e.h),
        leftValue: this.#leaf(calcWeight(p, b.leftG, b.leftH)),
        rightValue: this.#leaf(calcWeight(p, b.rightG, b.rightH)),
        leftHess: b.leftH,
        rightHess: b.rightH,
      });
      const layout = this.#layout;
      const first = 2 * layout.offset[b.feature]!;
      orders.push({
        node: e.node,
        feature: b.feature,
        last: first + 2 * b.bin,
        missingLeft: b.defaultLeft ? first + 2 * layout.count[b.feature]! : -1,
        left,
        right,
      });
      const childDepth = e.depth + 1;
      const childValid =
        (p.maxDepth === 0 || childDepth < p.maxDepth) &&
        (p.maxLeaves === 0 || leaves < p.maxLeaves);
      if (childValid) growing.push({ e, left, right, smallLeft: !(b.rightH < b.leftH) });
      else this.#free.push(e.hist);
    }
    const builds = growing.map((c) => (c.smallLeft ? c.left : c.right));
    const built = builds.map(() => this.#take());
    this.#source.split(group, { splits: orders, builds }, built);
    const children: Entry[] = [];
    growing.forEach((c, i) => {
      const small = built[i]!;
      const large = c.e.hist;
      for (let k = 0; k < large.length; k++) large[k] = large[k]! - small[k]!;
      const b = c.e.best;
      const depth = c.e.depth + 1;
      const [leftHist, rightHist] = c.smallLeft ? [small, large] : [large, small];
      children.push(
        this.#evaluate(
          { node: c.left, depth, hist: leftHist, g: b.leftG, h: b.leftH },
          b.leftG,
          b.leftH,
        ),
        this.#evaluate(
          { node: c.right, depth, hist: rightHist, g: b.rightG, h: b.rightH },
          b.rightG,
          b.rightH,
        ),
      );
    });
    return children;
  }

  #evaluate(e: Omit<Entry, 'gain' | 'best'>, g: number, h: number): Entry {
    const entry: Entry = { ...e, gain: calcGain(this.#p, g, h), best: new SplitCandidate() };
    const features = this.#columns.forNode(e.depth);
    findBestSplit(
      { hist: e.hist, layout: this.#layout, features, params: this.#p },
      entry,
      entry.best,
    );
    return entry;
  }

  /** xgboost's `ExpandEntry::IsValid`. */
  #valid(e: Entry, leaves: number): boolean {
    const p = this.#p;
    const b = e.best;
    if (b.feature < 0 || b.lossChg <= RT_EPS) return false;
    if (b.leftH === 0 || b.rightH === 0) return false;
    if (b.lossChg < p.gamma) return false;
    if (p.maxDepth > 0 && e.depth === p.maxDepth) return false;
    if (p.maxLeaves > 0 && leaves === p.maxLeaves) return false;
    return true;
  }

  #leaf(weight: number): number {
    return Math.fround(Math.fround(weight) * Math.fround(this.#p.eta));
  }

  #take(): Float64Array {
    return this.#free.pop() ?? new Float64Array(2 * this.#layout.slots);
  }
}

/** A node's gradient and hessian sums: every slot of its first feature, missing included. */
function totals(hist: Float64Array, layout: HistogramLayout): { g: number; h: number } {
  let g = 0;
  let h = 0;
  const start = 2 * layout.offset[0]!;
  for (let i = 0; i <= layout.count[0]!; i++) {
    g += hist[start + 2 * i]!;
    h += hist[start + 2 * i + 1]!;
  }
  return { g, h };
}

/** lossguide's order: larger loss change first, ties by lower node id (xgboost's `LossGuide`). */
function sortByLoss(entries: Entry[]): Entry[] {
  return entries.sort((a, b) => b.best.lossChg - a.best.lossChg || a.node - b.node);
}
