import { HyperparameterError } from '../common/errors.js';
import {
  hyperparameterText,
  parseInteger,
  rejectUnknown,
} from '../common/hyperparameter-values.js';

/** Test-channel metrics Random Cut Forest can report, as SageMaker names them. */
export type EvalMetric = 'accuracy' | 'precision_recall_fscore';

const EVAL_METRICS: readonly EvalMetric[] = ['accuracy', 'precision_recall_fscore'];

/** Random Cut Forest hyperparameters after validation. */
export interface RcfHyperparameters {
  featureDim: number;
  numSamplesPerTree: number;
  numTrees: number;
  evalMetrics: EvalMetric[];
  /** Records per read batch; the SageMaker SDK always sends 1000 (RCF's fixed batch size). */
  miniBatchSize: number;
}

const KNOWN = new Set([
  'feature_dim',
  'num_samples_per_tree',
  'num_trees',
  'eval_metrics',
  'mini_batch_size',
]);

/**
 * Validates hyperparameters as SageMaker writes them (every value a string) against SageMaker's
 * documented Random Cut Forest names, defaults and ranges. `mini_batch_size`, which the SageMaker
 * SDK's RandomCutForest estimator sends, only sets the read batch size.
 */
export function parseHyperparameters(raw: Record<string, unknown>): RcfHyperparameters {
  rejectUnknown(raw, { name: 'randomcutforest', known: KNOWN });
  const value = (name: string): string | undefined => hyperparameterText(name, raw[name]);
  return {
    featureDim: parseInteger('feature_dim', value('feature_dim'), { min: 1, max: 10000 }),
    numSamplesPerTree: parseInteger('num_samples_per_tree', value('num_samples_per_tree'), {
      min: 1,
      max: 2048,
      fallback: 256,
    }),
    numTrees: parseInteger('num_trees', value('num_trees'), { min: 50, max: 1000, fallback: 100 }),
    evalMetrics: evalMetrics(value('eval_metrics')),
    miniBatchSize: parseInteger('mini_batch_size', value('mini_batch_size'), {
      min: 1,
      fallback: 1000,
    }),
  };
}

/**
 * A list of metric names: a JSON list (`["accuracy"]`, as the SDK writes it, possibly wrapped in
 * single quotes as console users do) or comma-separated words (`accuracy,precision_recall_fscore`).
 */
function evalMetrics(value: string | undefined): EvalMetric[] {
  if (value === undefined) return [...EVAL_METRICS];
  const rule = `Hyperparameter 'eval_metrics' must be a list of 'accuracy' and/or 'precision_recall_fscore', like ["accuracy","precision_recall_fscore"], got '${value}'.`;
  const unquoted = /^'.*'$/s.test(value) ? value.slice(1, -1) : value;
  let items: unknown[];
  try {
    const parsed: unknown = JSON.parse(unquoted);
    items = Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    items = unquoted
      .replace(/^\[|\]$/g, '')
      .split(',')
      .map((item) => item.trim().replace(/^["']|["']$/g, ''));
  }
  const metrics: EvalMetric[] = [];
  for (const item of items) {
    const metric = EVAL_METRICS.find((m) => m === item);
    if (metric === undefined) throw new HyperparameterError(rule);
    if (!metrics.includes(metric)) metrics.push(metric);
  }
  if (metrics.length === 0) throw new HyperparameterError(rule);
  return metrics;
}
