import { describe, expect, it } from 'vitest';
import { hyperparameterFailure } from '../testing/hyperparameter-failure.js';
import { parseHyperparameters } from './hyperparameters.js';

const base = { feature_dim: '2' };

function failure(extra: Record<string, unknown>): string {
  return hyperparameterFailure(parseHyperparameters, { base, extra });
}

describe('parseHyperparameters', () => {
  it("fills SageMaker's defaults", () => {
    expect(parseHyperparameters(base)).toEqual({
      featureDim: 2,
      numSamplesPerTree: 256,
      numTrees: 100,
      evalMetrics: ['accuracy', 'precision_recall_fscore'],
      miniBatchSize: 1000,
    });
  });

  it('reads every hyperparameter, and what the SageMaker SDK and tuning jobs add', () => {
    const hp = parseHyperparameters({
      feature_dim: '10000',
      num_samples_per_tree: '2048',
      num_trees: '1000',
      eval_metrics: '["precision_recall_fscore"]',
      mini_batch_size: '1000',
      force_dense: 'True',
      _tuning_objective_metric: 'test:f1',
    });
    expect(hp).toEqual({
      featureDim: 10000,
      numSamplesPerTree: 2048,
      numTrees: 1000,
      evalMetrics: ['precision_recall_fscore'],
      miniBatchSize: 1000,
    });
    expect(
      parseHyperparameters({ ...base, num_samples_per_tree: '1', num_trees: '50' }),
    ).toMatchObject({ numSamplesPerTree: 1, numTrees: 50 });
  });

  it.each([
    ['\'["accuracy"]\'', ['accuracy']],
    ['accuracy,precision_recall_fscore', ['accuracy', 'precision_recall_fscore']],
    ['[accuracy]', ['accuracy']],
    ['["accuracy", "accuracy"]', ['accuracy']],
  ])('reads eval_metrics written as %s', (value, metrics) => {
    expect(parseHyperparameters({ ...base, eval_metrics: value }).evalMetrics).toEqual(metrics);
  });

  it.each([
    [
      { feature_dim: undefined },
      "Missing required hyperparameter 'feature_dim' (an integer from 1 to 10000).",
    ],
    [
      { feature_dim: '0' },
      "Hyperparameter 'feature_dim' must be an integer from 1 to 10000, got '0'.",
    ],
    [
      { feature_dim: '10001' },
      "Hyperparameter 'feature_dim' must be an integer from 1 to 10000, got '10001'.",
    ],
    [
      { num_samples_per_tree: '2049' },
      "Hyperparameter 'num_samples_per_tree' must be an integer from 1 to 2048, got '2049'.",
    ],
    [
      { num_samples_per_tree: '0' },
      "Hyperparameter 'num_samples_per_tree' must be an integer from 1 to 2048, got '0'.",
    ],
    [
      { num_trees: '49' },
      "Hyperparameter 'num_trees' must be an integer from 50 to 1000, got '49'.",
    ],
    [
      { num_trees: '1001' },
      "Hyperparameter 'num_trees' must be an integer from 50 to 1000, got '1001'.",
    ],
    [
      { num_trees: '100.5' },
      "Hyperparameter 'num_trees' must be an integer from 50 to 1000, got '100.5'.",
    ],
    [
      { mini_batch_size: '0' },
      "Hyperparameter 'mini_batch_size' must be a positive integer, got '0'.",
    ],
    [
      { eval_metrics: '["msd"]' },
      "Hyperparameter 'eval_metrics' must be a list of 'accuracy' and/or 'precision_recall_fscore'",
    ],
    [{ eval_metrics: '[]' }, "Hyperparameter 'eval_metrics' must be a list of 'accuracy'"],
    [
      { num_tree: '100' },
      "Unknown hyperparameter 'num_tree'. randomcutforest accepts: feature_dim",
    ],
  ])('rejects %j', (extra, message) => {
    expect(failure(extra)).toContain(message);
  });
});
