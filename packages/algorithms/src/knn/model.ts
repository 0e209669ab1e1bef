import type { IndexMetric, PredictorType } from './hyperparameters.js';
import type { Similarity } from './panels.js';
import { type Projection, type Reduction, createProjection } from './reduction.js';
import type { StoredIndex } from './stored-index.js';

/** A trained k-NN model: how queries are transformed, the index, and the labels it returns. */
export interface KnnModel {
  k: number;
  predictorType: PredictorType;
  featureDim: number;
  metric: IndexMetric;
  reduction?: Reduction;
  /** Coordinates the index holds: after reduction, and zero-padding for IVFPQ. */
  indexDim: number;
  index: StoredIndex;
  /** One label per stored vector, in the index's order. */
  labels: Float32Array;
}

/** How an index metric scores: COSINE is the inner product of normalized vectors. */
export function similarityOf(metric: IndexMetric): Similarity {
  return metric === 'L2' ? 'l2' : 'ip';
}

/**
 * Turns feature rows into the vectors the index holds, as training did: reduce the dimension,
 * zero-pad to `indexDim`, and normalize to unit length for COSINE.
 */
export function createVectorTransform(
  model: Pick<KnnModel, 'featureDim' | 'metric' | 'reduction' | 'indexDim'>,
): (rows: Float32Array, count: number) => Float32Array {
  const project: Projection | undefined = model.reduction && createProjection(model.reduction);
  const { indexDim, metric } = model;
  return (rows, count) => {
    let vectors = project ? project(rows, count) : rows;
    const dim = vectors.length / Math.max(1, count);
    if (dim < indexDim) vectors = pad(vectors, { count, dim, to: indexDim });
    if (metric === 'COSINE') normalize(vectors, indexDim);
    return vectors;
  };
}

function pad(
  vectors: Float32Array,
  shape: { count: number; dim: number; to: number },
): Float32Array {
  const { count, dim, to } = shape;
  const out = new Float32Array(count * to);
  for (let i = 0; i < count; i++) out.set(vectors.subarray(i * dim, (i + 1) * dim), i * to);
  return out;
}

/** Scales every row to unit length in place (zero rows stay zero). */
function normalize(vectors: Float32Array, dim: number): void {
  for (let at = 0; at < vectors.length; at += dim) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += vectors[at + j]! * vectors[at + j]!;
    if (norm === 0) continue;
    const scale = 1 / Math.sqrt(norm);
    for (let j = 0; j < dim; j++) vectors[at + j]! *= scale;
  }
}
