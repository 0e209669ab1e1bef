import { HyperparameterError } from '../common/errors.js';
import {
  hyperparameterText,
  parseChoice,
  parseInteger,
  parseReal,
  rejectUnknown,
} from '../common/hyperparameter-values.js';

/** SageMaker FM's predictor types. */
export type PredictorType = 'binary_classifier' | 'regressor';
/** How a group of parameters starts: N(0, sigma²), U(-scale, scale), or a constant. */
export type InitMethod = 'normal' | 'uniform' | 'constant';

/** How one parameter group (bias, linear or factors) is initialized. */
export interface InitSpec {
  method: InitMethod;
  scale: number;
  sigma: number;
  value: number;
}

/** Learning rate and weight decay of one parameter group. */
export interface GroupRates {
  lr: number;
  wd: number;
}

/** Factorization Machines hyperparameters after validation, defaults filled. */
export interface FmHyperparameters {
  featureDim: number;
  numFactors: number;
  predictorType: PredictorType;
  epochs: number;
  miniBatchSize: number;
  /** Gradients are clipped to [-clipGradient, clipGradient]; undefined: no clipping. */
  clipGradient: number | undefined;
  eps: number;
  /** Multiplies the summed mini-batch gradient; default 1 / mini_batch_size. */
  rescaleGrad: number;
  bias: GroupRates & { init: InitSpec };
  linear: GroupRates & { init: InitSpec };
  factors: GroupRates & { init: InitSpec };
}

const GROUPS = ['bias', 'linear', 'factors'] as const;
/** SageMaker's defaults per group: learning rate, weight decay, init sigma. */
const DEFAULTS = {
  bias: { lr: '0.1', wd: '0.01', sigma: '0.01' },
  linear: { lr: '0.001', wd: '0.001', sigma: '0.01' },
  factors: { lr: '0.0001', wd: '0.00001', sigma: '0.001' },
} as const;
/**
 * SageMaker documents no default for `*_init_scale` and `*_init_value` (they matter only with the
 * uniform and constant methods); these are MXNet's initializer defaults, Uniform(0.07) and 0.
 */
export const DEFAULT_INIT_SCALE = 0.07;
export const DEFAULT_INIT_VALUE = 0;
/** Adam's epsilon when `eps` is not given (MXNet's Adam default). */
export const DEFAULT_EPS = 1e-8;

const KNOWN = new Set([
  'feature_dim',
  'num_factors',
  'predictor_type',
  'epochs',
  'mini_batch_size',
  'clip_gradient',
  'eps',
  'rescale_grad',
  ...GROUPS.flatMap((g) => [
    `${g}_lr`,
    `${g}_wd`,
    `${g}_init_method`,
    `${g}_init_scale`,
    `${g}_init_sigma`,
    `${g}_init_value`,
  ]),
]);

/**
 * Validates hyperparameters as SageMaker writes them (every value a string) against SageMaker's
 * documented Factorization Machines names, defaults and ranges.
 */
export function parseHyperparameters(raw: Record<string, unknown>): FmHyperparameters {
  rejectUnknown(raw, { name: 'Factorization Machines', known: KNOWN });
  const value = (name: string): string | undefined => hyperparameterText(name, raw[name]);
  const type = value('predictor_type');
  if (type === undefined)
    throw new HyperparameterError(
      "Missing required hyperparameter 'predictor_type' ('binary_classifier' or 'regressor').",
    );
  const miniBatchSize = parseInteger('mini_batch_size', value('mini_batch_size'), {
    min: 1,
    fallback: 1000,
  });
  const optional = (name: string, rule: Parameters<typeof parseReal>[2]): number | undefined => {
    const given = value(name);
    return given === undefined ? undefined : parseReal(name, given, rule);
  };
  const group = (g: (typeof GROUPS)[number]): GroupRates & { init: InitSpec } => ({
    lr: parseReal(`${g}_lr`, value(`${g}_lr`) ?? DEFAULTS[g].lr, { min: 0 }),
    wd: parseReal(`${g}_wd`, value(`${g}_wd`) ?? DEFAULTS[g].wd, { min: 0 }),
    init: {
      method: parseChoice(`${g}_init_method`, value(`${g}_init_method`) ?? 'normal', [
        'normal',
        'uniform',
        'constant',
      ]),
      scale: optional(`${g}_init_scale`, { min: 0 }) ?? DEFAULT_INIT_SCALE,
      sigma: parseReal(`${g}_init_sigma`, value(`${g}_init_sigma`) ?? DEFAULTS[g].sigma, {
        min: 0,
      }),
      value: optional(`${g}_init_value`, {}) ?? DEFAULT_INIT_VALUE,
    },
  });
  return {
    featureDim: parseInteger('feature_dim', value('feature_dim'), { min: 1, max: 2 ** 31 - 1 }),
    numFactors: parseInteger('num_factors', value('num_factors'), { min: 1 }),
    predictorType: parseChoice('predictor_type', type, ['binary_classifier', 'regressor']),
    epochs: parseInteger('epochs', value('epochs'), { min: 1, fallback: 1 }),
    miniBatchSize,
    clipGradient: optional('clip_gradient', { above: 0 }),
    eps: optional('eps', { above: 0 }) ?? DEFAULT_EPS,
    rescaleGrad: optional('rescale_grad', { above: 0 }) ?? 1 / miniBatchSize,
    bias: group('bias'),
    linear: group('linear'),
    factors: group('factors'),
  };
}
