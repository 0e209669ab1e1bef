import type { Random } from '../common/random.js';
import { nearestCentroids, trainKMeans } from './kmeans.js';

/** Centroids per sub-quantizer: 8-bit codes. */
export const PQ_CENTROIDS = 256;

/** A product quantizer: `m` sub-quantizers of `ksub` centroids over `dim / m` coordinates each. */
export interface ProductQuantizer {
  dim: number;
  m: number;
  ksub: number;
  /** `m × ksub × dsub` floats: sub-quantizer j's centroid c at `(j·ksub + c)·dsub`. */
  codebooks: Float32Array;
}

/**
 * Trains one k-means per sub-vector (as faiss's ProductQuantizer: 256 centroids, 8-bit codes,
 * fewer when there are fewer than 256 vectors), on at most 64 vectors per centroid.
 */
export function trainProductQuantizer(
  vectors: Float32Array,
  shape: { dim: number; m: number; random: Random },
): ProductQuantizer {
  const { dim, m, random } = shape;
  const dsub = dim / m;
  const n = vectors.length / dim;
  const ksub = Math.min(PQ_CENTROIDS, n);
  const codebooks = new Float32Array(m * ksub * dsub);
  for (let j = 0; j < m; j++) {
    const sub = subVectors(vectors, { dim, dsub, j });
    const centroids = trainKMeans(
      sub,
      { dim: dsub, k: ksub },
      { random, maxPointsPerCentroid: 64 },
    );
    codebooks.set(centroids, j * ksub * dsub);
  }
  return { dim, m, ksub, codebooks };
}

/** The `m` codes of every vector: its nearest centroid in each sub-quantizer. */
export function encodeResiduals(vectors: Float32Array, pq: ProductQuantizer): Uint8Array {
  const { dim, m, ksub, codebooks } = pq;
  const dsub = dim / m;
  const n = vectors.length / dim;
  const codes = new Uint8Array(n * m);
  for (let j = 0; j < m; j++) {
    const nearest = nearestCentroids(
      subVectors(vectors, { dim, dsub, j }),
      codebooks.subarray(j * ksub * dsub, (j + 1) * ksub * dsub),
      dsub,
    );
    for (let i = 0; i < n; i++) codes[i * m + j] = nearest[i]!;
  }
  return codes;
}

function subVectors(
  vectors: Float32Array,
  at: { dim: number; dsub: number; j: number },
): Float32Array {
  const { dim, dsub, j } = at;
  const n = vectors.length / dim;
  const out = new Float32Array(n * dsub);
  for (let i = 0; i < n; i++)
    for (let s = 0; s < dsub; s++) out[i * dsub + s] = vectors[i * dim + j * dsub + s]!;
  return out;
}
