import type { Objective } from './objective.js';

/** Raw outputs of a batch (`rows * outputs`, row-major) with each row's label and weight. */
export interface LossInput {
  z: Float64Array;
  outputs: number;
  /** 0/1, a class index, or a normalized regression target. */
  labels: Float64Array;
  /** Example weights. */
  weights: Float64Array;
  rows: number;
}

/**
 * A batch's weighted loss, Σ weight × loss(z, label), writing weight × dLoss/dz for every
 * output into `grad` when given. Computed stably for large |z|.
 */
export type BatchLoss = (input: LossInput, grad?: Float64Array) => number;

/** The {@link BatchLoss} of an objective. */
export function batchLoss(objective: Objective): BatchLoss {
  return LOSSES[objective];
}

const LOSSES: Record<Objective, BatchLoss> = {
  logistic: ({ z, labels, weights, rows }, grad) => {
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const x = z[r]!;
      const y = labels[r]!;
      const w = weights[r]!;
      // softplus(x) - y x, and sigmoid(x) - y, from one exponential.
      const e = Math.exp(-Math.abs(x));
      sum += w * (Math.max(x, 0) + Math.log1p(e) - y * x);
      if (grad) grad[r] = w * ((x >= 0 ? 1 : e) / (1 + e) - y);
    }
    return sum;
  },
  squared_loss: ({ z, labels, weights, rows }, grad) => {
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const error = z[r]! - labels[r]!;
      sum += weights[r]! * error * error;
      if (grad) grad[r] = 2 * weights[r]! * error;
    }
    return sum;
  },
  softmax_loss: ({ z, outputs, labels, weights, rows }, grad) => {
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const row = z.subarray(r * outputs, (r + 1) * outputs);
      const label = labels[r]!;
      const { max, sum: total } = softmaxParts(row);
      sum += weights[r]! * (Math.log(total) + max - row[label]!);
      if (!grad) continue;
      for (let o = 0; o < outputs; o++)
        grad[r * outputs + o] =
          weights[r]! * (Math.exp(row[o]! - max) / total - (o === label ? 1 : 0));
    }
    return sum;
  },
};

/** Turns raw outputs into scores in place: a probability (logistic), probabilities (softmax), or as is. */
export function toScores(objective: Objective, z: Float64Array): void {
  if (objective === 'logistic') z[0] = sigmoid(z[0]!);
  else if (objective === 'softmax_loss') {
    const { max, sum } = softmaxParts(z);
    for (let o = 0; o < z.length; o++) z[o] = Math.exp(z[o]! - max) / sum;
  }
}

/** The logistic function. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function softmaxParts(z: Float64Array): { max: number; sum: number } {
  let max = -Infinity;
  for (let o = 0; o < z.length; o++) max = Math.max(max, z[o]!);
  let sum = 0;
  for (let o = 0; o < z.length; o++) sum += Math.exp(z[o]! - max);
  return { max, sum };
}
