import { DataFormatError, type FeatureBatch } from '../data/index.js';
import type { LinearLearnerHyperparameters } from './hyperparameters.js';

/** How raw features and labels map to the normalized space the models train in. */
export interface Normalization {
  /** x' = (x - featureShift) / featureScale, per feature. */
  featureShift: Float64Array;
  featureScale: Float64Array;
  /** Regression target y' = (y - labelShift) / labelScale; 0 and 1 for classifiers. */
  labelShift: number;
  labelScale: number;
}

/** What the first `num_point_for_scaler` training records tell: shape, scaling, class counts. */
export interface ScalerSample {
  dim: number;
  rows: number;
  normalization: Normalization;
  /** Records per class (classifiers); empty for regression. */
  classCounts: Float64Array;
}

/**
 * Reads up to `num_point_for_scaler` records, as SageMaker does before training, to learn the
 * feature count, the normalization (mean and standard deviation) and the class balance.
 */
export async function sampleScaler(
  source: AsyncIterable<FeatureBatch>,
  hp: LinearLearnerHyperparameters,
): Promise<ScalerSample> {
  let dim = 0;
  let rows = 0;
  let sum = new Float64Array(0);
  let squares = new Float64Array(0);
  let labelSum = 0;
  let labelSquares = 0;
  const regressor = hp.predictorType === 'regressor';
  const classCounts = new Float64Array(regressor ? 0 : hp.numClasses);
  for await (const batch of source) {
    if (rows === 0) {
      dim = batch.dim;
      sum = new Float64Array(dim);
      squares = new Float64Array(dim);
    }
    const take = Math.min(batch.rows, hp.numPointForScaler - rows);
    const labels = requireLabels(batch, 'train');
    for (let r = 0; r < take; r++) {
      for (let j = 0; j < dim; j++) {
        const v = batch.features[r * dim + j]!;
        sum[j]! += v;
        squares[j]! += v * v;
      }
      const y = checkLabel(labels[r]!, { hp, channel: 'train' });
      labelSum += y;
      labelSquares += y * y;
      if (!regressor) classCounts[y]! += 1;
    }
    rows += take;
    if (rows >= hp.numPointForScaler) break;
  }
  if (rows === 0) throw new DataFormatError("The 'train' channel holds no records.");
  const featureShift = new Float64Array(dim);
  const featureScale = new Float64Array(dim).fill(1);
  for (let j = 0; j < dim; j++) {
    const mean = sum[j]! / rows;
    if (hp.unbiasData) featureShift[j] = mean;
    if (hp.normalizeData) featureScale[j] = spread(mean, squares[j]! / rows);
  }
  const labelMean = labelSum / rows;
  const normalization: Normalization = {
    featureShift,
    featureScale,
    labelShift: hp.unbiasLabel ? labelMean : 0,
    labelScale: hp.normalizeLabel ? spread(labelMean, labelSquares / rows) : 1,
  };
  return { dim, rows, normalization, classCounts };
}

/** Standard deviation from E[x] and E[x²]; 1 for a (near) constant column, which cannot be scaled. */
function spread(mean: number, meanOfSquares: number): number {
  const sd = Math.sqrt(Math.max(0, meanOfSquares - mean * mean));
  return sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 1;
}

/** A batch's labels, or a message saying where linear-learner expects them. */
export function requireLabels(batch: FeatureBatch, channel: string): Float32Array {
  if (batch.labels !== undefined) return batch.labels;
  throw new DataFormatError(
    `The '${channel}' channel's records have no labels; linear-learner needs a label on every record: the first CSV column (do not set label_size=0) or each RecordIO record's label.`,
  );
}

/** Checks one label against the predictor type and returns it. */
export function checkLabel(
  label: number,
  context: { hp: LinearLearnerHyperparameters; channel: string },
): number {
  const { hp, channel } = context;
  if (hp.predictorType === 'regressor') {
    if (Number.isFinite(label)) return label;
    throw new DataFormatError(
      `The '${channel}' channel has a label ${label}; labels must be finite numbers.`,
    );
  }
  if (Number.isInteger(label) && label >= 0 && label < hp.numClasses) return label;
  const expected =
    hp.predictorType === 'binary_classifier'
      ? 'predictor_type=binary_classifier needs labels 0 and 1'
      : `predictor_type=multiclass_classifier with num_classes=${hp.numClasses} needs labels 0 to ${hp.numClasses - 1}`;
  throw new DataFormatError(`The '${channel}' channel has a label ${label}; ${expected}.`);
}

/**
 * Per-class example weights: binary `[1, positive_example_weight_mult]` (`balanced` makes
 * positives weigh negatives/positives), multiclass equalized by `balance_multiclass_weights`.
 */
export function classWeights(
  hp: LinearLearnerHyperparameters,
  counts: Float64Array,
): Float64Array | undefined {
  if (hp.predictorType === 'binary_classifier') {
    const mult = hp.positiveExampleWeightMult;
    const positives = counts[1]!;
    const balanced = positives > 0 ? counts[0]! / positives : 1;
    return Float64Array.of(1, mult === 'balanced' ? balanced : mult === 'auto' ? 1 : mult);
  }
  if (hp.predictorType === 'multiclass_classifier' && hp.balanceMulticlassWeights) {
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((n) => (n > 0 ? total / (hp.numClasses * n) : 1));
  }
  return undefined;
}
