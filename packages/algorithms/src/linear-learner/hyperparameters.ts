import { HyperparameterError } from '../common/errors.js';
import {
  hyperparameterText,
  parseBoolean,
  parseChoice,
  parseInteger,
  parseIntegerOrAuto,
  parseReal,
  parseRealOrAuto,
  rejectUnknown,
} from '../common/hyperparameter-values.js';
import { type Objective, type PredictorType, resolveLoss } from './objective.js';

/** SageMaker's `binary_classifier_model_selection_criteria` values. */
export type SelectionCriterion =
  | 'accuracy'
  | 'f_beta'
  | 'precision_at_target_recall'
  | 'recall_at_target_precision'
  | 'loss_function';

/** linear-learner hyperparameters after validation; `auto` is kept where training resolves it. */
export interface LinearLearnerHyperparameters {
  predictorType: PredictorType;
  /** 2 for binary_classifier, 1 for regressor, num_classes for multiclass_classifier. */
  numClasses: number;
  featureDim: number | 'auto';
  miniBatchSize: number;
  epochs: number;
  loss: Objective;
  optimizer: 'sgd' | 'adam';
  learningRate: number | 'auto';
  l1: number | 'auto';
  wd: number | 'auto';
  momentum: number;
  beta1: number;
  beta2: number;
  biasLrMult: number;
  biasWdMult: number;
  useBias: boolean;
  normalizeData: boolean;
  /** Resolved: scale the label (regressor only). */
  normalizeLabel: boolean;
  /** Resolved: shift features to mean 0. */
  unbiasData: boolean;
  /** Resolved: shift the label to mean 0 (regressor only). */
  unbiasLabel: boolean;
  numPointForScaler: number;
  numModels: number | 'auto';
  selectionCriterion: SelectionCriterion;
  earlyStoppingPatience: number;
  earlyStoppingTolerance: number;
  positiveExampleWeightMult: number | 'balanced' | 'auto';
  balanceMulticlassWeights: boolean;
  initMethod: 'uniform' | 'normal';
  initScale: number;
  initSigma: number;
  initBias: number;
  useLrScheduler: boolean;
  lrSchedulerStep: number | 'auto';
  lrSchedulerFactor: number | 'auto';
  lrSchedulerMinimumLr: number | 'auto';
  accuracyTopK: number;
  fBeta: number;
}

// Accepted and checked, but they only shape losses, thresholds and calibration Plinth does not
// implement (see the README).
const CHECKED_ONLY: Record<string, (name: string, value: string) => unknown> = {
  margin: (n, v) => parseReal(n, v, { above: 0 }),
  quantile: (n, v) => parseReal(n, v, { above: 0, max: 1 }),
  huber_delta: (n, v) => parseReal(n, v, { above: 0 }),
  loss_insensitivity: (n, v) => parseReal(n, v, { above: 0 }),
  target_precision: (n, v) => parseReal(n, v, { above: 0, max: 1 }),
  target_recall: (n, v) => parseReal(n, v, { above: 0, max: 1 }),
  num_calibration_samples: (n, v) => parseIntegerOrAuto(n, v),
};

const KNOWN = new Set([
  'predictor_type',
  'num_classes',
  'feature_dim',
  'mini_batch_size',
  'epochs',
  'loss',
  'optimizer',
  'learning_rate',
  'l1',
  'wd',
  'momentum',
  'beta_1',
  'beta_2',
  'bias_lr_mult',
  'bias_wd_mult',
  'use_bias',
  'normalize_data',
  'normalize_label',
  'unbias_data',
  'unbias_label',
  'num_point_for_scaler',
  'num_models',
  'binary_classifier_model_selection_criteria',
  'early_stopping_patience',
  'early_stopping_tolerance',
  'positive_example_weight_mult',
  'balance_multiclass_weights',
  'init_method',
  'init_scale',
  'init_sigma',
  'init_bias',
  'use_lr_scheduler',
  'lr_scheduler_step',
  'lr_scheduler_factor',
  'lr_scheduler_minimum_lr',
  'accuracy_top_k',
  'f_beta',
  ...Object.keys(CHECKED_ONLY),
]);

const PREDICTOR_TYPES: readonly PredictorType[] = [
  'binary_classifier',
  'multiclass_classifier',
  'regressor',
];
const CRITERIA: readonly SelectionCriterion[] = [
  'accuracy',
  'f_beta',
  'precision_at_target_recall',
  'recall_at_target_precision',
  'loss_function',
];

/**
 * Validates hyperparameters as SageMaker writes them (every value a string) against SageMaker's
 * documented linear-learner names, defaults and ranges.
 */
