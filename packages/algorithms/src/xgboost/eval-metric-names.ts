import { HyperparameterError } from '../common/errors.js';

/** An evaluation metric as `eval_metric` names it, e.g. `auc`, `error@0.7`, `ndcg@5-`. */
export interface MetricSpec {
  /** The name printed in the log, e.g. `error@0.7` (xgboost prints what it was given). */
  name: string;
  /** The metric without its parameter, e.g. `error`, `ndcg`. */
  base: string;
  /** `error@t`'s threshold or `ndcg@n`/`map@n`'s cut-off; undefined when absent. */
  param?: number;
  /** `ndcg@n-` / `map@n-`: a group without relevant documents scores 0 instead of 1. */
  minus: boolean;
}

// SageMaker's XGB_MAXIMIZE_METRICS: early stopping keeps the highest value of these.
const MAXIMIZE = new Set([
  'accuracy',
  'auc',
  'aucpr',
  'balanced_accuracy',
  'f1',
  'f1_binary',
  'f1_macro',
  'map',
  'ndcg',
  'precision',
  'r2',
  'recall',
  'precision_macro',
  'precision_micro',
  'recall_macro',
  'recall_micro',
]);

const MINIMIZE = new Set([
  'aft-nloglik',
  'cox-nloglik',
  'error',
  'gamma-deviance',
  'gamma-nloglik',
  'interval-regression-accuracy',
  'logloss',
  'mae',
  'mape',
  'merror',
  'mlogloss',
  'mphe',
  'mse',
  'poisson-nloglik',
  'rmse',
  'rmsle',
  'tweedie-nloglik',
]);

/** Metrics SageMaker accepts that Plinth does not compute (they need survival objectives). */
const UNSUPPORTED = new Set(['aft-nloglik', 'cox-nloglik', 'interval-regression-accuracy']);

/** Every metric name `eval_metric` accepts (SageMaker's list), for messages. */
export const METRIC_NAMES: readonly string[] = [...MAXIMIZE, ...MINIMIZE];

/** Whether a larger value of the metric is better (SageMaker's early-stopping direction). */
export function isMaximized(metric: MetricSpec): boolean {
  return MAXIMIZE.has(metric.base);
}

/**
 * Parses one `eval_metric` entry as SageMaker validates it: a known name, or `error@t`,
 * `ndcg@n`, `map@n` (optionally ending in `-`) with a number after `@`.
 */
export function parseMetricName(text: string): MetricSpec {
  const name = text.trim();
  const at = name.indexOf('@');
  if (at === -1) {
    if (!MAXIMIZE.has(name) && !MINIMIZE.has(name))
      throw new HyperparameterError(
        `Hyperparameter 'eval_metric': '${name}' is not a metric SageMaker's XGBoost computes; use one of ${METRIC_NAMES.join(', ')} (several comma-separated).`,
      );
    return rejectUnsupported({ name, base: name, minus: false });
  }
  const base = name.slice(0, at);
  let rest = name.slice(at + 1);
  const minus = rest.endsWith('-') && base !== 'error';
  if (minus) rest = rest.slice(0, -1);
  if (base !== 'error' && base !== 'ndcg' && base !== 'map')
    throw new HyperparameterError(
      `Hyperparameter 'eval_metric': '${name}' is not supported; a threshold or cut-off after '@' is allowed only for 'error', 'ndcg' and 'map'.`,
    );
  const param = rest === '' ? NaN : Number(rest);
  if (!Number.isFinite(param))
    throw new HyperparameterError(
      `Hyperparameter 'eval_metric': the 't' in '${base}@t' must be a number, got '${rest}'.`,
    );
  if ((base === 'ndcg' || base === 'map') && !(Number.isInteger(param) && param >= 0))
    throw new HyperparameterError(
      `Hyperparameter 'eval_metric': the cut-off in '${name}' must be a non-negative integer.`,
    );
  return { name, base, param, minus };
}

function rejectUnsupported(metric: MetricSpec): MetricSpec {
  if (UNSUPPORTED.has(metric.base))
    throw new HyperparameterError(
      `Hyperparameter 'eval_metric': '${metric.name}' needs a survival objective, which Plinth's XGBoost does not train.`,
    );
  return metric;
}

/** xgboost 1.7's default metric per objective (`ObjFunction::DefaultEvalMetric`). */
export function defaultMetric(objective: string, tweedieVariancePower: number): MetricSpec {
  switch (objective) {
    case 'binary:logistic':
    case 'binary:logitraw':
      return parseMetricName('logloss');
    case 'binary:hinge':
      return parseMetricName('error');
    case 'multi:softmax':
    case 'multi:softprob':
      return parseMetricName('mlogloss');
    case 'rank:pairwise':
      return parseMetricName('map');
    case 'count:poisson':
      return parseMetricName('poisson-nloglik');
    case 'reg:gamma':
      return parseMetricName('gamma-nloglik');
    case 'reg:tweedie':
      // xgboost names it with its rho; the metric reads rho from tweedie_variance_power.
      return {
        name: `tweedie-nloglik@${tweedieVariancePower}`,
        base: 'tweedie-nloglik',
        minus: false,
      };
    case 'reg:pseudohubererror':
      return parseMetricName('mphe');
    case 'reg:squaredlogerror':
      return parseMetricName('rmsle');
    default:
      return parseMetricName('rmse');
  }
}
