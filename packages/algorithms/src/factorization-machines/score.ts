import type { SparseBatch } from '../data/sparse-batch.js';
import type { FmWeights } from './weights.js';

/**
 * The model's raw output for every row of a batch,
 * ŷ = w0 + Σ w_i x_i + ½ Σ_f [(Σ_i v_if x_i)² − Σ_i v_if² x_i²] (Rendle's identity for the
 * pairwise term Σ_{i<j} ⟨v_i, v_j⟩ x_i x_j), in O(nnz · k). The batch must have the model's width.
 */
export function scoreBatch(weights: FmWeights, batch: SparseBatch): Float64Array {
  const k = weights.numFactors;
  const { linear, factors } = weights;
  const bias = weights.bias[0]!;
  const { offsets, indices, values, rows } = batch;
  const out = new Float64Array(rows);
  const sums = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    sums.fill(0);
    let y = bias;
    let squares = 0;
    const end = offsets[r + 1]!;
    for (let p = offsets[r]!; p < end; p++) {
      const i = indices[p]!;
      const x = values[p]!;
      y += linear[i]! * x;
      const vb = i * k;
      for (let f = 0; f < k; f++) {
        const t = factors[vb + f]! * x;
        sums[f]! += t;
        squares += t * t;
      }
    }
    let total = 0;
    for (let f = 0; f < k; f++) total += sums[f]! * sums[f]!;
    out[r] = y + 0.5 * (total - squares);
  }
  return out;
}
