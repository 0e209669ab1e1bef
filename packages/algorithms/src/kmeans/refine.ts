import type { BatchSource } from '../data/batch-cache.js';
import { type Centers, assignNearest } from './kernels.js';

/** The most Lloyd passes over the data after the reduction. */
export const REFINE_MAX_PASSES = 50;
/** Passes stop once one lowers the sum of squared distances by less than this fraction. */
export const REFINE_TOLERANCE = 1e-3;

/** The refined centers, the passes made and the last pass's sum of squared distances. */
export interface Refined {
  readonly centers: Centers;
  readonly passes: number;
  readonly ssd: number;
}

/**
 * Lloyd's algorithm over the training records, started from the reduced centers: each pass
 * assigns every record to its nearest center and moves each center to the mean of its records.
 * SageMaker's k-means stops at the reduction of its streaming centers, whose summary of the data
 * leaves the centers a few percent worse than Lloyd's on the records; these passes (a Plinth
 * addition) close that gap. A center no record chose stays where it was.
 */
export async function refineOnData(source: BatchSource, start: Centers): Promise<Refined> {
  let centers = start;
  let previous = Infinity;
  for (let pass = 1; ; pass++) {
    const { next, ssd } = await lloydPass(source, centers);
    // The SSD is measured against the centers the pass started from: a pass that did not lower
    // it means those centers had settled.
    if (ssd >= previous) return { centers, passes: pass - 1, ssd: previous };
    const settled = Number.isFinite(previous) && previous - ssd <= REFINE_TOLERANCE * previous;
    centers = next;
    previous = ssd;
    if (settled || pass === REFINE_MAX_PASSES) return { centers, passes: pass, ssd };
  }
}

/** One pass: the centers' new positions, and the SSD of the records to the old ones. */
async function lloydPass(
  source: BatchSource,
  centers: Centers,
): Promise<{ next: Centers; ssd: number }> {
  const { count, dim } = centers;
  const sums = new Float64Array(count * dim);
  const counts = new Float64Array(count);
  let assign = new Int32Array(0);
  let dist = new Float64Array(0);
  let ssd = 0;
  for await (const batch of source()) {
    if (assign.length < batch.rows) {
      assign = new Int32Array(batch.rows);
      dist = new Float64Array(batch.rows);
    }
    assignNearest(batch.features, centers, { rows: batch.rows, assign, dist });
    for (let i = 0; i < batch.rows; i++) {
      const c = assign[i]!;
      ssd += dist[i]!;
      counts[c]! += 1;
      for (let j = 0, p = i * dim, s = c * dim; j < dim; j++)
        sums[s + j]! += batch.features[p + j]!;
    }
  }
  const values = Float64Array.from(centers.values);
  for (let c = 0; c < count; c++) {
    if (counts[c]! === 0) continue;
    for (let j = 0; j < dim; j++) values[c * dim + j] = sums[c * dim + j]! / counts[c]!;
  }
  return { next: { values, count, dim }, ssd };
}
