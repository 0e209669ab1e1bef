import type { QualityMetric } from '../common/log.js';
import type { EvalMetric } from './hyperparameters.js';

/** How the labelled test channel's scores compare with its labels (1 = anomaly). */
export interface TestEvaluation {
  records: number;
  /** Scores above this are predicted anomalies: mean + 3 standard deviations of the scores. */
  threshold: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

/** How many standard deviations above the mean score SageMaker's RCF calls a point anomalous. */
export const SIGMAS = 3;

/**
 * Labels the test records as SageMaker's RCF does (an anomaly when the score is beyond three
 * standard deviations above the mean score of the test channel, population deviation) and counts
 * agreements with the given labels.
 */
export function evaluateScores(scores: Float64Array, labels: Uint8Array): TestEvaluation {
  const n = scores.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += scores[i]!;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (scores[i]! - mean) ** 2;
  const threshold = mean + SIGMAS * Math.sqrt(squares / n);
  const counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < n; i++) {
    const flagged = scores[i]! > threshold;
    if (labels[i] === 1) {
      if (flagged) counts.tp++;
      else counts.fn++;
    } else if (flagged) counts.fp++;
    else counts.tn++;
  }
  return {
    records: n,
    threshold,
    truePositives: counts.tp,
    falsePositives: counts.fp,
    trueNegatives: counts.tn,
    falseNegatives: counts.fn,
  };
}

/**
 * The `#quality_metric` values for the requested eval_metrics: `test accuracy`, and for
 * `precision_recall_fscore` the anomaly class's `test precision`, `test recall`, `test f1` and
 * the normal class's `test precision_normal`, `test recall_normal`, `test f1_normal`. A ratio
 * with nothing to count (no record flagged, no anomaly labelled) is 0.
 */
export function testMetrics(
  evaluation: TestEvaluation,
  requested: readonly EvalMetric[],
): QualityMetric[] {
  const {
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
  } = evaluation;
  const metrics: QualityMetric[] = [];
  const score = (name: string, value: number): void => {
    metrics.push({ name: `test ${name}`, value, kind: 'score' });
  };
  for (const metric of requested)
    if (metric === 'accuracy') score('accuracy', ratio(tp + tn, evaluation.records));
    else {
      score('precision', ratio(tp, tp + fp));
      score('recall', ratio(tp, tp + fn));
      score('f1', ratio(2 * tp, 2 * tp + fp + fn));
      score('precision_normal', ratio(tn, tn + fn));
      score('recall_normal', ratio(tn, tn + fp));
      score('f1_normal', ratio(2 * tn, 2 * tn + fn + fp));
    }
  return metrics;
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
