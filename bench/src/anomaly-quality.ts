import { rocAuc } from './roc-auc.js';

/** How well anomaly scores (higher = more anomalous) pick out rows labelled 1. */
export interface AnomalyQuality {
  /** F1 when a row is flagged for a score above mean + 3 sd of all scores (SageMaker's rule). */
  readonly f1: number;
  readonly precision: number;
  readonly recall: number;
  /** Rows the mean + 3 sd rule flags. */
  readonly flagged: number;
  /** The best F1 any threshold on these scores reaches (flagging every row scoring at or above it). */
  readonly bestF1: number;
  readonly auc: number;
}

/**
 * Scores one detector's scores against the labels; both sides' scores go through this one
 * function, so their figures are comparable.
 */
export function anomalyQuality(scores: Float64Array, labels: Uint8Array): AnomalyQuality {
  const n = scores.length;
  const positives = labels.reduce((a, b) => a + b, 0);
  let sum = 0;
  let squares = 0;
  for (const s of scores) {
    sum += s;
    squares += s * s;
  }
  const mean = sum / n;
  const threshold = mean + 3 * Math.sqrt(Math.max(squares / n - mean * mean, 0));
  let flagged = 0;
  let hits = 0;
  for (let i = 0; i < n; i++)
    if (scores[i]! > threshold) {
      flagged++;
      hits += labels[i]!;
    }
  const precision = flagged > 0 ? hits / flagged : 0;
  const recall = hits / positives;
  return {
    f1: f1Of(hits, flagged, positives),
    precision,
    recall,
    flagged,
    bestF1: bestF1(scores, labels, positives),
    auc: rocAuc(scores, labels),
  };
}

function f1Of(hits: number, flagged: number, positives: number): number {
  return hits === 0 ? 0 : (2 * hits) / (flagged + positives);
}

/** Sweeps the threshold down through the distinct scores; tied rows are flagged together. */
function bestF1(scores: Float64Array, labels: Uint8Array, positives: number): number {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
  let best = 0;
  let flagged = 0;
  let hits = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end < order.length && scores[order[end]!] === scores[order[start]!]) {
      hits += labels[order[end]!]!;
      end++;
    }
    flagged = end;
    best = Math.max(best, f1Of(hits, flagged, positives));
    start = end;
  }
  return best;
}
