import type { InitMethod } from './hyperparameters.js';
import { pickKMeansPlusPlus } from './kmeans-plus-plus.js';
import type { Centers, Points } from './kernels.js';
import type { Random } from '../common/random.js';

/** Candidate points to pick centers from, optionally weighted (the reduction step weighs them). */
export interface SeedInput {
  points: Points;
  rows: number;
  dim: number;
  weights?: Float64Array;
}

/**
 * Picks `k` of the input's rows as initial centers: uniformly without replacement (`random`), or
 * by k-means++, each next center drawn with probability ∝ weight × squared distance to the
 * nearest chosen one. Rows with zero weight are picked only when nothing else is left.
 */
export function seedCenters(
  input: SeedInput,
  k: number,
  options: { method: InitMethod; random: Random },
): Centers {
  if (k > input.rows) throw new RangeError(`Cannot pick ${k} centers from ${input.rows} points`);
  const chosen =
    options.method === 'random'
      ? pickRandom(input, k, options.random)
      : pickKMeansPlusPlus(input, k, options.random);
  const values = new Float64Array(k * input.dim);
  chosen.forEach((row, c) => {
    for (let j = 0; j < input.dim; j++)
      values[c * input.dim + j] = input.points[row * input.dim + j]!;
  });
  return { values, count: k, dim: input.dim };
}

function pickRandom(input: SeedInput, k: number, random: Random): number[] {
  // Prefer rows that carry weight, so the reduction never starts on empty mini-batch centers.
  const all = Array.from({ length: input.rows }, (_, i) => i);
  const weighted = input.weights ? all.filter((i) => input.weights![i]! > 0) : all;
  const pool = weighted.length >= k ? weighted : all;
  // Partial Fisher-Yates shuffle: the first k entries are a uniform sample.
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, k);
}
