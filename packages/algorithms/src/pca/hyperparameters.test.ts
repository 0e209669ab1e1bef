import { describe, expect, it } from 'vitest';
import { hyperparameterFailure } from '../testing/hyperparameter-failure.js';
import { parseHyperparameters, sketchWidth } from './hyperparameters.js';

const base = { feature_dim: '50', num_components: '5', mini_batch_size: '500' };

function failure(extra: Record<string, unknown>): string {
  return hyperparameterFailure(parseHyperparameters, { base, extra });
}

describe('parseHyperparameters', () => {
  it("fills SageMaker's defaults from string values", () => {
    expect(parseHyperparameters(base)).toEqual({
      featureDim: 50,
      miniBatchSize: 500,
      numComponents: 5,
      algorithmMode: 'regular',
      subtractMean: true,
      extraComponents: -1,
    });
  });

  it('reads every optional hyperparameter, as the SageMaker SDK sends them', () => {
    const hp = parseHyperparameters({
      ...base,
      algorithm_mode: 'randomized',
      subtract_mean: 'False',
      extra_components: '7',
      force_dense: 'True',
      _tuning_objective_metric: 'test:msd',
    });
    expect(hp).toMatchObject({
      algorithmMode: 'randomized',
      subtractMean: false,
      extraComponents: 7,
    });
    expect(parseHyperparameters({ ...base, extra_components: '0' }).extraComponents).toBe(0);
  });

  it('sizes the randomized sketch as SageMaker documents extra_components=-1', () => {
    const width = (extra: Record<string, string>) =>
      sketchWidth(parseHyperparameters({ ...base, ...extra }));
    expect(width({})).toBe(5 + 10); // max(10, num_components) extra components
    expect(width({ num_components: '20' })).toBe(20 + 20);
    expect(width({ extra_components: '3' })).toBe(8);
    expect(width({ num_components: '45' })).toBe(50); // never wider than feature_dim
  });

  it.each([
    [
      { feature_dim: undefined },
      "Missing required hyperparameter 'feature_dim' (a positive integer).",
    ],
    [
      { num_components: undefined },
      "Missing required hyperparameter 'num_components' (a positive integer).",
    ],
    [
      { mini_batch_size: undefined },
      "Missing required hyperparameter 'mini_batch_size' (a positive integer).",
    ],
    [{ feature_dim: '0' }, "Hyperparameter 'feature_dim' must be a positive integer, got '0'."],
    [
      { num_components: '2.5' },
      "Hyperparameter 'num_components' must be a positive integer, got '2.5'.",
    ],
    [
      { mini_batch_size: '-10' },
      "Hyperparameter 'mini_batch_size' must be a positive integer, got '-10'.",
    ],
    [
      { num_components: '51' },
      "Hyperparameter 'num_components' must be at most feature_dim (50), got '51'",
    ],
    [
      { algorithm_mode: 'fast' },
      "Hyperparameter 'algorithm_mode' must be one of 'regular', 'randomized', got 'fast'.",
    ],
    [
      { subtract_mean: 'yes' },
      "Hyperparameter 'subtract_mean' must be 'true' or 'false', got 'yes'.",
    ],
    [
      { extra_components: '-2' },
      "Hyperparameter 'extra_components' must be a non-negative integer or -1, got '-2'.",
    ],
    [
      { extra_components: 'auto' },
      "Hyperparameter 'extra_components' must be a non-negative integer or -1, got 'auto'.",
    ],
    [{ k: '3' }, "Unknown hyperparameter 'k'. PCA accepts: feature_dim, mini_batch_size"],
  ])('rejects %j', (extra, message) => {
    expect(failure(extra)).toContain(message);
  });
});
