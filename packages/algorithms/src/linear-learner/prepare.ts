import type { FeatureBatch } from '../data/index.js';
import type { LinearLearnerHyperparameters } from './hyperparameters.js';
import type { PreparedBatch } from './linear-model.js';
import { type Normalization, checkLabel, requireLabels } from './scaler.js';

/** What {@link BatchPreparer} needs to turn raw batches into training input. */
export interface PrepareContext {
  hp: LinearLearnerHyperparameters;
  normalization: Normalization;
  /** Example weight per class; every row weighs 1 when undefined. */
  classWeights?: Float64Array;
}

/**
 * Normalizes a batch once for all parallel models and checks its labels. Buffers are reused,
 * so a prepared batch is only valid until the next call.
 */
export class BatchPreparer {
  #x = new Float64Array(0);
  #labels = new Float64Array(0);
  #weights = new Float64Array(0);

  constructor(readonly context: PrepareContext) {}

  prepare(batch: FeatureBatch, channel: string): PreparedBatch {
    const { hp, normalization: n, classWeights } = this.context;
    const { rows, dim } = batch;
    if (this.#x.length < rows * dim) this.#x = new Float64Array(rows * dim);
    if (this.#labels.length < rows) {
      this.#labels = new Float64Array(rows);
      this.#weights = new Float64Array(rows);
    }
    const x = this.#x.subarray(0, rows * dim);
    normalizeRows(batch.features, n, x);
    const raw = requireLabels(batch, channel);
    const labels = this.#labels.subarray(0, rows);
    const weights = this.#weights.subarray(0, rows);
    for (let r = 0; r < rows; r++) {
      const y = checkLabel(raw[r]!, { hp, channel });
      labels[r] = hp.predictorType === 'regressor' ? (y - n.labelShift) / n.labelScale : y;
      weights[r] = classWeights === undefined ? 1 : classWeights[y]!;
    }
    return { x, labels, weights, rows };
  }
}

/**
 * Writes (x - shift) / scale for every row of row-major `features` into `out`, multiplying by
 * the reciprocal of each scale: a division per value was a sixth of a cheap model's epoch.
 */
export function normalizeRows(features: Float32Array, n: Normalization, out: Float64Array): void {
  const shift = n.featureShift;
  const dim = shift.length;
  const inverse = n.featureScale.map((scale) => 1 / scale);
  for (let base = 0; base < out.length; base += dim)
    for (let j = 0; j < dim; j++) out[base + j] = (features[base + j]! - shift[j]!) * inverse[j]!;
}
