import type { InitMethod } from './hyperparameters.js';
import { type Centers, type Points, squaredDistance } from './kernels.js';
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

function pickKMeansPlusPlus(input: SeedInput, k: number, random: Random): number[] {
  const { rows, weights } = input;
  const weight = (i: number): number => (weights ? weights[i]! : 1);
  const chosen: number[] = [];
  const taken = new Uint8Array(rows);
  const nearest = new Float64Array(rows).fill(Infinity);
  let next = drawWeighted(rows, (i) => weight(i), random) ?? 0;
  while (chosen.length < k) {
    chosen.push(next);
    taken[next] = 1;
    if (chosen.length === k) break;
    for (let i = 0; i < rows; i++) {
      const d = squaredDistance(
        { points: input.points, row: i },
        { points: input.points, row: next },
        input.dim,
      );
      if (d < nearest[i]!) nearest[i] = d;
    }
    const score = (i: number): number => (taken[i] ? 0 : weight(i) * nearest[i]!);
    // When every remaining row duplicates a center (or has no weight), any untaken row will do.
    next = drawWeighted(rows, score, random) ?? firstUntaken(taken);
  }
  return chosen;
}

function drawWeighted(
  rows: number,
  score: (i: number) => number,
  random: Random,
): number | undefined {
  let total = 0;
  for (let i = 0; i < rows; i++) total += score(i);
  if (!(total > 0) || !Number.isFinite(total)) return undefined;
  let target = random() * total;
  let last: number | undefined;
  for (let i = 0; i < rows; i++) {
    const s = score(i);
    if (s <= 0) continue;
    last = i;
    target -= s;
    if (target < 0) return i;
  }
  return last; // floating-point rounding can leave a sliver at the end
}

function firstUntaken(taken: Uint8Array): number {
  const i = taken.indexOf(0);
  if (i === -1) throw new RangeError('No untaken point left to seed a center');
  return i;
}
