import { HyperparameterError } from '../common/errors.js';
import { parseChoice, parseInteger, parseReal } from '../common/hyperparameter-values.js';

/** Checks one value as SageMaker's XGBoost validates it; throws a HyperparameterError. */
type Check = (name: string, value: string) => void;

const integer =
  (min: number, max?: number): Check =>
  (name, value) =>
    parseSignedInteger(name, value, { min, ...(max !== undefined && { max }) });

const real =
  (rule: Parameters<typeof parseReal>[2]): Check =>
  (name, value) =>
    parseReal(name, value, rule);

const choice =
  (choices: readonly string[]): Check =>
  (name, value) =>
    parseChoice(name, value, choices);

const TREE_UPDATERS = [
  'grow_colmaker',
  'distcol',
  'grow_histmaker',
  'grow_skmaker',
  'sync',
  'refresh',
  'prune',
  'grow_quantile_histmaker',
  'shotgun',
  'coord_descent',
];

/**
 * SageMaker's XGBoost hyperparameters that Plinth validates with SageMaker's ranges but that do
 * not change what Plinth trains: GPU, distributed and dart/gblinear-only settings, the updater
 * list, and settings that only tune xgboost's own implementation.
 */
export const INERT_CHECKS: Readonly<Record<string, Check>> = {
  sketch_eps: real({ above: 0, below: 1 }),
  updater: (name, value) => {
    for (const part of value.split(','))
      if (!TREE_UPDATERS.includes(part.trim()))
        throw new HyperparameterError(
          `Hyperparameter '${name}': '${part}' is not an updater; use comma-separated names from ${TREE_UPDATERS.join(', ')}.`,
        );
  },
  dsplit: choice(['row', 'col']),
  refresh_leaf: integer(0, 1),
  predictor: choice(['auto', 'cpu_predictor', 'gpu_predictor']),
  sample_type: choice(['uniform', 'weighted']),
  normalize_type: choice(['tree', 'forest']),
  rate_drop: real({ min: 0, max: 1 }),
  one_drop: integer(0, 1),
  skip_drop: real({ min: 0, max: 1 }),
  lambda_bias: real({ min: 0, max: 1 }),
  save_model_on_termination: choice(['true', 'false']),
  aft_loss_distribution: choice(['normal', 'logistic', 'extreme']),
  aft_loss_distribution_scale: real({ min: 0 }),
  deterministic_histogram: choice(['true', 'false']),
  prob_buffer_row: real({ above: 1 }),
  use_dask_gpu_training: choice(['true', 'false']),
  verbosity: integer(0, 3),
};

/** An integer in [min, max] that may be negative (`seed`); SageMaker parses with int(). */
export function parseSignedInteger(
  name: string,
  value: string,
  range: { min: number; max?: number },
): number {
  const { min, max } = range;
  if (min >= 0) return parseInteger(name, value, { min, ...(max !== undefined && { max }) });
  const parsed = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > (max ?? Infinity))
    throw new HyperparameterError(
      `Hyperparameter '${name}' must be an integer from ${min} to ${max}, got '${value}'.`,
    );
  return parsed;
}

/**
 * `monotone_constraints`: a tuple of -1/0/1 such as `(1,0,-1)`. Only all-zero tuples are
 * accepted, because Plinth does not enforce constraints and must not pretend to.
 */
export function checkMonotoneConstraints(value: string): void {
  const parts = value
    .replace(/^[([]\s*|\s*[)\]]$/g, '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const part of parts)
    if (part !== '-1' && part !== '0' && part !== '1')
      throw new HyperparameterError(
        `Hyperparameter 'monotone_constraints': '${part}' is not in [-1, 0, 1]; give a tuple such as (1,0,-1).`,
      );
  if (parts.some((p) => p !== '0'))
    throw new HyperparameterError(
      "Hyperparameter 'monotone_constraints' is not supported by Plinth's XGBoost yet (only all-zero constraints are accepted).",
    );
}
