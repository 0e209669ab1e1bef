// Metrics that need the rows in prediction order: auc, aucpr, map and ndcg, as xgboost 1.7
// computes them (src/metric/auc.cc, rank_metric.cc), over one group or averaged over query groups.

/** Predictions with labels, weights and query groups (`[0, rows]` for one group). */
export interface RankedRows {
  predictions: Float32Array;
  labels: Float32Array;
  weights?: Float32Array | undefined;
  groups: Int32Array;
}

/** A ranked metric and its cut-off (`@n`) and `-` flag. */
export interface RankedMetric {
  base: 'auc' | 'aucpr' | 'map' | 'ndcg';
  param?: number | undefined;
  minus: boolean;
}

/** The metric's value: averaged over groups when there are several. */
export function rankedMetric(metric: RankedMetric, rows: RankedRows): number {
  const { groups } = rows;
  let total = 0;
  let count = 0;
  for (let q = 0; q + 1 < groups.length; q++) {
    const order = byPrediction(rows.predictions, groups[q]!, groups[q + 1]!);
    const value = groupValue(metric, rows, order);
    if (Number.isNaN(value)) continue;
    total += value;
    count++;
  }
  return count === 0 ? NaN : total / count;
}

function groupValue(metric: RankedMetric, rows: RankedRows, order: Uint32Array): number {
  switch (metric.base) {
    case 'auc':
      return rocAuc(rows, order);
    case 'aucpr':
      return prAuc(rows, order);
    case 'map':
      return averagePrecision(rows.labels, order, metric);
    case 'ndcg':
      return ndcg(rows.labels, order, metric);
  }
}

/** Rows `[from, to)` by descending prediction (ties keep row order, as a stable sort). */
function byPrediction(predictions: Float32Array, from: number, to: number): Uint32Array {
  const order = new Uint32Array(to - from);
  for (let i = 0; i < order.length; i++) order[i] = from + i;
  return order.sort((a, b) => predictions[b]! - predictions[a]! || a - b);
}

/** Weighted ROC AUC with tied predictions as one step (trapezoids). NaN without both classes. */
function rocAuc(rows: RankedRows, order: Uint32Array): number {
  const { predictions, labels, weights } = rows;
  let tp = 0;
  let fp = 0;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let i = 0; i < order.length; i++) {
    const r = order[i]!;
    const w = weights ? weights[r]! : 1;
    tp += w * labels[r]!;
    fp += w * (1 - labels[r]!);
    const next = order[i + 1];
    if (next !== undefined && predictions[next] === predictions[r]) continue;
    area += ((fp - prevFp) * (tp + prevTp)) / 2;
    prevTp = tp;
    prevFp = fp;
  }
  return tp <= 0 || fp <= 0 ? NaN : area / (tp * fp);
}

/** Area under the precision-recall curve, interpolated as xgboost's `BinaryPRAUC`. */
function prAuc(rows: RankedRows, order: Uint32Array): number {
  const { predictions, labels, weights } = rows;
  let totalPos = 0;
  for (const r of order) totalPos += (weights ? weights[r]! : 1) * labels[r]!;
  if (totalPos <= 0) return NaN;
  let tp = 0;
  let fp = 0;
  let prevTp = 0;
  let prevFp = 0;
  let area = 0;
  for (let i = 0; i < order.length; i++) {
    const r = order[i]!;
    const w = weights ? weights[r]! : 1;
    tp += w * labels[r]!;
    fp += w * (1 - labels[r]!);
    const next = order[i + 1];
    if (next !== undefined && predictions[next] === predictions[r]) continue;
    const dtp = tp - prevTp;
    if (dtp > 0) {
      // Davis & Goadrich interpolation between the previous point and this one.
      const h = (fp - prevFp) / dtp;
      const a = 1 + h;
      const b = (prevFp - h * prevTp) / totalPos;
      const area0 =
        b !== 0
          ? (dtp / totalPos -
              (b / a) *
                (Math.log(a * (tp / totalPos) + b) - Math.log(a * (prevTp / totalPos) + b))) /
            a
          : dtp / totalPos / a;
      area += area0;
    }
    prevTp = tp;
    prevFp = fp;
  }
  return area;
}

function averagePrecision(labels: Float32Array, order: Uint32Array, m: RankedMetric): number {
  const top =
    m.param === undefined || m.param === 0 ? order.length : Math.min(m.param, order.length);
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < top; i++)
    if (labels[order[i]!] !== 0) {
      hits++;
      sum += hits / (i + 1);
    }
  return hits === 0 ? (m.minus ? 0 : 1) : sum / hits;
}

function ndcg(labels: Float32Array, order: Uint32Array, m: RankedMetric): number {
  const top =
    m.param === undefined || m.param === 0 ? order.length : Math.min(m.param, order.length);
  const gains = Array.from(order, (r) => labels[r]!);
  const ideal = [...gains].sort((a, b) => b - a);
  const dcg = (values: number[]): number => {
    let sum = 0;
    for (let i = 0; i < top; i++) sum += (2 ** values[i]! - 1) / Math.log2(i + 2);
    return sum;
  };
  const best = dcg(ideal);
  return best <= 0 ? (m.minus ? 0 : 1) : dcg(gains) / best;
}
