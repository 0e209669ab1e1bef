import { describe, expect, it } from 'vitest';
import { hyperparameterFailure } from '../testing/hyperparameter-failure.js';
import { parseHyperparameters } from './hyperparameters.js';

const base = { predictor_type: 'binary_classifier' };

function failure(extra: Record<string, unknown>): string {
  return hyperparameterFailure(parseHyperparameters, { base, extra });
}

describe('parseHyperparameters', () => {
  it('fills SageMaker defaults from string values', () => {
    expect(parseHyperparameters(base)).toMatchObject({
      predictorType: 'binary_classifier',
      numClasses: 2,
      featureDim: 'auto',
      miniBatchSize: 1000,
      epochs: 15,
      loss: 'logistic',
      optimizer: 'adam',
      learningRate: 'auto',
      l1: 'auto',
      wd: 'auto',
      useBias: true,
      normalizeData: true,
      normalizeLabel: false,
      unbiasData: true,
      numPointForScaler: 10_000,
      numModels: 'auto',
      selectionCriterion: 'accuracy',
      earlyStoppingPatience: 3,
      earlyStoppingTolerance: 0.001,
      positiveExampleWeightMult: 1,
      initMethod: 'uniform',
      initScale: 0.07,
      accuracyTopK: 3,
    });
  });

  it('resolves per predictor type: multiclass needs num_classes, regression normalizes its label', () => {
    expect(
      parseHyperparameters({ predictor_type: 'multiclass_classifier', num_classes: '4' }),
    ).toMatchObject({ numClasses: 4, loss: 'softmax_loss', normalizeLabel: false });
    expect(parseHyperparameters({ predictor_type: 'regressor' })).toMatchObject({
      numClasses: 1,
      loss: 'squared_loss',
      normalizeLabel: true,
      unbiasLabel: true,
    });
    expect(parseHyperparameters({ predictor_type: 'regressor', use_bias: 'false' })).toMatchObject({
      useBias: false,
      unbiasData: false,
      unbiasLabel: false,
    });
  });

  it('reads explicit values, including the SageMaker SDK and tuning extras', () => {
    const hp = parseHyperparameters({
      ...base,
      feature_dim: '7',
      mini_batch_size: '64',
      epochs: '3',
      optimizer: 'sgd',
      learning_rate: '0.5',
      l1: '0.001',
      wd: '0',
      momentum: '0.9',
      num_models: '4',
      loss: 'logistic',
      positive_example_weight_mult: 'balanced',
      binary_classifier_model_selection_criteria: 'f_beta',
      normalize_data: 'False',
      use_lr_scheduler: 'false',
      margin: '2',
      quantile: '0.3',
      force_dense: 'True',
      _tuning_objective_metric: 'validation:binary_classification_accuracy',
    });
    expect(hp).toMatchObject({
      featureDim: 7,
      miniBatchSize: 64,
      epochs: 3,
      optimizer: 'sgd',
      learningRate: 0.5,
      l1: 0.001,
      wd: 0,
      momentum: 0.9,
      numModels: 4,
      positiveExampleWeightMult: 'balanced',
      selectionCriterion: 'f_beta',
      normalizeData: false,
      unbiasData: false,
      useLrScheduler: false,
    });
  });

  it.each([
    [{ predictor_type: undefined }, "Missing required hyperparameter 'predictor_type'"],
    [
      { predictor_type: 'classifier' },
      "Hyperparameter 'predictor_type' must be one of 'binary_classifier', 'multiclass_classifier', 'regressor', got 'classifier'.",
    ],
    [
      { predictor_type: 'multiclass_classifier' },
      "Missing required hyperparameter 'num_classes' (an integer from 3 to 1000000).",
    ],
    [
      { predictor_type: 'multiclass_classifier', num_classes: '2' },
      "Hyperparameter 'num_classes' must be an integer from 3 to 1000000, got '2'.",
    ],
    [{ feature_dim: '0' }, "Hyperparameter 'feature_dim' must be a positive integer or 'auto'"],
    [{ mini_batch_size: '0' }, "'mini_batch_size' must be a positive integer, got '0'."],
    [{ epochs: 'ten' }, "'epochs' must be a positive integer, got 'ten'."],
    [{ learning_rate: '0' }, "'learning_rate' must be 'auto' or a number > 0, got '0'."],
    [{ learning_rate: 'fast' }, "'learning_rate' must be 'auto' or a number > 0"],
    [{ l1: '-1' }, "'l1' must be 'auto' or a number >= 0, got '-1'."],
    [{ wd: 'x' }, "'wd' must be 'auto' or a number >= 0, got 'x'."],
    [{ optimizer: 'rmsprop' }, "'optimizer' must be one of 'auto', 'sgd', 'adam', got 'rmsprop'."],
    [{ momentum: '1' }, "'momentum' must be 'auto' or a number >= 0 and < 1, got '1'."],
    [{ beta_1: '1.5' }, "'beta_1' must be 'auto' or a number >= 0 and < 1"],
    [{ beta_2: '-0.1' }, "'beta_2' must be 'auto' or a number >= 0 and < 1"],
    [{ bias_lr_mult: '0' }, "'bias_lr_mult' must be 'auto' or a number > 0"],
    [{ bias_wd_mult: '-2' }, "'bias_wd_mult' must be 'auto' or a number >= 0"],
    [{ normalize_data: 'yes' }, "'normalize_data' must be 'true', 'false' or 'auto', got 'yes'."],
    [{ normalize_label: '1' }, "'normalize_label' must be 'true', 'false' or 'auto'"],
    [{ unbias_data: 'no' }, "'unbias_data' must be 'true', 'false' or 'auto'"],
    [{ unbias_label: 'maybe' }, "'unbias_label' must be 'true', 'false' or 'auto'"],
    [{ use_bias: 'auto' }, "'use_bias' must be 'true' or 'false', got 'auto'."],
    [{ num_models: '0' }, "'num_models' must be a positive integer or 'auto', got '0'."],
    [{ num_point_for_scaler: '0' }, "'num_point_for_scaler' must be a positive integer"],
    [
      { loss: 'hinge_loss' },
      "Hyperparameter loss='hinge_loss' is not supported by Plinth's linear-learner; for predictor_type=binary_classifier use 'auto' or 'logistic'.",
    ],
    [
      { predictor_type: 'regressor', loss: 'huber_loss' },
      "loss='huber_loss' is not supported by Plinth's linear-learner; for predictor_type=regressor use 'auto' or 'squared_loss'.",
    ],
    [
      { loss: 'softmax_loss' },
      "Hyperparameter loss='softmax_loss' does not apply to predictor_type=binary_classifier; use 'auto' or 'logistic'.",
    ],
    [
      { loss: 'cross_entropy' },
      "Hyperparameter 'loss' must be one of 'auto', 'logistic', 'hinge_loss'",
    ],
    [
      { binary_classifier_model_selection_criteria: 'auc' },
      "'binary_classifier_model_selection_criteria' must be one of 'accuracy', 'f_beta', 'precision_at_target_recall', 'recall_at_target_precision', 'loss_function', got 'auc'.",
    ],
    [{ early_stopping_patience: '0' }, "'early_stopping_patience' must be a positive integer"],
    [{ early_stopping_tolerance: '0' }, "'early_stopping_tolerance' must be a number > 0"],
    [{ positive_example_weight_mult: '-1' }, "'positive_example_weight_mult' must be a number > 0"],
    [
      { balance_multiclass_weights: 'auto' },
      "'balance_multiclass_weights' must be 'true' or 'false'",
    ],
    [{ init_method: 'xavier' }, "'init_method' must be one of 'uniform', 'normal', got 'xavier'."],
    [{ init_scale: '0' }, "'init_scale' must be a number > 0"],
    [{ init_sigma: '-1' }, "'init_sigma' must be a number > 0"],
    [{ init_bias: 'one' }, "'init_bias' must be a number, got 'one'."],
    [{ use_lr_scheduler: 'sometimes' }, "'use_lr_scheduler' must be 'true' or 'false'"],
    [{ lr_scheduler_step: '0' }, "'lr_scheduler_step' must be a positive integer or 'auto'"],
    [{ lr_scheduler_factor: '2' }, "'lr_scheduler_factor' must be 'auto' or a number > 0 and <= 1"],
    [{ lr_scheduler_minimum_lr: '0' }, "'lr_scheduler_minimum_lr' must be 'auto' or a number > 0"],
    [{ accuracy_top_k: '0' }, "'accuracy_top_k' must be a positive integer"],
    [{ f_beta: '0' }, "'f_beta' must be a number > 0"],
    [{ margin: '0' }, "'margin' must be a number > 0"],
    [{ quantile: '1.5' }, "'quantile' must be a number > 0 and <= 1"],
    [{ huber_delta: '-1' }, "'huber_delta' must be a number > 0"],
    [{ loss_insensitivity: 'x' }, "'loss_insensitivity' must be a number > 0"],
    [{ target_precision: '2' }, "'target_precision' must be a number > 0 and <= 1"],
    [{ target_recall: '0' }, "'target_recall' must be a number > 0 and <= 1"],
    [
      { num_calibration_samples: '-3' },
      "'num_calibration_samples' must be a positive integer or 'auto'",
    ],
    [
      { alpha: '1' },
      "Unknown hyperparameter 'alpha'. linear-learner accepts: predictor_type, num_classes",
    ],
  ])('rejects %j', (extra, message) => {
    expect(failure(extra)).toContain(message);
  });
});
