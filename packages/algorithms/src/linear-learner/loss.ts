import type { Objective } from './objective.js';

/**
 * One row's loss at raw outputs `z` for `label` (0/1, a class index, or a normalized target),
 * writing dLoss/dz into `grad` when given. Computed stably for large |z|.
 */
export type RowLoss = (z: Float64Array, label: number, grad?: Float64Array) => number;

/** The {@link RowLoss} of an objective. */
export function rowLoss(objective: Objective): RowLoss {
  return LOSSES[objective];
}

const LOSSES: Record<Objective, RowLoss> = {
  logistic: (z, label, grad) => {
    const x = z[0]!;
    if (grad) grad[0] = sigmoid(x) - label;
    return softplus(x) - label * x;
  },
  squared_loss: (z, label, grad) => {
    const error = z[0]! - label;
    if (grad) grad[0] = 2 * error;
    return error * error;
  },
  softmax_loss: (z, label, grad) => {
    const { max, sum } = softmaxParts(z);
    if (grad) {
      for (let o = 0; o < z.length; o++) grad[o] = Math.exp(z[o]! - max) / sum;
      grad[label]! -= 1;
    }
    return Math.log(sum) + max - z[label]!;
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

function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

function softmaxParts(z: Float64Array): { max: number; sum: number } {
  let max = -Infinity;
  for (let o = 0; o < z.length; o++) max = Math.max(max, z[o]!);
  let sum = 0;
  for (let o = 0; o < z.length; o++) sum += Math.exp(z[o]! - max);
  return { max, sum };
}
