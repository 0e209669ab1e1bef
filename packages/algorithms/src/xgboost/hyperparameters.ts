import { HyperparameterError } from '../common/errors.js';
import {
  hyperparameterText,
  parseChoice,
  parseInteger,
  parseReal,
} from '../common/hyperparameter-values.js';
import { defaultMetric, type MetricSpec, parseMetricName } from './eval-metric-names.js';
import {
  INERT_CHECKS,
  checkMonotoneConstraints,
  parseSignedInteger,
} from './hyperparameter-checks.js';

/** The objectives Plinth trains (SageMaker's list minus those noted in the README). */
export const OBJECTIVES = [
  'reg:squarederror',
  'reg:linear',
  'reg:logistic',
  'binary:logistic',
  'binary:logitraw',
  'binary:hinge',
  'multi:softmax',
  'multi:softprob',
  'rank:pairwise',
  'count:poisson',
  'reg:gamma',
  'reg:tweedie',
  'reg:pseudohubererror',
  'reg:squaredlogerror',
] as const;

/** A trainable objective. */
export type Objective = (typeof OBJECTIVES)[number];

// In SageMaker's objective list but not trained by Plinth: they fail with this reason.
const UNTRAINED: Record<string, string> = {
  'rank:ndcg': 'use rank:pairwise',
  'rank:map': 'use rank:pairwise',
  'reg:absoluteerror': 'it needs adaptive leaf values',
  'survival:aft': 'survival objectives are not implemented',
  'survival:cox': 'survival objectives are not implemented',
  aft_loss_distribution: 'it is not an objective',
};

/** XGBoost hyperparameters after validation, with SageMaker's (xgboost 1.7's) defaults. */
export interface XGBoostHyperparameters {
  numRound: number;
  objective: Objective;
  /** num_class for multi:*, else 0 (xgboost's "0" in the model). */
  numClass: number;
  eta: number;
  gamma: number;
  maxDepth: number;
  minChildWeight: number;
  /** Tree leaf clamp (TrainParam), 0 = none; also Poisson's hessian shift when given. */
  maxDeltaStep: number;
  /** Whether max_delta_step was given (count:poisson then uses it instead of 0.7). */
  maxDeltaStepGiven: boolean;
  subsample: number;
  colsampleBytree: number;
  colsampleBylevel: number;
  colsampleBynode: number;
  lambda: number;
  alpha: number;
  maxBin: number;
  scalePosWeight: number;
  baseScore: number;
  earlyStoppingRounds?: number;
  /** The metrics printed each round, in the order given (default: the objective's). */
  evalMetrics: MetricSpec[];
  /**
   * The metric early stopping watches on the validation channel: the tuning job's objective
   * metric, else the last eval_metric given, else the objective's default metric.
   */
  stoppingMetric: MetricSpec;
  treeMethod: 'auto' | 'exact' | 'approx' | 'hist' | 'gpu_hist';
  growPolicy: 'depthwise' | 'lossguide';
  maxLeaves: number;
  seed: number;
  nthread?: number;
  csvWeights: boolean;
  numParallelTree: number;
  tweedieVariancePower: number;
}

const KNOWN_ALIASES: Record<string, string> = {
  learning_rate: 'eta',
  min_split_loss: 'gamma',
  reg_lambda: 'lambda',
  reg_alpha: 'alpha',
};

const KNOWN = new Set([
  'num_round',
  'num_class',
  'objective',
  'eta',
  'gamma',
  'max_depth',
  'min_child_weight',
  'max_delta_step',
  'subsample',
  'colsample_bytree',
  'colsample_bylevel',
  'colsample_bynode',
  'lambda',
  'alpha',
  'max_bin',
  'scale_pos_weight',
  'base_score',
  'early_stopping_rounds',
  'eval_metric',
  'tree_method',
  'grow_policy',
  'max_leaves',
  'seed',
  'nthread',
  'csv_weights',
  'num_parallel_tree',
  'tweedie_variance_power',
  'booster',
  'process_type',
  'sampling_method',
  'monotone_constraints',
  'interaction_constraints',
  '_kfold',
  '_num_cv_round',
  '_tuning_objective_metric',
  'force_dense',
  ...Object.keys(INERT_CHECKS),
]);

/**
 * Validates hyperparameters as SageMaker's XGBoost 1.7-1 container does (every value a string;
 * names, ranges and aliases from its table) and fills xgboost 1.7's defaults.
 */
