import { describe, expect, it } from 'vitest';
import { hyperparameterFailure } from '../testing/hyperparameter-failure.js';
import { defaultPqM, parseHyperparameters } from './hyperparameters.js';

const base = { feature_dim: '10', k: '5', predictor_type: 'classifier', sample_size: '1000' };

function failure(extra: Record<string, unknown>): string {
  return hyperparameterFailure(parseHyperparameters, { base, extra });
}

describe('k-NN parseHyperparameters', () => {
  it("fills SageMaker's defaults", () => {
    expect(parseHyperparameters(base)).toEqual({
      featureDim: 10,
      k: 5,
      predictorType: 'classifier',
      sampleSize: 1000,
      indexType: 'faiss.Flat',
      indexMetric: 'L2',
      faissIndexIvfNlists: 'auto',
      miniBatchSize: 5000,
    });
  });

  it('reads every optional hyperparameter', () => {
    const hp = parseHyperparameters({
      ...base,
      predictor_type: 'regressor',
      dimension_reduction_type: 'fjlt',
      dimension_reduction_target: '4',
      index_type: 'faiss.IVFPQ',
      index_metric: 'L2',
      faiss_index_ivf_nlists: '12',
      faiss_index_pq_m: '2',
      mini_batch_size: '100',
      force_dense: 'True',
      _tuning_objective_metric: 'test:mse',
    });
    expect(hp).toMatchObject({
      predictorType: 'regressor',
      dimensionReduction: { type: 'fjlt', target: 4 },
      indexType: 'faiss.IVFPQ',
      faissIndexIvfNlists: 12,
      faissIndexPqM: 2,
      miniBatchSize: 100,
    });
  });

  it('allows COSINE and INNER_PRODUCT with the Flat and IVFFlat indexes', () => {
    for (const index_type of ['faiss.Flat', 'faiss.IVFFlat'])
      for (const index_metric of ['COSINE', 'INNER_PRODUCT'])
        expect(parseHyperparameters({ ...base, index_type, index_metric }).indexMetric).toBe(
          index_metric,
        );
  });

  it('ignores dimension_reduction_target without dimension_reduction_type', () => {
    expect(
      parseHyperparameters({ ...base, dimension_reduction_target: '3' }).dimensionReduction,
    ).toBeUndefined();
  });

  it.each([
    [
      { feature_dim: undefined },
      "Missing required hyperparameter 'feature_dim' (a positive integer).",
    ],
    [{ k: undefined }, "Missing required hyperparameter 'k' (a positive integer)."],
    [
      { sample_size: undefined },
      "Missing required hyperparameter 'sample_size' (a positive integer).",
    ],
    [
      { predictor_type: undefined },
      "Missing required hyperparameter 'predictor_type' ('classifier' or 'regressor').",
    ],
    [{ k: '0' }, "Hyperparameter 'k' must be a positive integer, got '0'."],
    [{ sample_size: '1.5' }, "Hyperparameter 'sample_size' must be a positive integer, got '1.5'."],
    [{ feature_dim: 'x' }, "Hyperparameter 'feature_dim' must be a positive integer, got 'x'."],
    [
      { predictor_type: 'classification' },
      "Hyperparameter 'predictor_type' must be one of 'classifier', 'regressor', got 'classification'.",
    ],
    [
      { index_type: 'faiss.HNSW' },
      "Hyperparameter 'index_type' must be one of 'faiss.Flat', 'faiss.IVFFlat', 'faiss.IVFPQ', got 'faiss.HNSW'.",
    ],
    [
      { index_metric: 'l2' },
      "Hyperparameter 'index_metric' must be one of 'L2', 'INNER_PRODUCT', 'COSINE', got 'l2'.",
    ],
    [
      { index_type: 'faiss.IVFPQ', index_metric: 'COSINE' },
      "Hyperparameter 'index_metric' must be 'L2' when index_type is 'faiss.IVFPQ' (INNER_PRODUCT and COSINE are not supported with it), got 'COSINE'.",
    ],
    [
      { index_type: 'faiss.IVFPQ', index_metric: 'INNER_PRODUCT' },
      "must be 'L2' when index_type is 'faiss.IVFPQ'",
    ],
    [
      { dimension_reduction_type: 'pca', dimension_reduction_target: '3' },
      "Hyperparameter 'dimension_reduction_type' must be one of 'sign', 'fjlt', got 'pca'.",
    ],
    [
      { dimension_reduction_type: 'sign' },
      "Hyperparameter 'dimension_reduction_target' is required when dimension_reduction_type is set (a positive integer less than feature_dim=10).",
    ],
    [
      { dimension_reduction_type: 'sign', dimension_reduction_target: '10' },
      "Hyperparameter 'dimension_reduction_target' must be a positive integer less than feature_dim=10, got '10'.",
    ],
    [
      { dimension_reduction_type: 'sign', dimension_reduction_target: '0' },
      "less than feature_dim=10, got '0'",
    ],
    [
      { faiss_index_ivf_nlists: '0' },
      "Hyperparameter 'faiss_index_ivf_nlists' must be a positive integer or 'auto', got '0'.",
    ],
    [
      { faiss_index_pq_m: '5' },
      "Hyperparameter 'faiss_index_pq_m' must be one of 1, 2, 3, 4, 8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 96, got '5'.",
    ],
    [
      { mini_batch_size: '0' },
      "Hyperparameter 'mini_batch_size' must be a positive integer, got '0'.",
    ],
    [
      { epochs: '3' },
      "Unknown hyperparameter 'epochs'. k-NN accepts: feature_dim, k, predictor_type",
    ],
  ])('rejects %j', (extra, message) => {
    expect(failure(extra)).toContain(message);
  });

  it('chooses faiss_index_pq_m with two or more coordinates per sub-quantizer', () => {
    expect([1, 3, 4, 10, 20, 50, 500].map(defaultPqM)).toEqual([1, 1, 2, 4, 8, 24, 96]);
  });
});
