import type { BatchSource } from '../data/batch-cache.js';
import { EPOCH_CACHE_BYTES } from '../data/batch-cache.js';
import { DataFormatError } from '../data/index.js';
import { type Moments, centerProduct } from './covariance.js';
import type { PcaHyperparameters } from './hyperparameters.js';
import type { PassSums, PassTask } from './pass-sums.js';
import type { Block } from './randomized.js';
import type { Shards } from './shards.js';

/** What a pass over the channel reports, and how much of it may be kept for later passes. */
export interface PassEvents {
  info(message: string): void;
  /** After each mini-batch read from the channel. */
  batch(progress: { batches: number; records: number }): void;
}

/** The first pass's sums, about `shift`; `kept` when the shards hold the records for replay. */
export interface FirstPass {
  sums: PassSums;
  shift: Float64Array;
  kept: boolean;
}

/**
 * Reads the channel once, summing the scatter matrix or, given a starting block (randomized
 * mode on wide data), the product `C·Q₀`, and keeping the records for replay when asked and
 * they fit in `keepBytes`. The shift is the first record when the mean is subtracted, so sums
 * of squares stay near the variance.
 */
export async function firstPass(
  source: BatchSource,
  context: {
    hp: PcaHyperparameters;
    start: Block | undefined;
    shards: Shards;
    events: PassEvents;
    keepBytes: number | undefined;
  },
): Promise<FirstPass> {
  const { hp, start, shards, events } = context;
  const dim = hp.featureDim;
  const budget = context.keepBytes ?? EPOCH_CACHE_BYTES;
  let shift: Float64Array | undefined;
  let keep = start !== undefined;
  let bytes = 0;
  let batches = 0;
  let records = 0;
  for await (const batch of source()) {
    if (batch.rows === 0) continue;
    if (shift === undefined) {
      shift = hp.subtractMean
        ? Float64Array.from(batch.features.subarray(0, dim))
        : new Float64Array(dim);
      const task: PassTask = start
        ? { kind: 'project', shift, basis: start.values, width: start.width }
        : { kind: 'scatter', shift };
      shards.begin(task);
    }
    bytes += batch.rows * dim * 4;
    if (keep && bytes > budget) {
      shards.forget();
      keep = false;
      events.info(
        `The records outgrow ${budget} bytes; later passes read the channel again instead of replaying them from memory`,
      );
    }
    batches++;
    records += batch.rows;
    await shards.add({ features: batch.features, rows: batch.rows }, keep);
    events.batch({ batches, records });
  }
  if (shift === undefined)
    throw new DataFormatError('The train channel has no records; PCA needs at least one.');
  return { sums: await shards.finish(), shift, kept: keep };
}

/** A further pass for randomized mode on wide data: `C · Q`, about the first pass's mean. */
export async function productPass(
  basis: Block,
  context: {
    source: BatchSource;
    hp: PcaHyperparameters;
    moments: Moments;
    shards: Shards;
    kept: boolean;
  },
): Promise<Float64Array> {
  const { source, hp, moments, shards } = context;
  const shift = hp.subtractMean ? moments.mean : new Float64Array(hp.featureDim);
  shards.begin({ kind: 'project', shift, basis: basis.values, width: basis.width });
  if (context.kept) shards.replay();
  else
    for await (const batch of source())
      if (batch.rows > 0) await shards.add({ features: batch.features, rows: batch.rows }, false);
  const sums = await shards.finish();
  return centerProduct(sums, { basis, subtractMean: hp.subtractMean });
}
