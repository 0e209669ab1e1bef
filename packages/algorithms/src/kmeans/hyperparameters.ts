import { HyperparameterError } from '../common/errors.js';
import {
  hyperparameterText,
  parseInteger,
  parseIntegerOrAuto,
  rejectUnknown,
} from '../common/hyperparameter-values.js';

/** How a set of centers is seeded: uniformly at random, or by k-means++ (D² sampling). */
export type InitMethod = 'random' | 'kmeans++';
/** Test-channel scores k-means can report. */
export type EvalMetric = 'msd' | 'ssd';

/** k-means hyperparameters after validation; `auto` values are kept as `'auto'`. */
export interface KMeansHyperparameters {
  k: number;
  featureDim: number;
  miniBatchSize: number;
  epochs: number;
  initMethod: InitMethod;
  extraCenterFactor: number | 'auto';
  localLloydMaxIter: number;
  localLloydTol: number;
  localLloydInitMethod: InitMethod;
  localLloydNumTrials: number | 'auto';
  halfLifeTimeSize: number;
  evalMetrics: EvalMetric[];
}

const KNOWN = new Set([
  'k',
  'feature_dim',
  'mini_batch_size',
  'epochs',
  'init_method',
  'extra_center_factor',
  'local_lloyd_max_iter',
  'local_lloyd_tol',
  'local_lloyd_init_method',
  'local_lloyd_num_trials',
  'half_life_time_size',
  'eval_metrics',
]);

/**
 * Validates hyperparameters as SageMaker writes them (every value a string, though numbers and
 * lists are accepted too) against SageMaker's documented k-means names, defaults and ranges.
 */
export function parseHyperparameters(raw: Record<string, unknown>): KMeansHyperparameters {
  rejectUnknown(raw, { name: 'k-means', known: KNOWN });
  const value = (name: string): string | undefined => hyperparameterText(name, raw[name]);
  return {
    k: parseInteger('k', value('k'), { min: 1 }),
    featureDim: parseInteger('feature_dim', value('feature_dim'), { min: 1 }),
    miniBatchSize: parseInteger('mini_batch_size', value('mini_batch_size'), {
      min: 1,
      fallback: 5000,
    }),
    epochs: parseInteger('epochs', value('epochs'), { min: 1, fallback: 1 }),
    initMethod: initMethod('init_method', value('init_method') ?? 'random'),
    extraCenterFactor: parseIntegerOrAuto('extra_center_factor', value('extra_center_factor')),
    localLloydMaxIter: parseInteger('local_lloyd_max_iter', value('local_lloyd_max_iter'), {
      min: 1,
      fallback: 300,
    }),
    localLloydTol: tolerance(value('local_lloyd_tol')),
    localLloydInitMethod: initMethod(
      'local_lloyd_init_method',
      value('local_lloyd_init_method') ?? 'kmeans++',
    ),
    localLloydNumTrials: parseIntegerOrAuto(
      'local_lloyd_num_trials',
      value('local_lloyd_num_trials'),
    ),
    halfLifeTimeSize: parseInteger('half_life_time_size', value('half_life_time_size'), {
      min: 0,
      fallback: 0,
    }),
    evalMetrics: evalMetrics(value('eval_metrics')),
  };
}

function initMethod(name: string, value: string): InitMethod {
  if (value === 'random' || value === 'kmeans++') return value;
  throw new HyperparameterError(
    `Hyperparameter '${name}' must be 'random' or 'kmeans++', got '${value}'.`,
  );
}

function tolerance(value: string | undefined): number {
  if (value === undefined) return 0.0001;
  const parsed = value === '' ? NaN : Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 1)
    throw new HyperparameterError(
      `Hyperparameter 'local_lloyd_tol' must be a number in [0, 1], got '${value}'.`,
    );
  return parsed;
}

function evalMetrics(value: string | undefined): EvalMetric[] {
  if (value === undefined) return ['msd'];
  const rule = `Hyperparameter 'eval_metrics' must be a JSON list of 'msd' and/or 'ssd', like ["msd"] or ["msd","ssd"], got '${value}'.`;
  // Console users often wrap the list in single quotes, as SageMaker's examples show it.
  const unquoted = /^'.*'$/s.test(value) ? value.slice(1, -1) : value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(unquoted);
  } catch {
    throw new HyperparameterError(rule);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new HyperparameterError(rule);
  const metrics: EvalMetric[] = [];
  for (const item of parsed as unknown[]) {
    if (item !== 'msd' && item !== 'ssd') throw new HyperparameterError(rule);
    if (!metrics.includes(item)) metrics.push(item);
  }
  return metrics;
}
