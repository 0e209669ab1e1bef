import type { InitMethod } from './hyperparameters.js';
import { type Centers, assignNearest } from './kernels.js';
import type { Random } from '../common/random.js';
import { type SeedInput, seedCenters } from './seeding.js';

/** Settings of the local Lloyd's reduction (SageMaker's `local_lloyd_*` hyperparameters). */
export interface LloydOptions {
  k: number;
  maxIter: number;
  /** Stop when the loss improves by less than this fraction of itself. */
  tol: number;
  initMethod: InitMethod;
  trials: number;
  random: Random;
}

/** The best of the trials: its centers and weighted sum of squared distances. */
export interface LloydResult {
  centers: Centers;
  loss: number;
  iterations: number;
}

/**
 * Weighted Lloyd's k-means over a small set of points (the mini-batch stage's K centers,
 * weighted by how many records each absorbed), run `trials` times from fresh seeds; the trial
 * with the least loss wins. This is how SageMaker reduces K = k × extra_center_factor to k.
 */
export function weightedLloyd(input: SeedInput, options: LloydOptions): LloydResult {
  let best: LloydResult | undefined;
  for (let t = 0; t < options.trials; t++) {
    const start = seedCenters(input, options.k, {
      method: options.initMethod,
      random: options.random,
    });
    const result = refine(input, start, options);
    if (best === undefined || result.loss < best.loss) best = result;
  }
  if (best === undefined) throw new RangeError('weightedLloyd needs at least one trial');
  return best;
}

function refine(input: SeedInput, centers: Centers, options: LloydOptions): LloydResult {
  const { rows, dim, points } = input;
  const weight = (i: number): number => (input.weights ? input.weights[i]! : 1);
  const assign = new Int32Array(rows);
  const dist = new Float64Array(rows);
  const sums = new Float64Array(centers.count * dim);
  const mass = new Float64Array(centers.count);
  let previous = Infinity;
  let loss = Infinity;
  let iterations = 0;
  while (iterations < options.maxIter) {
    iterations++;
    assignNearest(points, centers, { rows, assign, dist });
    loss = 0;
    sums.fill(0);
    mass.fill(0);
    for (let i = 0; i < rows; i++) {
      const w = weight(i);
      const c = assign[i]!;
      loss += w * dist[i]!;
      mass[c]! += w;
      for (let j = 0; j < dim; j++) sums[c * dim + j]! += w * points[i * dim + j]!;
    }
    // A center that lost all its points keeps its position rather than collapsing to 0.
    for (let c = 0; c < centers.count; c++)
      if (mass[c]! > 0)
        for (let j = 0; j < dim; j++) centers.values[c * dim + j] = sums[c * dim + j]! / mass[c]!;
    if (previous - loss <= options.tol * previous || loss === 0) break;
    previous = loss;
  }
  // The loss above was measured before the last update; measure the centers we return.
  assignNearest(points, centers, { rows, assign, dist });
  let final = 0;
  for (let i = 0; i < rows; i++) final += weight(i) * dist[i]!;
  return { centers, loss: final, iterations };
}