export function parseHyperparameters(raw: Record<string, unknown>): LinearLearnerHyperparameters {
  rejectUnknown(raw, { name: 'linear-learner', known: KNOWN });
  const value = (name: string): string | undefined => hyperparameterText(name, raw[name]);
  const or = (name: string, fallback: string): string => value(name) ?? fallback;
  const type = value('predictor_type');
  if (type === undefined)
    throw new HyperparameterError(
      `Missing required hyperparameter 'predictor_type' (${PREDICTOR_TYPES.map((t) => `'${t}'`).join(', ')}).`,
    );
  const predictorType = parseChoice('predictor_type', type, PREDICTOR_TYPES);
  const regressor = predictorType === 'regressor';
  for (const [name, check] of Object.entries(CHECKED_ONLY)) {
    const given = value(name);
    if (given !== undefined) check(name, given);
  }
  const useBias = parseBoolean('use_bias', or('use_bias', 'true')) === true;
  const normalizeData =
    parseBoolean('normalize_data', or('normalize_data', 'true'), true) !== false;
  const normalizeLabel = parseBoolean('normalize_label', or('normalize_label', 'auto'), true);
  const unbiasData = parseBoolean('unbias_data', or('unbias_data', 'auto'), true);
  const unbiasLabel = parseBoolean('unbias_label', or('unbias_label', 'auto'), true);
  const scaleLabel = regressor && normalizeLabel !== false;
  const optimizer = parseChoice('optimizer', or('optimizer', 'auto'), ['auto', 'sgd', 'adam']);
  const nonNegative = (name: string): number | 'auto' =>
    parseRealOrAuto(name, or(name, 'auto'), { min: 0 });
  const fraction = (name: string, fallback: number): number => {
    const parsed = parseRealOrAuto(name, or(name, 'auto'), { min: 0, below: 1 });
    return parsed === 'auto' ? fallback : parsed;
  };
  const weightMult = or('positive_example_weight_mult', '1.0');
  return {
    predictorType,
    numClasses:
      predictorType === 'multiclass_classifier'
        ? parseInteger('num_classes', value('num_classes'), { min: 3, max: 1_000_000 })
        : regressor
          ? 1
          : 2,
    featureDim: parseIntegerOrAuto('feature_dim', value('feature_dim')),
    miniBatchSize: parseInteger('mini_batch_size', value('mini_batch_size'), {
      min: 1,
      fallback: 1000,
    }),
    epochs: parseInteger('epochs', value('epochs'), { min: 1, fallback: 15 }),
    loss: resolveLoss(predictorType, or('loss', 'auto')),
    optimizer: optimizer === 'sgd' ? 'sgd' : 'adam',
    learningRate: parseRealOrAuto('learning_rate', or('learning_rate', 'auto'), { above: 0 }),
    l1: nonNegative('l1'),
    wd: nonNegative('wd'),
    momentum: fraction('momentum', 0),
    beta1: fraction('beta_1', 0.9),
    beta2: fraction('beta_2', 0.999),
    biasLrMult: auto(parseRealOrAuto('bias_lr_mult', or('bias_lr_mult', 'auto'), { above: 0 }), 1),
    biasWdMult: auto(nonNegative('bias_wd_mult'), 0),
    useBias,
    normalizeData,
    normalizeLabel: scaleLabel,
    unbiasData: unbiasData === 'auto' ? normalizeData && useBias : unbiasData,
    unbiasLabel: regressor && (unbiasLabel === 'auto' ? scaleLabel && useBias : unbiasLabel),
    numPointForScaler: parseInteger('num_point_for_scaler', value('num_point_for_scaler'), {
      min: 1,
      fallback: 10_000,
    }),
    numModels: parseIntegerOrAuto('num_models', value('num_models')),
    selectionCriterion: parseChoice(
      'binary_classifier_model_selection_criteria',
      or('binary_classifier_model_selection_criteria', 'accuracy'),
      CRITERIA,
    ),
    earlyStoppingPatience: parseInteger(
      'early_stopping_patience',
      value('early_stopping_patience'),
      {
        min: 1,
        fallback: 3,
      },
    ),
    earlyStoppingTolerance: parseReal(
      'early_stopping_tolerance',
      or('early_stopping_tolerance', '0.001'),
      { above: 0 },
    ),
    positiveExampleWeightMult:
      weightMult === 'balanced' || weightMult === 'auto'
        ? weightMult
        : parseReal('positive_example_weight_mult', weightMult, { above: 0 }),
    balanceMulticlassWeights:
      parseBoolean('balance_multiclass_weights', or('balance_multiclass_weights', 'false')) ===
      true,
    initMethod: parseChoice('init_method', or('init_method', 'uniform'), ['uniform', 'normal']),
    initScale: parseReal('init_scale', or('init_scale', '0.07'), { above: 0 }),
    initSigma: parseReal('init_sigma', or('init_sigma', '0.01'), { above: 0 }),
    initBias: parseReal('init_bias', or('init_bias', '0'), {}),
    useLrScheduler: parseBoolean('use_lr_scheduler', or('use_lr_scheduler', 'true')) === true,
    lrSchedulerStep: parseIntegerOrAuto('lr_scheduler_step', value('lr_scheduler_step')),
    lrSchedulerFactor: parseRealOrAuto('lr_scheduler_factor', or('lr_scheduler_factor', 'auto'), {
      above: 0,
      max: 1,
    }),
    lrSchedulerMinimumLr: parseRealOrAuto(
      'lr_scheduler_minimum_lr',
      or('lr_scheduler_minimum_lr', 'auto'),
      { above: 0 },
    ),
    accuracyTopK: parseInteger('accuracy_top_k', value('accuracy_top_k'), { min: 1, fallback: 3 }),
    fBeta: parseReal('f_beta', or('f_beta', '1.0'), { above: 0 }),
  };
}

function auto(value: number | 'auto', fallback: number): number {
  return value === 'auto' ? fallback : value;
}
