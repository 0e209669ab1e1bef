import type { BatchSource } from '../data/batch-cache.js';
import type { FeatureBatch } from '../data/index.js';
import type { KMeansHyperparameters } from './hyperparameters.js';
import { type Centers, assignNearest } from './kernels.js';
import { weightedLloyd } from './lloyd.js';
import { MiniBatchKMeans } from './mini-batch.js';
import { createRandom } from '../common/random.js';
import { seedCenters } from './seeding.js';

/**
 * The seed every k-means training run uses. SageMaker's k-means has no seed hyperparameter;
 * a fixed seed makes the same data and hyperparameters always give the same model.
 */
export const KMEANS_SEED = 0x5eed;

export type { BatchSource } from '../data/batch-cache.js';

/** What the fit reports as it goes, so the program can log it SageMaker's way. */
export interface FitEvents {
  info(message: string): void;
  epoch(event: { epoch: number; epochs: number; records: number; msd: number }): void;
}

/** A fitted model's k centers and how they were reached. */
export interface FitResult {
  centers: Centers;
  /** K, the number of centers the mini-batch stage kept (k × extra_center_factor, or fewer). */
  streamingCenters: number;
  records: number;
}

/** The factor `extra_center_factor=auto` picks: 10, lowered for large k to keep K near 1000. */
export function autoExtraCenterFactor(k: number): number {
  return Math.max(2, Math.min(10, Math.floor(1000 / k)));
}

/** The trials `local_lloyd_num_trials=auto` runs: up to 10, fewer when each trial is costly. */
export function autoLloydTrials(shape: { points: number; k: number; dim: number }): number {
  return Math.max(1, Math.min(10, Math.floor(5e7 / (shape.points * shape.k * shape.dim))));
}

/**
 * What the streaming stage leaves: K weighted centers summarizing the records it saw. Hosts of a
 * multi-instance job each summarize their shard; one host reduces all the summaries together.
 */
export interface StreamingSummary {
  readonly centers: Centers;
  /** Each center's (decayed) number of records. */
  readonly weights: Float64Array;
  readonly records: number;
}

/** The seeded generator and the events a fit's stages share. */
export interface FitContext {
  readonly events: FitEvents;
  readonly random: () => number;
}

/**
 * SageMaker-style k-means: mini-batch k-means over K = k × extra_center_factor centers seeded
 * from the first mini-batch, for `epochs` passes, then a weighted local Lloyd's reduction of
 * those K centers to k. Deterministic for a given data order (fixed seed {@link KMEANS_SEED}).
 */
export async function fitKMeans(
  source: BatchSource,
  hp: KMeansHyperparameters,
  events: FitEvents,
): Promise<FitResult> {
  const context = { events, random: createRandom(KMEANS_SEED) };
  return reduceKMeans(await streamKMeans(source, hp, context), hp, context);
}

/** The streaming stage: mini-batch k-means over K centers for `epochs` passes. */
export async function streamKMeans(
  source: BatchSource,
  hp: KMeansHyperparameters,
  context: FitContext,
): Promise<StreamingSummary> {
  const { events, random } = context;
  const factor =
    hp.extraCenterFactor === 'auto' ? autoExtraCenterFactor(hp.k) : hp.extraCenterFactor;
  let model: MiniBatchKMeans | undefined;
  let records = 0;
  for (let epoch = 1; epoch <= hp.epochs; epoch++) {
    let seen = 0;
    let ssd = 0;
    let pending: FeatureBatch[] = [];
    for await (const batch of source()) {
      if (model === undefined) {
        // Seed from the first mini-batch; keep reading only if it holds fewer than K records.
        pending.push(batch);
        if (rowsOf(pending) < hp.k * factor) continue;
        model = initialize(pending, { hp, factor, random, events });
      }
      for (const b of pending.length > 0 ? pending : [batch]) {
        ssd += model.update(b.features, b.rows);
        seen += b.rows;
      }
      pending = [];
    }
    if (model === undefined) {
      model = initialize(pending, { hp, factor, random, events });
      for (const b of pending) {
        ssd += model.update(b.features, b.rows);
        seen += b.rows;
      }
    }
    records = seen;
    events.epoch({ epoch, epochs: hp.epochs, records: seen, msd: ssd / seen });
  }
  if (model === undefined) throw new RangeError('epochs must be at least 1');
  return { centers: model.centers, weights: model.counts, records };
}

