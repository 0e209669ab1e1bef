import type { StoredIvfPq } from './stored-index.js';

/**
 * The query-independent part of IVFPQ's asymmetric distance, as faiss precomputes it: for a
 * vector coded `r` in list l, `‖q − c_l − r‖² = ‖q − c_l‖² + Σ_j (‖r_j‖² + 2 c_lj·r_j − 2 q_j·r_j)`;
 * this is `‖r_j‖² + 2 c_lj·r_j` for every list, sub-quantizer j and code.
 */
export function residualCodeTerms(index: StoredIvfPq): Float32Array {
  const { dim, m, ksub, codebooks, centroids } = index;
  const nlists = index.listSizes.length;
  const dsub = dim / m;
  const terms = new Float32Array(nlists * m * ksub);
  for (let l = 0; l < nlists; l++)
    for (let j = 0; j < m; j++)
      for (let c = 0; c < ksub; c++) {
        let sum = 0;
        for (let s = 0; s < dsub; s++) {
          const r = codebooks[(j * ksub + c) * dsub + s]!;
          sum += r * r + 2 * centroids[l * dim + j * dsub + s]! * r;
        }
        terms[(l * m + j) * ksub + c] = sum;
      }
  return terms;
}

/** `q_j · r` for every sub-quantizer j and code: the query's half of the ADC table. */
export function queryCodeProducts(
  query: { vectors: Float32Array; at: number },
  pq: { dim: number; m: number; ksub: number; codebooks: Float32Array },
  out: Float32Array,
): void {
  const { vectors, at } = query;
  const { dim, m, ksub, codebooks } = pq;
  const dsub = dim / m;
  for (let j = 0; j < m; j++)
    for (let c = 0; c < ksub; c++) {
      let sum = 0;
      for (let s = 0; s < dsub; s++)
        sum += vectors[at + j * dsub + s]! * codebooks[(j * ksub + c) * dsub + s]!;
      out[j * ksub + c] = sum;
    }
}
