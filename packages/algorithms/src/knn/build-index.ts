import type { Random } from '../common/random.js';
import { nearestCentroids, trainKMeans } from './kmeans.js';
import type { Similarity } from './panels.js';
import { trainProductQuantizer, encodeResiduals } from './product-quantizer.js';
import type { IndexType, StoredIndex, StoredLists } from './stored-index.js';

/** What an index is built from and how. */
export interface IndexSpec {
  type: IndexType;
  similarity: Similarity;
  /** IVF: how queries choose lists (COSINE probes by L2 on normalized vectors). */
  probe: Similarity;
  dim: number;
  /** IVF: number of lists (at most the number of vectors). */
  nlists: number;
  /** IVF: lists a query scans. */
  nprobe: number;
  /** IVFPQ: sub-quantizers, dividing `dim`. */
  m: number;
  random: Random;
}

/**
 * Builds an index over row-major vectors. Returns it with `order`: the sample index of each
 * stored vector, so labels can be stored in the same order (IVF indexes group vectors by list).
 */
export function buildIndex(
  vectors: Float32Array,
  spec: IndexSpec,
): { index: StoredIndex; order: Int32Array } {
  const { dim, similarity } = spec;
  const count = vectors.length / dim;
  if (spec.type === 'faiss.Flat')
    return {
      index: { type: 'faiss.Flat', similarity, dim, vectors },
      order: Int32Array.from({ length: count }, (_, i) => i),
    };
  const nlists = Math.min(spec.nlists, count);
  // 64 points per centroid (faiss takes up to 256): coarse lists need no finer centroids.
  const centroids = trainKMeans(
    vectors,
    { dim, k: nlists },
    { random: spec.random, maxPointsPerCentroid: 64, iterations: 20 },
  );
  const assignment = nearestCentroids(vectors, centroids, dim);
  const { order, listSizes } = groupByList(assignment, nlists);
  const grouped = new Float32Array(count * dim);
  for (let i = 0; i < count; i++)
    grouped.set(vectors.subarray(order[i]! * dim, (order[i]! + 1) * dim), i * dim);
  const lists: StoredLists = {
    centroids,
    listSizes,
    probe: spec.probe,
    nprobe: Math.min(spec.nprobe, nlists),
  };
  if (spec.type === 'faiss.IVFFlat')
    return { index: { type: 'faiss.IVFFlat', similarity, dim, vectors: grouped, ...lists }, order };
  const residuals = residualsOf(grouped, { centroids, listSizes, dim });
  const quantizer = trainProductQuantizer(residuals, { dim, m: spec.m, random: spec.random });
  const codes = encodeResiduals(residuals, quantizer);
  return {
    index: {
      type: 'faiss.IVFPQ',
      similarity: 'l2',
      dim,
      ...lists,
      m: quantizer.m,
      ksub: quantizer.ksub,
      codebooks: quantizer.codebooks,
      codes,
    },
    order,
  };
}

/** A stable grouping of points by list: `order[i]` is the point stored at position i. */
export function groupByList(
  assignment: Int32Array,
  nlists: number,
): { order: Int32Array; listSizes: Int32Array } {
  const listSizes = new Int32Array(nlists);
  for (const list of assignment) listSizes[list]!++;
  const next = new Int32Array(nlists);
  for (let l = 1; l < nlists; l++) next[l] = next[l - 1]! + listSizes[l - 1]!;
  const order = new Int32Array(assignment.length);
  assignment.forEach((list, i) => (order[next[list]!++] = i));
  return { order, listSizes };
}

/** Each grouped vector minus its list's centroid. */
export function residualsOf(
  grouped: Float32Array,
  lists: { centroids: Float32Array; listSizes: Int32Array; dim: number },
): Float32Array {
  const { centroids, listSizes, dim } = lists;
  const out = new Float32Array(grouped.length);
  let row = 0;
  for (let l = 0; l < listSizes.length; l++)
    for (let i = 0; i < listSizes[l]!; i++, row++)
      for (let j = 0; j < dim; j++)
        out[row * dim + j] = grouped[row * dim + j]! - centroids[l * dim + j]!;
  return out;
}