export function parseHyperparameters(given: Record<string, unknown>): XGBoostHyperparameters {
  const raw: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    const key = KNOWN_ALIASES[name] ?? name;
    if (!KNOWN.has(key))
      throw new HyperparameterError(
        `Unknown hyperparameter '${name}'. XGBoost accepts: ${[...KNOWN].filter((k) => !k.startsWith('_') && k !== 'force_dense').join(', ')} (and the aliases ${Object.keys(KNOWN_ALIASES).join(', ')}).`,
      );
    if (key in raw && key !== name)
      throw new HyperparameterError(
        `Hyperparameters '${name}' and '${key}' are the same; give one.`,
      );
    raw[key] = value;
  }
  const value = (name: string): string | undefined => hyperparameterText(name, raw[name]);
  const real = (name: string, fallback: number, rule: Parameters<typeof parseReal>[2]): number => {
    const text = value(name);
    return text === undefined ? fallback : parseReal(name, text, rule);
  };
  const int = (name: string, fallback: number, range: { min: number; max?: number }): number =>
    parseInteger(name, value(name), { ...range, fallback });

  for (const [name, check] of Object.entries(INERT_CHECKS)) {
    const text = value(name);
    if (text !== undefined) check(name, text);
  }
  rejectUnsupported(value);
  const numRound = parseInteger('num_round', value('num_round'), { min: 1 });
  const objective = parseObjective(value('objective'));
  const multi = objective.startsWith('multi:');
  const numClassText = value('num_class');
  if (multi && numClassText === undefined)
    throw new HyperparameterError(
      `Missing required hyperparameter 'num_class' (an integer >= 2): objective '${objective}' needs it.`,
    );
  const numClass =
    numClassText === undefined
      ? 0
      : parseSignedInteger('num_class', numClassText, { min: 2, max: 2 ** 31 - 1 });
  if (!multi && numClassText !== undefined)
    throw new HyperparameterError(
      `Hyperparameter 'num_class' is only for multi-class objectives, not '${objective}'; set objective to 'multi:softmax' or 'multi:softprob'.`,
    );
  const growPolicy = parseChoice('grow_policy', value('grow_policy') ?? 'depthwise', [
    'depthwise',
    'lossguide',
  ] as const);
  const maxDepth = int('max_depth', 6, { min: 0 });
  const maxLeaves = int('max_leaves', 0, { min: 0 });
  if (maxDepth === 0 && growPolicy === 'depthwise')
    throw new HyperparameterError(
      "Hyperparameter 'max_depth' must be positive with grow_policy 'depthwise' (0, no limit, needs grow_policy 'lossguide').",
    );
  if (maxDepth === 0 && maxLeaves === 0)
    throw new HyperparameterError(
      "Hyperparameters 'max_depth' and 'max_leaves' cannot both be 0 (unlimited trees); give either a limit.",
    );
  const tweedieVariancePower = real('tweedie_variance_power', 1.5, { above: 1, below: 2 });
  const metrics = parseEvalMetrics(value('eval_metric'), objective);
  const tuning = tuningMetric(value('_tuning_objective_metric'));
  const evalMetrics = metrics ?? [defaultMetric(objective, tweedieVariancePower)];
  if (tuning && !evalMetrics.some((m) => m.name === tuning.name)) evalMetrics.push(tuning);
  const earlyStoppingText = value('early_stopping_rounds');
  const earlyStoppingRounds =
    earlyStoppingText === undefined
      ? undefined
      : parseInteger('early_stopping_rounds', earlyStoppingText, { min: 1 });
  const maxDeltaStepText = value('max_delta_step');
  const nthreadText = value('nthread');
  const seedText = value('seed');
  const baseScore = real('base_score', 0.5, { min: 0 });
  checkBaseScore(objective, baseScore);
  return {
    numRound,
    objective,
    numClass,
    eta: real('eta', 0.3, { min: 0, max: 1 }),
    gamma: real('gamma', 0, { min: 0 }),
    maxDepth,
    minChildWeight: real('min_child_weight', 1, { min: 0 }),
    maxDeltaStep: real('max_delta_step', 0, { min: 0 }),
    maxDeltaStepGiven: maxDeltaStepText !== undefined,
    subsample: real('subsample', 1, { above: 0, max: 1 }),
    colsampleBytree: real('colsample_bytree', 1, { above: 0, max: 1 }),
    colsampleBylevel: real('colsample_bylevel', 1, { above: 0, max: 1 }),
    colsampleBynode: real('colsample_bynode', 1, { above: 0, max: 1 }),
    lambda: real('lambda', 1, { min: 0 }),
    alpha: real('alpha', 0, { min: 0 }),
    // SageMaker allows 0 and 1, xgboost needs at least 2 bins.
    maxBin: int('max_bin', 256, { min: 2, max: 65535 }),
    scalePosWeight: real('scale_pos_weight', 1, { above: 0 }),
    baseScore,
    ...(earlyStoppingRounds !== undefined && { earlyStoppingRounds }),
    evalMetrics,
    stoppingMetric: tuning ?? metrics?.at(-1) ?? evalMetrics.at(-1)!,
    treeMethod: parseChoice('tree_method', value('tree_method') ?? 'auto', [
      'auto',
      'exact',
      'approx',
      'hist',
      'gpu_hist',
    ] as const),
    growPolicy,
    maxLeaves,
    seed:
      seedText === undefined
        ? 0
        : parseSignedInteger('seed', seedText, { min: -(2 ** 31) + 1, max: 2 ** 31 - 2 }),
    ...(nthreadText !== undefined && { nthread: parseInteger('nthread', nthreadText, { min: 1 }) }),
    csvWeights: int('csv_weights', 0, { min: 0, max: 1 }) === 1,
    numParallelTree: int('num_parallel_tree', 1, { min: 1 }),
    tweedieVariancePower,
  };
}

