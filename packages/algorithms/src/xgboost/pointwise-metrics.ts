// Evaluation metrics that are a weighted mean of a per-row loss, as xgboost 1.7 computes them
// (src/metric/elementwise_metric.cu, multiclass_metric.cu). Each thread sums its own rows; the
// sums are added and finished on the caller's thread.

/** How margins become the predictions metrics see (xgboost's `EvalTransform`). */
export type EvalTransform = 'identity' | 'sigmoid' | 'exp' | 'softmax' | 'hinge';

/** The pointwise metrics, by the base name `eval_metric` gives them. */
export const POINTWISE_METRICS = [
  'rmse',
  'mse',
  'rmsle',
  'mae',
  'mape',
  'mphe',
  'logloss',
  'error',
  'merror',
  'mlogloss',
  'poisson-nloglik',
  'gamma-nloglik',
  'gamma-deviance',
  'tweedie-nloglik',
] as const;

/** A pointwise metric's base name. */
export type PointwiseMetric = (typeof POINTWISE_METRICS)[number];

/** Rows a metric is summed over: margins (`groups` per row), labels and optional weights. */
export interface MetricRows {
  margins: Float32Array;
  labels: Float32Array;
  weights?: Float32Array | undefined;
  groups: number;
}

/** One metric to sum: its index in {@link POINTWISE_METRICS} and its parameter (threshold, rho). */
export interface MetricOrder {
  metric: number;
  param: number;
}

const EPS = 1e-16;
const f32 = Math.fround;

/**
 * Adds the weighted loss and the weight of rows `[from, to)` into `out[0]` and `out[1]`.
 * `transform` turns a margin into the prediction the metric compares with the label.
 */
export function sumMetric(
  job: { order: MetricOrder; transform: EvalTransform },
  rows: MetricRows,
  range: { from: number; to: number; out: Float64Array; at: number },
): void {
  const { order, transform } = job;
  const id = order.metric;
  const name = POINTWISE_METRICS[id]!;
  if (transform === 'sigmoid' && rows.groups === 1 && (name === 'logloss' || name === 'error')) {
    const [loss, weight] = binaryLoss(name === 'logloss' ? NaN : order.param, rows, range);
    range.out[range.at] = range.out[range.at]! + loss;
    range.out[range.at + 1] = range.out[range.at + 1]! + weight;
    return;
  }
  const { margins, labels, weights, groups } = rows;
  const multiclass = groups > 1 && (name === 'merror' || name === 'mlogloss');
  const kind = TRANSFORMS.indexOf(transform);
  let loss = 0;
  let weight = 0;
  for (let r = range.from; r < range.to; r++) {
    const w = weights ? weights[r]! : 1;
    const y = labels[r]!;
    const l = multiclass
      ? multiclassLoss(id, margins, r * groups, groups, y)
      : rowLoss(id, order.param, predict(kind, margins[r * groups]!), y);
    loss += l * w;
    weight += w;
  }
  range.out[range.at] = range.out[range.at]! + loss;
  range.out[range.at + 1] = range.out[range.at + 1]! + weight;
}

/**
 * logloss (`threshold` NaN) or error at `threshold` of sigmoid margins: the default metric of
 * binary classification, so it gets a loop of its own with one exp and one log per row.
 */
function binaryLoss(
  threshold: number,
  rows: MetricRows,
  range: { from: number; to: number },
): [number, number] {
  const { margins, labels, weights } = rows;
  let loss = 0;
  let weight = 0;
  const logloss = threshold !== threshold;
  for (let r = range.from; r < range.to; r++) {
    const w = weights ? weights[r]! : 1;
    const y = labels[r]!;
    const p = f32(1 / (1 + Math.exp(-margins[r]!)));
    let l: number;
    if (!logloss) l = p > threshold ? 1 - y : y;
    else if (y === 1) l = -Math.log(p < EPS ? EPS : p);
    else if (y === 0) {
      const q = f32(1 - p);
      l = -Math.log(q < EPS ? EPS : q);
    } else l = rowLoss(6, 0, p, y);
    loss += l * w;
    weight += w;
  }
  return [loss, weight];
}

/** The metric's value from the summed loss and weight (xgboost's `GetFinal`). */
export function finishMetric(metric: PointwiseMetric, loss: number, weight: number): number {
  const mean = weight === 0 ? NaN : loss / weight;
  if (metric === 'rmse' || metric === 'rmsle') return Math.sqrt(mean);
  if (metric === 'gamma-deviance') return 2 * loss;
  return mean;
}

const TRANSFORMS: readonly EvalTransform[] = ['identity', 'sigmoid', 'exp', 'softmax', 'hinge'];

// Integer cases (indices into TRANSFORMS and POINTWISE_METRICS) make jump tables in the
// per-row loops.
function predict(kind: number, m: number): number {
  switch (kind) {
    case 1:
      return f32(1 / (1 + Math.exp(-m)));
    case 2:
      return f32(Math.exp(m));
    case 4:
      return m > 0 ? 1 : 0;
    default:
      return m;
  }
}

// eslint-disable-next-line max-params -- the per-row loss of the metric loop; no object per row
function rowLoss(id: number, param: number, p: number, y: number): number {
  switch (id) {
    case 0: // rmse
    case 1: // mse
      return (y - p) * (y - p);
    case 2: {
      // rmsle
      const d = Math.log1p(p) - Math.log1p(y);
      return d * d;
    }
    case 3: // mae
      return Math.abs(y - p);
    case 4: // mape
      return Math.abs((y - p) / y);
    case 5: {
      // mphe
      const z = (y - p) / param;
      return param * param * (Math.sqrt(1 + z * z) - 1);
    }
    case 6: {
      // logloss, each side clamped at 1e-16 as xgboost 1.7 (binary:logitraw's margins too)
      const q = f32(1 - p);
      return -y * Math.log(p < EPS ? EPS : p) - (1 - y) * Math.log(q < EPS ? EPS : q);
    }
    case 7: // error
      return p > param ? 1 - y : y;
    case 8: // merror with one group: the prediction is the class
      return p !== y ? 1 : 0;
    case 9: // mlogloss with one group
      return -Math.log(Math.max(p, EPS));
    case 10: {
      // poisson-nloglik
      const q = Math.max(p, EPS);
      return logGamma(y + 1) + q - Math.log(q) * y;
    }
    case 11: {
      // gamma-nloglik (dispersion 1)
      const theta = -1 / Math.max(p, 1e-6);
      return -(y * theta + Math.log(-theta));
    }
    case 12: {
      // gamma-deviance
      const t = y / (p + 1e-9);
      return t - Math.log(t) - 1;
    }
    default: {
      // tweedie-nloglik
      const a = (y * Math.exp((1 - param) * Math.log(p))) / (1 - param);
      const b = Math.exp((2 - param) * Math.log(p)) / (2 - param);
      return -a + b;
    }
  }
}

// eslint-disable-next-line max-params -- per row, as rowLoss
function multiclassLoss(
  id: number,
  margins: Float32Array,
  base: number,
  groups: number,
  label: number,
): number {
  let max = margins[base]!;
  let best = 0;
  for (let k = 1; k < groups; k++)
    if (margins[base + k]! > max) {
      max = margins[base + k]!;
      best = k;
    }
  if (id === 8) return best !== label ? 1 : 0;
  let sum = 0;
  for (let k = 0; k < groups; k++) sum += Math.exp(margins[base + k]! - max);
  const p = Math.exp(margins[base + label]! - max) / sum;
  return -Math.log(Math.max(p, EPS));
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7), as the Poisson and gamma likelihoods need. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}
