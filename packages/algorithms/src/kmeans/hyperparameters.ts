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

/**
 * A hyperparameter that is missing, unknown or out of range. Its message names the
 * hyperparameter and the rule, because it becomes the training job's FailureReason.
 */
export class HyperparameterError extends Error {
  readonly code = 'HyperparameterError';

  constructor(message: string) {
    super(message);
    this.name = 'HyperparameterError';
  }
}

// Keys the SageMaker SDK or a tuning job adds to a built-in's hyperparameters: the SDK's KMeans
// estimator always sends force_dense, and tuning jobs inject the objective metric name.
const TOLERATED = new Set(['force_dense', '_tuning_objective_metric']);

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
  for (const name of Object.keys(raw))
    if (!KNOWN.has(name) && !TOLERATED.has(name))
      throw new HyperparameterError(
        `Unknown hyperparameter '${name}'. k-means accepts: ${[...KNOWN].join(', ')}.`,
      );
  const value = (name: string): string | undefined => text(name, raw[name]);
  return {
    k: integer('k', value('k'), { min: 1 }),
    featureDim: integer('feature_dim', value('feature_dim'), { min: 1 }),
    miniBatchSize: integer('mini_batch_size', value('mini_batch_size'), { min: 1, fallback: 5000 }),
    epochs: integer('epochs', value('epochs'), { min: 1, fallback: 1 }),
    initMethod: initMethod('init_method', value('init_method') ?? 'random'),
    extraCenterFactor: orAuto('extra_center_factor', value('extra_center_factor')),
    localLloydMaxIter: integer('local_lloyd_max_iter', value('local_lloyd_max_iter'), {
      min: 1,
      fallback: 300,
    }),
    localLloydTol: tolerance(value('local_lloyd_tol')),
    localLloydInitMethod: initMethod(
      'local_lloyd_init_method',
      value('local_lloyd_init_method') ?? 'kmeans++',
    ),
    localLloydNumTrials: orAuto('local_lloyd_num_trials', value('local_lloyd_num_trials')),
    halfLifeTimeSize: integer('half_life_time_size', value('half_life_time_size'), {
      min: 0,
      fallback: 0,
    }),
    evalMetrics: evalMetrics(value('eval_metrics')),
  };
}

function text(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return JSON.stringify(value);
  throw new HyperparameterError(`Hyperparameter '${name}' must be a string, got ${typeof value}.`);
}

function integer(
  name: string,
  value: string | undefined,
  rule: { min: number; fallback?: number },
): number {
  const kind = rule.min === 0 ? 'a non-negative integer' : 'a positive integer';
  if (value === undefined) {
    if (rule.fallback !== undefined) return rule.fallback;
    throw new HyperparameterError(`Missing required hyperparameter '${name}' (${kind}).`);
  }
  // Number('') is 0 and Number('1e3') is 1000; accept only plain decimal integers.
  const parsed = /^[+]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < rule.min)
    throw new HyperparameterError(`Hyperparameter '${name}' must be ${kind}, got '${value}'.`);
  return parsed;
}

function orAuto(name: string, value: string | undefined): number | 'auto' {
  if (value === undefined || value.toLowerCase() === 'auto') return 'auto';
  const parsed = /^[+]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1)
    throw new HyperparameterError(
      `Hyperparameter '${name}' must be a positive integer or 'auto', got '${value}'.`,
    );
  return parsed;
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