/** Summaries of several hosts' shards as one: all their centers, weighted, and all records. */
export function mergeSummaries(summaries: readonly StreamingSummary[]): StreamingSummary {
  const dim = summaries[0]!.centers.dim;
  const count = summaries.reduce((sum, s) => sum + s.centers.count, 0);
  const values = new Float64Array(count * dim);
  const weights = new Float64Array(count);
  let at = 0;
  for (const summary of summaries) {
    values.set(summary.centers.values.subarray(0, summary.centers.count * dim), at * dim);
    weights.set(summary.weights.subarray(0, summary.centers.count), at);
    at += summary.centers.count;
  }
  const records = summaries.reduce((sum, s) => sum + s.records, 0);
  return { centers: { values, count, dim }, weights, records };
}

/** The reduction: weighted local Lloyd's from the summary's K centers to k. */
export function reduceKMeans(
  summary: StreamingSummary,
  hp: KMeansHyperparameters,
  context: FitContext,
): FitResult {
  const K = summary.centers.count;
  const trials =
    hp.localLloydNumTrials === 'auto'
      ? autoLloydTrials({ points: K, k: hp.k, dim: hp.featureDim })
      : hp.localLloydNumTrials;
  context.events.info(`Reducing ${K} centers to k=${hp.k} with local Lloyd's (${trials} trials)`);
  const reduced = weightedLloyd(
    { points: summary.centers.values, rows: K, dim: hp.featureDim, weights: summary.weights },
    {
      k: hp.k,
      maxIter: hp.localLloydMaxIter,
      tol: hp.localLloydTol,
      initMethod: hp.localLloydInitMethod,
      trials,
      random: context.random,
    },
  );
  return { centers: reduced.centers, streamingCenters: K, records: summary.records };
}

function initialize(
  batches: FeatureBatch[],
  context: {
    hp: KMeansHyperparameters;
    factor: number;
    random: () => number;
    events: FitEvents;
  },
): MiniBatchKMeans {
  const { hp, factor, random, events } = context;
  const rows = rowsOf(batches);
  if (rows < hp.k)
    throw new RangeError(
      `The train channel has ${rows} records, fewer than k=${hp.k}; k-means needs at least k records.`,
    );
  const points = new Float32Array(rows * hp.featureDim);
  let offset = 0;
  for (const b of batches) {
    points.set(b.features.subarray(0, b.rows * hp.featureDim), offset);
    offset += b.rows * hp.featureDim;
  }
  // With fewer records than K, every record becomes a center: K shrinks rather than failing.
  const K = Math.min(hp.k * factor, rows);
  events.info(
    `Initializing ${K} centers (k=${hp.k} x extra_center_factor=${factor}) by ${hp.initMethod} from ${rows} records`,
  );
  const centers = seedCenters({ points, rows, dim: hp.featureDim }, K, {
    method: hp.initMethod,
    random,
  });
  return new MiniBatchKMeans(centers, hp.halfLifeTimeSize);
}

function rowsOf(batches: FeatureBatch[]): number {
  return batches.reduce((sum, b) => sum + b.rows, 0);
}

/** Sum of squared distances from every record to its nearest center, and the record count. */
export async function scoreKMeans(
  source: AsyncIterable<FeatureBatch>,
  centers: Centers,
): Promise<{ records: number; ssd: number }> {
  let records = 0;
  let ssd = 0;
  let assign = new Int32Array(0);
  let dist = new Float64Array(0);
  for await (const batch of source) {
    if (assign.length < batch.rows) {
      assign = new Int32Array(batch.rows);
      dist = new Float64Array(batch.rows);
    }
    assignNearest(batch.features, centers, { rows: batch.rows, assign, dist });
    for (let i = 0; i < batch.rows; i++) ssd += dist[i]!;
    records += batch.rows;
  }
  return { records, ssd };
}
