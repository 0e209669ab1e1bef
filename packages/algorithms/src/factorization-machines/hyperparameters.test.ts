import { describe, expect, it } from 'vitest';
import { hyperparameterFailure } from '../testing/hyperparameter-failure.js';
import { DEFAULT_EPS, parseHyperparameters } from './hyperparameters.js';

const BASE = { feature_dim: '1000', num_factors: '64', predictor_type: 'regressor' };
const failure = (extra: Record<string, unknown>, base: Record<string, unknown> = BASE): string =>
  hyperparameterFailure(parseHyperparameters, { base, extra });

describe('parseHyperparameters', () => {
  it("fills SageMaker's defaults", () => {
    const hp = parseHyperparameters(BASE);
    expect(hp).toMatchObject({
      featureDim: 1000,
      numFactors: 64,
      predictorType: 'regressor',
      epochs: 1,
      miniBatchSize: 1000,
      clipGradient: undefined,
      eps: DEFAULT_EPS,
      rescaleGrad: 1 / 1000,
      bias: { lr: 0.1, wd: 0.01, init: { method: 'normal', sigma: 0.01 } },
      linear: { lr: 0.001, wd: 0.001, init: { method: 'normal', sigma: 0.01 } },
      factors: { lr: 0.0001, wd: 0.00001, init: { method: 'normal', sigma: 0.001 } },
    });
  });

  it('reads every value as SageMaker sends it, as strings', () => {
    const hp = parseHyperparameters({
      ...BASE,
      predictor_type: 'binary_classifier',
      epochs: '5',
      mini_batch_size: '200',
      clip_gradient: '2.5',
      eps: '1e-7',
      rescale_grad: '0.5',
      bias_lr: '0',
      linear_wd: '0.5',
      factors_init_method: 'uniform',
      factors_init_scale: '0.2',
      linear_init_method: 'constant',
      linear_init_value: '-0.3',
      force_dense: 'True',
      _tuning_objective_metric: 'test:rmse',
    });
    expect(hp).toMatchObject({
      predictorType: 'binary_classifier',
      epochs: 5,
      miniBatchSize: 200,
      clipGradient: 2.5,
      eps: 1e-7,
      rescaleGrad: 0.5,
      bias: { lr: 0 },
      linear: { wd: 0.5, init: { method: 'constant', value: -0.3 } },
      factors: { init: { method: 'uniform', scale: 0.2 } },
    });
    // rescale_grad follows mini_batch_size unless given.
    expect(parseHyperparameters({ ...BASE, mini_batch_size: '50' }).rescaleGrad).toBe(1 / 50);
  });

  it.each([
    [
      { feature_dim: undefined },
      "Missing required hyperparameter 'feature_dim' (an integer from 1 to 2147483647).",
    ],
    [
      { num_factors: undefined },
      "Missing required hyperparameter 'num_factors' (a positive integer).",
    ],
    [
      { predictor_type: undefined },
      "Missing required hyperparameter 'predictor_type' ('binary_classifier' or 'regressor').",
    ],
    [
      { predictor_type: 'multiclass_classifier' },
      "Hyperparameter 'predictor_type' must be one of 'binary_classifier', 'regressor', got 'multiclass_classifier'.",
    ],
    [
      { feature_dim: '0' },
      "Hyperparameter 'feature_dim' must be an integer from 1 to 2147483647, got '0'.",
    ],
    [{ num_factors: '2.5' }, "Hyperparameter 'num_factors' must be a positive integer, got '2.5'."],
    [{ epochs: '0' }, "Hyperparameter 'epochs' must be a positive integer, got '0'."],
    [
      { mini_batch_size: '-5' },
      "Hyperparameter 'mini_batch_size' must be a positive integer, got '-5'.",
    ],
    [{ factors_lr: '-0.1' }, "Hyperparameter 'factors_lr' must be a number >= 0, got '-0.1'."],
    [{ bias_wd: 'lots' }, "Hyperparameter 'bias_wd' must be a number >= 0, got 'lots'."],
    [
      { linear_init_sigma: '-1' },
      "Hyperparameter 'linear_init_sigma' must be a number >= 0, got '-1'.",
    ],
    [
      { factors_init_scale: '-1' },
      "Hyperparameter 'factors_init_scale' must be a number >= 0, got '-1'.",
    ],
    [{ bias_init_value: 'x' }, "Hyperparameter 'bias_init_value' must be a number, got 'x'."],
    [
      { bias_init_method: 'xavier' },
      "Hyperparameter 'bias_init_method' must be one of 'normal', 'uniform', 'constant', got 'xavier'.",
    ],
    [{ clip_gradient: '0' }, "Hyperparameter 'clip_gradient' must be a number > 0, got '0'."],
    [{ eps: '-1e-8' }, "Hyperparameter 'eps' must be a number > 0, got '-1e-8'."],
    [{ rescale_grad: '0' }, "Hyperparameter 'rescale_grad' must be a number > 0, got '0'."],
    [
      { learning_rate: '0.1' },
      "Unknown hyperparameter 'learning_rate'. Factorization Machines accepts: feature_dim, num_factors, predictor_type, epochs,",
    ],
  ])('rejects %j', (extra, message) => {
    expect(failure(extra)).toContain(message);
  });
});
