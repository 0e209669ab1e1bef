// First and second derivatives of each pointwise objective with respect to the margin, as
// xgboost 1.7 computes them (src/objective/regression_loss.h, regression_obj.cu,
// multiclass_obj.cu, hinge.cu), in float32. rank:pairwise is in ranking-gradients.ts.

/** The pointwise objectives (every trained objective but rank:pairwise). */
export type PointwiseObjective =
  | 'squarederror'
  | 'logistic'
  | 'logitraw'
  | 'hinge'
  | 'softmax'
  | 'poisson'
  | 'gamma'
  | 'tweedie'
  | 'pseudohuber'
  | 'squaredlog';

/** What a gradient pass needs to know about the objective. */
export interface GradientSpec {
  kind: PointwiseObjective;
  /** Output groups (num_class for softmax, else 1). */
  groups: number;
  scalePosWeight: number;
  /** Poisson's hessian shift (`max_delta_step`, 0.7 unless given). */
  poissonMaxDeltaStep: number;
  tweedieVariancePower: number;
  huberSlope: number;
}

/** The arrays a gradient pass reads and writes (row r's group-k pair at `r*2*groups + 2k`). */
export interface GradientArrays {
  margins: Float32Array;
  labels: Float32Array;
  weights?: Float32Array | undefined;
  gradients: Float32Array;
}

const EPS = 1e-16;
const FLT_MIN = 1.1754943508222875e-38;
const f32 = Math.fround;

/**
 * Training metrics summed in the same pass (binary:logistic and reg:logistic only, whose
 * gradient already computes the probability): `thresholds[i]` NaN for logloss, else error's
 * threshold; the weighted loss and weight of metric `i` go to `out[4i]` and `out[4i + 1]`.
 */
export interface FusedMetrics {
  thresholds: Float64Array;
  out: Float64Array;
}

/** Rows `[from, to)` of a gradient pass, and the training metrics it sums (logistic only). */
export interface GradientRange {
  from: number;
  to: number;
  fused?: FusedMetrics | undefined;
}

/** Writes the gradient pairs of rows `[from, to)` for every output group. */
export function computeGradients(
  spec: GradientSpec,
  a: GradientArrays,
  range: GradientRange,
): void {
  if (range.fused) return logisticGradientsAndLoss(spec.scalePosWeight, a, range);
  if (spec.kind === 'softmax') return softmaxGradients(spec.groups, a, range);
  if (spec.kind === 'logistic' || spec.kind === 'logitraw')
    return logisticGradients(spec.scalePosWeight, a, range);
  const { margins, labels, weights, gradients } = a;
  for (let r = range.from; r < range.to; r++) {
    const w = weights ? weights[r]! : 1;
    const y = labels[r]!;
    const m = margins[r]!;
    let g: number;
    let h: number;
    // The hessian's weight: binary:hinge keeps FLT_MIN unweighted where the loss is flat.
    let hw = w;
    switch (spec.kind) {
      case 'squarederror':
        g = m - y;
        h = 1;
        break;
      case 'hinge': {
        const s = y * 2 - 1;
        if (m * s < 1) {
          g = -s;
          h = 1;
        } else {
          g = 0;
          h = FLT_MIN;
          hw = 1;
        }
        break;
      }
      case 'poisson':
        g = Math.exp(m) - y;
        h = Math.exp(m + spec.poissonMaxDeltaStep);
        break;
      case 'gamma': {
        const e = Math.exp(-m);
        g = 1 - y * e;
        h = y * e;
        break;
      }
      case 'tweedie': {
        const rho = spec.tweedieVariancePower;
        const u = y * Math.exp((1 - rho) * m);
        const v = Math.exp((2 - rho) * m);
        g = v - u;
        h = (2 - rho) * v - (1 - rho) * u;
        break;
      }
      case 'pseudohuber': {
        const z = m - y;
        const scale = 1 + (z * z) / (spec.huberSlope * spec.huberSlope);
        const root = Math.sqrt(scale);
        g = z / root;
        h = 1 / (scale * root);
        break;
      }
      case 'squaredlog': {
        const p = Math.max(m, -1 + 1e-6);
        const d = Math.log1p(p) - Math.log1p(y);
        g = d / (p + 1);
        h = Math.max((1 - d) / ((p + 1) * (p + 1)), 1e-6);
        break;
      }
    }
    gradients[2 * r] = g * w;
    gradients[2 * r + 1] = h * hw;
  }
}

/** binary:logistic, reg:logistic, binary:logitraw: the hot path of binary classification. */
function logisticGradients(
  scalePosWeight: number,
  a: GradientArrays,
  range: { from: number; to: number },
): void {
  const { margins, labels, weights, gradients } = a;
  for (let r = range.from; r < range.to; r++) {
    const y = labels[r]!;
    let w = weights ? weights[r]! : 1;
    if (y === 1) w *= scalePosWeight;
    const p = f32(1 / (1 + Math.exp(-margins[r]!)));
    gradients[2 * r] = (p - y) * w;
    gradients[2 * r + 1] = Math.max(p * (1 - p), EPS) * w;
  }
}

/** {@link logisticGradients} that also sums logloss/error of the margins it reads. */
function logisticGradientsAndLoss(
  scalePosWeight: number,
  a: GradientArrays,
  range: GradientRange,
): void {
  const { margins, labels, weights, gradients } = a;
  const { thresholds, out } = range.fused!;
  const count = thresholds.length;
  for (let i = 0; i < count; i++) out[4 * i] = out[4 * i + 1] = 0;
  for (let r = range.from; r < range.to; r++) {
    const y = labels[r]!;
    const sample = weights ? weights[r]! : 1;
    const w = y === 1 ? sample * scalePosWeight : sample;
    const p = f32(1 / (1 + Math.exp(-margins[r]!)));
    gradients[2 * r] = (p - y) * w;
    gradients[2 * r + 1] = Math.max(p * (1 - p), EPS) * w;
    for (let i = 0; i < count; i++) {
      const t = thresholds[i]!;
      out[4 * i] = out[4 * i]! + sample * (t === t ? (p > t ? 1 - y : y) : logloss(p, y));
      out[4 * i + 1] = out[4 * i + 1]! + sample;
    }
  }
}

/** xgboost's logloss of one row: `p` and `1 - p` each clamped at 1e-16. */
function logloss(p: number, y: number): number {
  const q = f32(1 - p);
  if (y === 1) return -Math.log(p < EPS ? EPS : p);
  if (y === 0) return -Math.log(q < EPS ? EPS : q);
  return -y * Math.log(p < EPS ? EPS : p) - (1 - y) * Math.log(q < EPS ? EPS : q);
}

/** multi:softmax / multi:softprob: softmax over the row's margins, one pair per class. */
function softmaxGradients(
  groups: number,
  a: GradientArrays,
  range: { from: number; to: number },
): void {
  const { margins, labels, weights, gradients } = a;
  for (let r = range.from; r < range.to; r++) {
    const w = weights ? weights[r]! : 1;
    const label = labels[r]!;
    const base = r * groups;
    let max = margins[base]!;
    for (let k = 1; k < groups; k++) max = Math.max(max, margins[base + k]!);
    let sum = 0;
    for (let k = 0; k < groups; k++) sum += Math.exp(margins[base + k]! - max);
    for (let k = 0; k < groups; k++) {
      const p = Math.exp(margins[base + k]! - max) / sum;
      const at = 2 * (base + k);
      gradients[at] = (k === label ? p - 1 : p) * w;
      gradients[at + 1] = Math.max(2 * p * (1 - p) * w, EPS);
    }
  }
}
