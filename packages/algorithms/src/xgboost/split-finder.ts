import type { HistogramLayout } from './bin-matrix.js';
import type { FeatureCuts } from './quantile-cuts.js';
import { type SplitParams, calcGain } from './split-math.js';

/**
 * The best split of a node found so far (xgboost's `SplitEntry`): rows whose bin is at most
 * `bin` go left, missing values go left when `defaultLeft`. `bin = -1` sends only missing
 * values left. `feature = -1` until a split with positive loss change is found.
 */
export class SplitCandidate {
  lossChg = 0;
  feature = -1;
  bin = -1;
  defaultLeft = false;
  leftG = 0;
  leftH = 0;
  rightG = 0;
  rightH = 0;

  /** xgboost's `NeedReplace`: a larger gain wins; on a tie the lower feature index wins. */
  offer(loss: number, feature: number): boolean {
    if (!Number.isFinite(loss)) return false;
    const index = Math.max(this.feature, 0);
    return index <= feature ? loss > this.lossChg : !(this.lossChg > loss);
  }

  reset(): void {
    this.lossChg = 0;
    this.feature = -1;
    this.bin = -1;
    this.defaultLeft = false;
    this.leftG = this.leftH = this.rightG = this.rightH = 0;
  }
}

/** A node to split: its gradient and hessian sums and its own gain (`root_gain`). */
export interface NodeStats {
  g: number;
  h: number;
  gain: number;
}

/**
 * Finds the best split of a node from its histogram (layout `layout`) over the
 * allowed features, as xgboost's `HistEvaluator::EnumerateSplit`: a forward scan with missing
 * values on the right, and, when the node has missing values for the feature, a backward scan
 * with them on the left. The loss change is rounded to float32 as xgboost stores it.
 */
export function findBestSplit(
  input: {
    hist: Float64Array;
    layout: HistogramLayout;
    features: ArrayLike<number>;
    params: SplitParams;
  },
  node: NodeStats,
  best: SplitCandidate,
): void {
  const { hist, layout, features, params: p } = input;
  const mcw = p.minChildWeight;
  best.reset();
  for (let k = 0; k < features.length; k++) {
    const f = features[k]!;
    const start = 2 * layout.offset[f]!;
    const bins = layout.count[f]!;
    let lg = 0;
    let lh = 0;
    for (let i = 0; i < bins; i++) {
      lg += hist[start + 2 * i]!;
      lh += hist[start + 2 * i + 1]!;
      const rg = node.g - lg;
      const rh = node.h - lh;
      if (lh >= mcw && rh >= mcw) {
        const loss = Math.fround(calcGain(p, lg, lh) + calcGain(p, rg, rh) - node.gain);
        if (best.offer(loss, f)) set(best, { loss, f, bin: i, left: false }, lg, lh, rg, rh);
      }
    }
    const mg = hist[start + 2 * bins]!;
    const mh = hist[start + 2 * bins + 1]!;
    if (mg === 0 && mh === 0) continue;
    let rg = 0;
    let rh = 0;
    for (let i = bins - 1; i >= 0; i--) {
      rg += hist[start + 2 * i]!;
      rh += hist[start + 2 * i + 1]!;
      const g = node.g - rg;
      const h = node.h - rh;
      if (h >= mcw && rh >= mcw) {
        const loss = Math.fround(calcGain(p, rg, rh) + calcGain(p, g, h) - node.gain);
        if (best.offer(loss, f)) set(best, { loss, f, bin: i - 1, left: true }, g, h, rg, rh);
      }
    }
  }
}

// eslint-disable-next-line max-params -- runs inside the bin scan; no object per candidate
function set(
  best: SplitCandidate,
  split: { loss: number; f: number; bin: number; left: boolean },
  lg: number,
  lh: number,
  rg: number,
  rh: number,
): void {
  best.lossChg = split.loss;
  best.feature = split.f;
  best.bin = split.bin;
  best.defaultLeft = split.left;
  best.leftG = lg;
  best.leftH = lh;
  best.rightG = rg;
  best.rightH = rh;
}

/** The float condition of a split: `x < condition` goes left (xgboost's `split_conditions`). */
export function splitCondition(cuts: FeatureCuts, feature: number, bin: number): number {
  return bin < 0 ? cuts.minValues[feature]! : cuts.values[cuts.ptr[feature]! + bin]!;
}
