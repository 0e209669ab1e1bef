import { HyperparameterError } from '../common/errors.js';
import type { Random } from '../common/random.js';
import { DataFormatError } from '../data/errors.js';
import type { SparseBatch } from '../data/sparse-batch.js';
import type { BatchSource } from '../data/batch-cache.js';
import type { FmHyperparameters, PredictorType } from './hyperparameters.js';
import { FmMetrics } from './metrics.js';
import {
  type LabelledBatch,
  LocalStepRunner,
  type StepRunner,
  copyIntoState,
  copyWeights,
  createKernelState,
  kernelSettings,
} from './step-runner.js';
import { ThreadedStepRunner } from './threaded-steps.js';
import { type FmWeights, allocateWeights, initializeWeights } from './weights.js';

/** The fixed seed of the initial weights, so the same data and hyperparameters give the same model. */
export const FM_SEED = 0x46_4d;

/** What {@link fitFm} reports after each epoch. */
export interface EpochSummary {
  /** Counted from 0, as SageMaker logs epochs. */
  epoch: number;
  records: number;
  seconds: number;
  /** Metrics over the epoch's mini-batches, each scored just before its step. */
  metrics: FmMetrics;
}

/** What {@link fitFm} trains on and how. */
export interface FitFmOptions {
  hp: FmHyperparameters;
  /** A fresh pass over the training records on every call. */
  train: BatchSource<SparseBatch>;
  random: Random;
  /** 1: in this thread; more: worker threads too (compiled package only). */
  threads: number;
}

/**
 * Trains a factorization machine: initial weights as the `*_init_*` hyperparameters say, then
 * `epochs` passes over the training records in order, one Adam step per mini-batch on the
 * logistic (binary_classifier) or squared (regressor) loss.
 */
export async function fitFm(
  options: FitFmOptions,
  onEpoch: (summary: EpochSummary) => void,
): Promise<FmWeights> {
  const { hp, threads } = options;
  const shared = threads > 1;
  const { weights, state } = allocate(hp, shared);
  initializeWeights(weights, { hp, random: options.random });
  copyIntoState(weights, state);
  const settings = kernelSettings(hp);
  const runner: StepRunner = shared
    ? new ThreadedStepRunner(settings, { state, threads, batchRows: hp.miniBatchSize })
    : new LocalStepRunner(settings, state);
  try {
    for (let epoch = 0; epoch < hp.epochs; epoch++) {
      const started = performance.now();
      const metrics = new FmMetrics(hp.predictorType);
      for await (const batch of options.train()) {
        const labelled = checkLabels(batch, {
          type: hp.predictorType,
          before: metrics.rows,
          channel: 'train',
        });
        metrics.add(runner.step(labelled), labelled.labels, batch.rows);
      }
      if (metrics.rows === 0)
        throw new DataFormatError("The 'train' channel holds no records to train on.");
      const seconds = (performance.now() - started) / 1000;
      onEpoch({ epoch, records: metrics.rows, seconds, metrics });
    }
  } finally {
    await runner.close();
  }
  return copyWeights(state, weights);
}

/** The weights and the training state, or a failure saying how much memory they need. */
function allocate(
  hp: FmHyperparameters,
  shared: boolean,
): { weights: FmWeights; state: ReturnType<typeof createKernelState> } {
  try {
    const weights = allocateWeights(hp);
    return { weights, state: createKernelState(weights, shared) };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const gib = (16 * hp.featureDim * (hp.numFactors + 1)) / 2 ** 30;
    throw new HyperparameterError(
      `feature_dim=${hp.featureDim} × num_factors=${hp.numFactors} needs about ${gib.toFixed(1)} GiB for the weights and Adam's moments, more than this host could allocate (${error.message}). Lower num_factors, or hash the features into a smaller feature_dim.`,
    );
  }
}

/** Fails on a label the loss cannot take: not 0 or 1 for binary_classifier, not finite for regressor. */
export function checkLabels(
  batch: SparseBatch,
  at: { type: PredictorType; before: number; channel: string },
): LabelledBatch {
  const { labels } = batch;
  if (labels === undefined)
    throw new DataFormatError(`The '${at.channel}' channel's records carry no labels.`);
  for (let r = 0; r < batch.rows; r++) {
    const y = labels[r]!;
    const ok = at.type === 'binary_classifier' ? y === 0 || y === 1 : Number.isFinite(y);
    if (!ok)
      throw new DataFormatError(
        `The '${at.channel}' channel's record ${at.before + r + 1} has the label ${y}; predictor_type=${at.type} needs ${at.type === 'binary_classifier' ? 'labels 0 or 1' : 'finite labels'}.`,
      );
  }
  return { ...batch, labels };
}
