import { describe, expect, it } from 'vitest';
import { hyperparameterFailure } from '../testing/hyperparameter-failure.js';
import { parseHyperparameters } from './hyperparameters.js';

const base = { k: '3', feature_dim: '2' };

function failure(extra: Record<string, unknown>): string {
  return hyperparameterFailure(parseHyperparameters, { base, extra });
}

describe('parseHyperparameters', () => {
  it('fills SageMaker defaults from string values', () => {
    expect(parseHyperparameters(base)).toEqual({
      k: 3,
      featureDim: 2,
      miniBatchSize: 5000,
      epochs: 1,
      initMethod: 'random',
      extraCenterFactor: 'auto',
      localLloydMaxIter: 300,
      localLloydTol: 0.0001,
      localLloydInitMethod: 'kmeans++',
      localLloydNumTrials: 'auto',
      halfLifeTimeSize: 0,
      evalMetrics: ['msd'],
    });
  });

  it('reads every optional hyperparameter', () => {
    const hp = parseHyperparameters({
      ...base,
      mini_batch_size: '100',
      epochs: '4',
      init_method: 'kmeans++',
      extra_center_factor: '5',
      local_lloyd_max_iter: '50',
      local_lloyd_tol: '0.01',
      local_lloyd_init_method: 'random',
      local_lloyd_num_trials: '2',
      half_life_time_size: '1000',
      eval_metrics: '["msd","ssd"]',
      force_dense: 'True',
    });
    expect(hp).toMatchObject({
      miniBatchSize: 100,
      epochs: 4,
      initMethod: 'kmeans++',
      extraCenterFactor: 5,
      localLloydMaxIter: 50,
      localLloydTol: 0.01,
      localLloydInitMethod: 'random',
      localLloydNumTrials: 2,
      halfLifeTimeSize: 1000,
      evalMetrics: ['msd', 'ssd'],
    });
  });

  it('accepts eval_metrics wrapped in single quotes, as the console shows it', () => {
    expect(parseHyperparameters({ ...base, eval_metrics: `'["ssd"]'` }).evalMetrics).toEqual([
      'ssd',
    ]);
  });

  it.each([
    [{ k: undefined }, "Missing required hyperparameter 'k' (a positive integer)."],
    [{ feature_dim: undefined }, "Missing required hyperparameter 'feature_dim'"],
    [{ k: '0' }, "Hyperparameter 'k' must be a positive integer, got '0'."],
    [{ k: '2.5' }, "Hyperparameter 'k' must be a positive integer, got '2.5'."],
    [{ feature_dim: 'ten' }, "Hyperparameter 'feature_dim' must be a positive integer"],
    [{ mini_batch_size: '-1' }, "'mini_batch_size' must be a positive integer"],
    [{ epochs: '' }, "'epochs' must be a positive integer, got ''"],
    [{ init_method: 'kmeans' }, "'init_method' must be 'random' or 'kmeans++', got 'kmeans'"],
    [{ local_lloyd_init_method: 'x' }, "'local_lloyd_init_method' must be 'random' or 'kmeans++'"],
    [{ extra_center_factor: '0' }, "'extra_center_factor' must be a positive integer or 'auto'"],
    [
      { local_lloyd_num_trials: 'many' },
      "'local_lloyd_num_trials' must be a positive integer or 'auto'",
    ],
    [{ local_lloyd_max_iter: '0' }, "'local_lloyd_max_iter' must be a positive integer"],
    [{ local_lloyd_tol: '2' }, "'local_lloyd_tol' must be a number in [0, 1], got '2'"],
    [{ local_lloyd_tol: 'abc' }, "'local_lloyd_tol' must be a number in [0, 1]"],
    [{ half_life_time_size: '-5' }, "'half_life_time_size' must be a non-negative integer"],
    [{ eval_metrics: '["mse"]' }, "'eval_metrics' must be a JSON list of 'msd' and/or 'ssd'"],
    [{ eval_metrics: 'msd' }, "'eval_metrics' must be a JSON list"],
    [{ eval_metrics: '[]' }, "'eval_metrics' must be a JSON list"],
    [
      { num_clusters: '3' },
      "Unknown hyperparameter 'num_clusters'. k-means accepts: k, feature_dim",
    ],
  ])('rejects %j', (extra, message) => {
    expect(failure(extra)).toContain(message);
  });
});
