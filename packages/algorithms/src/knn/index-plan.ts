import type { IndexSpec } from './build-index.js';
import { type KnnHyperparameters, defaultPqM } from './hyperparameters.js';
import { similarityOf } from './model.js';
import type { Reduction } from './reduction.js';

/** The fixed seed of k-NN's sampling, projections and clustering (SageMaker has no seed hyperparameter). */
export const KNN_SEED = 0x6b6e6e;

/** What training builds: the projection, the index's dimension, and the index itself. */
export interface IndexPlan {
  reduction?: Reduction;
  indexDim: number;
  spec: Omit<IndexSpec, 'random'>;
  /** Plinth's decisions worth a log line. */
  notes: string[];
}

/**
 * Resolves the hyperparameters for `count` sampled vectors: `faiss_index_ivf_nlists=auto` is
 * `round(√sample_size)` (at most `count`), queries probe `⌈√nlists⌉` lists, and for IVFPQ the data
 * dimension grows to a multiple of `faiss_index_pq_m` as SageMaker does (zero padding, or a larger
 * `dimension_reduction_target`).
 */
export function planIndex(hp: KnnHyperparameters, count: number): IndexPlan {
  const notes: string[] = [];
  const pq = hp.indexType === 'faiss.IVFPQ';
  let dim = hp.dimensionReduction?.target ?? hp.featureDim;
  const m = pq ? (hp.faissIndexPqM ?? defaultPqM(dim)) : 1;
  const grown = Math.ceil(dim / m) * m;
  if (grown !== dim)
    notes.push(
      hp.dimensionReduction
        ? `dimension_reduction_target raised from ${dim} to ${grown}, a multiple of faiss_index_pq_m=${m}`
        : `vectors zero-padded from ${dim} to ${grown} coordinates, a multiple of faiss_index_pq_m=${m}`,
    );
  dim = grown;
  const requested =
    hp.faissIndexIvfNlists === 'auto'
      ? Math.max(1, Math.round(Math.sqrt(hp.sampleSize)))
      : hp.faissIndexIvfNlists;
  const nlists = Math.min(requested, count);
  if (hp.indexType !== 'faiss.Flat' && nlists < requested)
    notes.push(
      `faiss_index_ivf_nlists lowered from ${requested} to ${nlists}, the number of sampled vectors`,
    );
  const plan: IndexPlan = {
    indexDim: dim,
    spec: {
      type: hp.indexType,
      similarity: similarityOf(hp.indexMetric),
      // COSINE searches normalized vectors, whose nearest centroids by L2 hold their best matches.
      probe: hp.indexMetric === 'INNER_PRODUCT' ? 'ip' : 'l2',
      dim,
      nlists,
      nprobe: Math.ceil(Math.sqrt(nlists)),
      m,
    },
    notes,
  };
  if (hp.dimensionReduction)
    plan.reduction = {
      type: hp.dimensionReduction.type,
      seed: KNN_SEED,
      inputDim: hp.featureDim,
      targetDim: dim,
    };
  return plan;
}
