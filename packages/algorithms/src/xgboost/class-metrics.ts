// The metrics SageMaker's XGBoost container computes itself (custom_metrics.py, with
// scikit-learn): classification scores from the predicted class (margin > 0, or the largest
// margin for multi-class) and r2 on the predictions.

/** The container's own metric names Plinth computes here. */
export const CLASS_METRICS = [
  'accuracy',
  'balanced_accuracy',
  'f1',
  'f1_binary',
  'f1_macro',
  'precision',
  'precision_macro',
  'precision_micro',
  'recall',
  'recall_macro',
  'recall_micro',
] as const;

/** Rows to score: margins (`groups` per row), predictions (for r2) and labels. */
export interface ScoredRows {
  margins: Float32Array;
  predictions: Float32Array;
  labels: Float32Array;
  groups: number;
}

/** A classification score as scikit-learn computes it (unweighted, as the container does). */
export function classMetric(name: (typeof CLASS_METRICS)[number], rows: ScoredRows): number {
  const { labels, groups } = rows;
  const classes = Math.max(groups, 2);
  // confusion[actual * classes + predicted]
  const confusion = new Float64Array(classes * classes);
  for (let r = 0; r < labels.length; r++) {
    const actual = Math.min(Math.max(Math.trunc(labels[r]!), 0), classes - 1);
    confusion[actual * classes + predictedClass(rows, r)]! += 1;
  }
  const stats = perClass(confusion, classes);
  switch (name) {
    case 'accuracy':
    case 'precision_micro':
    case 'recall_micro':
      return stats.correct / labels.length;
    case 'balanced_accuracy':
      return mean(stats.present.map((c) => stats.recall[c]!));
    case 'f1':
    case 'f1_macro':
      return mean(stats.seen.map((c) => stats.f1[c]!));
    case 'precision_macro':
      return mean(stats.seen.map((c) => stats.precision[c]!));
    case 'recall_macro':
      return mean(stats.seen.map((c) => stats.recall[c]!));
    case 'f1_binary':
      return stats.f1[1]!;
    case 'precision':
      return stats.precision[1]!;
    case 'recall':
      return stats.recall[1]!;
  }
}

/** scikit-learn's r2_score: 1 - residual / total sum of squares. */
export function r2Score(predictions: Float32Array, labels: Float32Array): number {
  let mean = 0;
  for (let r = 0; r < labels.length; r++) mean += labels[r]!;
  mean /= labels.length;
  let residual = 0;
  let total = 0;
  for (let r = 0; r < labels.length; r++) {
    residual += (labels[r]! - predictions[r]!) ** 2;
    total += (labels[r]! - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

function predictedClass(rows: ScoredRows, r: number): number {
  const { margins, groups } = rows;
  if (groups === 1) return margins[r]! > 0 ? 1 : 0;
  let best = 0;
  for (let k = 1; k < groups; k++)
    if (margins[r * groups + k]! > margins[r * groups + best]!) best = k;
  return best;
}

function perClass(confusion: Float64Array, classes: number) {
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  const present: number[] = [];
  const seen: number[] = [];
  let correct = 0;
  for (let c = 0; c < classes; c++) {
    let actual = 0;
    let predicted = 0;
    for (let k = 0; k < classes; k++) {
      actual += confusion[c * classes + k]!;
      predicted += confusion[k * classes + c]!;
    }
    const tp = confusion[c * classes + c]!;
    correct += tp;
    const p = predicted === 0 ? 0 : tp / predicted;
    const q = actual === 0 ? 0 : tp / actual;
    precision.push(p);
    recall.push(q);
    f1.push(p + q === 0 ? 0 : (2 * p * q) / (p + q));
    if (actual > 0) present.push(c);
    if (actual > 0 || predicted > 0) seen.push(c);
  }
  return { precision, recall, f1, present, seen, correct };
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
