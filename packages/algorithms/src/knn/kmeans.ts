import type { Random } from '../common/random.js';
import { PanelScanner } from './panel-scanner.js';
import { buildPanels } from './panels.js';
import { TopK } from './top-k.js';

/** How {@link trainKMeans} runs: faiss's defaults unless a caller needs otherwise. */
export interface KMeansOptions {
  /** Lloyd iterations at most (faiss: 25; stops earlier when no point changes cluster). */
  iterations?: number;
  /** Trains on at most this many points per centroid, sampled (faiss: 256). */
  maxPointsPerCentroid?: number;
  random: Random;
}

/** Nudge that splits a big cluster's centroid to fill an empty one (faiss's EPS). */
const SPLIT = 1 / 1024;

/**
 * Lloyd's k-means on row-major float32 points, as faiss trains its quantizers: a random sample
 * of at most `maxPointsPerCentroid · k` points, centroids seeded with distinct random points,
 * each iteration assigning points to their nearest centroid (the SIMD kernel) and moving each
 * centroid to its points' mean; an empty cluster takes half of the largest one. Needs `k ≤ n`.
 */
export function trainKMeans(
  points: Float32Array,
  shape: { dim: number; k: number },
  options: KMeansOptions,
): Float32Array {
  const { dim, k } = shape;
  const { random, iterations = 25, maxPointsPerCentroid = 256 } = options;
  const total = points.length / dim;
  if (k < 1 || k > total) throw new RangeError(`k-means needs 1 to ${total} centroids, got ${k}`);
  const train = subsample(points, {
    dim,
    count: Math.min(total, maxPointsPerCentroid * k),
    random,
  });
  const n = train.length / dim;
  const centroids = new Float32Array(k * dim);
  const seeds = pickDistinct(n, k, random);
  for (let c = 0; c < k; c++)
    centroids.set(train.subarray(seeds[c]! * dim, (seeds[c]! + 1) * dim), c * dim);
  let assignment: Int32Array = new Int32Array(n).fill(-1);
  const which = Int32Array.from({ length: n }, (_, i) => i);
  for (let iteration = 0; iteration < iterations; iteration++) {
    const next = assign(train, { centroids, dim, k, which });
    let moved = 0;
    for (let i = 0; i < n; i++) if (next[i] !== assignment[i]) moved++;
    assignment = next;
    if (moved === 0) break;
    updateCentroids(train, assignment, { centroids, dim, k });
  }
  return centroids;
}

/** The nearest of `k` centroids for every point (exact, squared Euclidean). */
export function nearestCentroids(
  points: Float32Array,
  centroids: Float32Array,
  dim: number,
): Int32Array {
  const n = points.length / dim;
  const which = Int32Array.from({ length: n }, (_, i) => i);
  return assign(points, { centroids, dim, k: centroids.length / dim, which });
}

function assign(
  points: Float32Array,
  model: { centroids: Float32Array; dim: number; k: number; which: Int32Array },
): Int32Array {
  const { centroids, dim, k, which } = model;
  const n = points.length / dim;
  const panels = buildPanels({
    similarity: 'l2',
    dim,
    rows: centroids,
    listSizes: [k],
    threads: 1,
  });
  const scanner = new PanelScanner(panels, 0);
  const top = new TopK(n, 1);
  scanner.scan(
    { from: 0, to: panels.lists[1]! },
    { prepared: scanner.prepare(points, n), which, n },
    top,
  );
  return top.ids;
}

function updateCentroids(
  points: Float32Array,
  assignment: Int32Array,
  model: { centroids: Float32Array; dim: number; k: number },
): void {
  const { centroids, dim, k } = model;
  const sums = new Float64Array(k * dim);
  const sizes = new Float64Array(k);
  for (let i = 0; i < assignment.length; i++) {
    const c = assignment[i]!;
    sizes[c]!++;
    for (let j = 0; j < dim; j++) sums[c * dim + j]! += points[i * dim + j]!;
  }
  for (let c = 0; c < k; c++)
    if (sizes[c]! > 0)
      for (let j = 0; j < dim; j++) centroids[c * dim + j] = sums[c * dim + j]! / sizes[c]!;
  for (let c = 0; c < k; c++) {
    if (sizes[c]! > 0) continue;
    let big = 0;
    for (let b = 1; b < k; b++) if (sizes[b]! > sizes[big]!) big = b;
    for (let j = 0; j < dim; j++) {
      const v = centroids[big * dim + j]!;
      const sign = j % 2 === 0 ? 1 : -1;
      centroids[c * dim + j] = v * (1 + sign * SPLIT);
      centroids[big * dim + j] = v * (1 - sign * SPLIT);
    }
    sizes[c] = sizes[big]! / 2;
    sizes[big] = sizes[big]! / 2;
  }
}

/** `count` of the points, chosen at random without replacement (all of them, in order, if fewer). */
function subsample(
  points: Float32Array,
  options: { dim: number; count: number; random: Random },
): Float32Array {
  const { dim, count, random } = options;
  const total = points.length / dim;
  if (count >= total) return points;
  const chosen = pickDistinct(total, count, random);
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++)
    out.set(points.subarray(chosen[i]! * dim, (chosen[i]! + 1) * dim), i * dim);
  return out;
}

/** `count` distinct indices below `total`, by a partial Fisher–Yates shuffle. */
export function pickDistinct(total: number, count: number, random: Random): Int32Array {
  const order = Int32Array.from({ length: total }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (total - i));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order.slice(0, count);
}
