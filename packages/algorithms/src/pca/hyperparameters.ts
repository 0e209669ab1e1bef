import { HyperparameterError } from '../common/errors.js';
import {
  hyperparameterText,
  parseBoolean,
  parseChoice,
  parseInteger,
  rejectUnknown,
} from '../common/hyperparameter-values.js';

/** How the components are computed: the exact covariance matrix, or a randomized sketch of it. */
export type AlgorithmMode = 'regular' | 'randomized';

/** PCA hyperparameters after validation. */
export interface PcaHyperparameters {
  featureDim: number;
  miniBatchSize: number;
  numComponents: number;
  algorithmMode: AlgorithmMode;
  subtractMean: boolean;
  /** -1 (SageMaker's default: max(10, num_components)) or a non-negative count. */
  extraComponents: number;
}

const KNOWN = new Set([
  'feature_dim',
  'mini_batch_size',
  'num_components',
  'algorithm_mode',
  'subtract_mean',
  'extra_components',
]);

/**
 * Validates hyperparameters as SageMaker writes them (every value a string, though numbers and
 * booleans are accepted too) against SageMaker's documented PCA names, defaults and ranges:
 * `feature_dim`, `mini_batch_size` and `num_components` are required.
 */
export function parseHyperparameters(raw: Record<string, unknown>): PcaHyperparameters {
  rejectUnknown(raw, { name: 'PCA', known: KNOWN });
  const value = (name: string): string | undefined => hyperparameterText(name, raw[name]);
  const featureDim = parseInteger('feature_dim', value('feature_dim'), { min: 1 });
  const numComponents = parseInteger('num_components', value('num_components'), { min: 1 });
  if (numComponents > featureDim)
    throw new HyperparameterError(
      `Hyperparameter 'num_components' must be at most feature_dim (${featureDim}), got '${numComponents}': PCA finds at most feature_dim components.`,
    );
  return {
    featureDim,
    miniBatchSize: parseInteger('mini_batch_size', value('mini_batch_size'), { min: 1 }),
    numComponents,
    algorithmMode: parseChoice('algorithm_mode', value('algorithm_mode') ?? 'regular', [
      'regular',
      'randomized',
    ]),
    subtractMean: parseBoolean('subtract_mean', value('subtract_mean') ?? 'true') === true,
    extraComponents: extraComponents(value('extra_components')),
  };
}

function extraComponents(value: string | undefined): number {
  if (value === undefined || value === '-1') return -1;
  const parsed = /^[+]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed))
    throw new HyperparameterError(
      `Hyperparameter 'extra_components' must be a non-negative integer or -1, got '${value}'.`,
    );
  return parsed;
}

/**
 * The width of randomized mode's sketch: num_components plus extra_components, where -1 means
 * SageMaker's default max(10, num_components); never more than feature_dim.
 */
export function sketchWidth(hp: PcaHyperparameters): number {
  const extra = hp.extraComponents === -1 ? Math.max(10, hp.numComponents) : hp.extraComponents;
  return Math.min(hp.featureDim, hp.numComponents + extra);
}
