import type { FeatureBatch } from '../data/index.js';
import type { PcaModel } from './model.js';

/** How well a model reconstructs records from their projections. */
export interface Reconstruction {
  records: number;
  /** `Σ ‖y − P Pᵀ y‖²`, y the record less the mean (or the record, without subtract_mean). */
  residual: number;
  /** `Σ ‖y‖²`: what the residual is measured against. */
  total: number;
}

/**
 * Scores records by reconstruction: each is projected onto the components and back, and the
 * squared distance to its reconstruction is summed. `residual / records` is the test msd that
 * training logs; `1 − residual / total` the share of the records' variation the model keeps.
 */
export async function scoreReconstruction(
  batches: AsyncIterable<FeatureBatch>,
  model: PcaModel,
): Promise<Reconstruction> {
  const { dim, count, mean, components, subtractMean } = model;
  const y = new Float64Array(dim);
  const p = new Float64Array(count);
  let records = 0;
  let residual = 0;
  let total = 0;
  for await (const batch of batches) {
    const x = batch.features;
    for (let r = 0; r < batch.rows; r++) {
      const at = r * dim;
      for (let j = 0; j < dim; j++) {
        y[j] = x[at + j]! - (subtractMean ? mean[j]! : 0);
        total += y[j]! * y[j]!;
      }
      for (let i = 0; i < count; i++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += y[j]! * components[i * dim + j]!;
        p[i] = s;
      }
      for (let i = 0; i < count; i++)
        for (let j = 0; j < dim; j++) y[j]! -= p[i]! * components[i * dim + j]!;
      for (let j = 0; j < dim; j++) residual += y[j]! * y[j]!;
    }
    records += batch.rows;
  }
  return { records, residual, total };
}