function parseObjective(text: string | undefined): Objective {
  const name = text ?? 'reg:squarederror';
  if (name in UNTRAINED)
    throw new HyperparameterError(
      `Hyperparameter 'objective': '${name}' is not supported by Plinth's XGBoost (${UNTRAINED[name]}).`,
    );
  return parseChoice('objective', name, OBJECTIVES);
}

/** SageMaker (and xgboost) settings that change training in ways Plinth does not implement. */
function rejectUnsupported(value: (name: string) => string | undefined): void {
  const booster = value('booster');
  if (booster !== undefined) {
    parseChoice('booster', booster, ['gbtree', 'gblinear', 'dart']);
    if (booster !== 'gbtree')
      throw new HyperparameterError(
        `Hyperparameter 'booster': '${booster}' is not supported by Plinth's XGBoost; only 'gbtree' is trained.`,
      );
  }
  const processType = value('process_type');
  if (
    processType !== undefined &&
    parseChoice('process_type', processType, ['default', 'update']) === 'update'
  )
    throw new HyperparameterError(
      "Hyperparameter 'process_type': 'update' (refreshing an existing model) is not supported by Plinth's XGBoost.",
    );
  const sampling = value('sampling_method');
  if (
    sampling !== undefined &&
    parseChoice('sampling_method', sampling, ['uniform', 'gradient_based']) !== 'uniform'
  )
    throw new HyperparameterError(
      "Hyperparameter 'sampling_method': 'gradient_based' needs a GPU (tree_method 'gpu_hist'); use 'uniform'.",
    );
  const monotone = value('monotone_constraints');
  if (monotone !== undefined) checkMonotoneConstraints(monotone);
  if (value('interaction_constraints') !== undefined)
    throw new HyperparameterError(
      "Hyperparameter 'interaction_constraints' is not supported by Plinth's XGBoost yet.",
    );
  for (const name of ['_kfold', '_num_cv_round'])
    if (value(name) !== undefined)
      throw new HyperparameterError(
        `Hyperparameter '${name}' (cross-validation) is not supported by Plinth's XGBoost.`,
      );
}

function parseEvalMetrics(
  text: string | undefined,
  objective: Objective,
): MetricSpec[] | undefined {
  if (text === undefined) return undefined;
  const metrics = text.split(',').map(parseMetricName);
  const names = new Set<string>();
  const unique = metrics.filter((m) => !names.has(m.name) && names.add(m.name));
  if (unique.some((m) => m.base === 'auc') && !/^(binary|rank):/.test(objective))
    throw new HyperparameterError(
      "Hyperparameter 'eval_metric': 'auc' can only be applied for classification and ranking problems (objective binary:* or rank:*).",
    );
  return unique;
}

function tuningMetric(text: string | undefined): MetricSpec | undefined {
  if (text === undefined) return undefined;
  const match = /^(?:validation|train):(.+)$/.exec(text);
  if (!match)
    throw new HyperparameterError(
      `Hyperparameter '_tuning_objective_metric' must be '<channel>:<metric>' such as 'validation:auc', got '${text}'.`,
    );
  return parseMetricName(match[1]!);
}

function checkBaseScore(objective: Objective, baseScore: number): void {
  const logistic = objective === 'binary:logistic' || objective === 'reg:logistic';
  if (logistic && !(baseScore > 0 && baseScore < 1))
    throw new HyperparameterError(
      `Hyperparameter 'base_score' must be in (0, 1) for logistic loss (objective '${objective}'), got ${baseScore}.`,
    );
  const logLink =
    objective === 'count:poisson' || objective === 'reg:gamma' || objective === 'reg:tweedie';
  if (logLink && !(baseScore > 0))
    throw new HyperparameterError(
      `Hyperparameter 'base_score' must be positive for objective '${objective}' (its margin is log(base_score)), got ${baseScore}.`,
    );
}
