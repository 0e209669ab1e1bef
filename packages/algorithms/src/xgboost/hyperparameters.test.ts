import { describe, expect, it } from 'vitest';
import { hyperparameterFailure } from '../testing/hyperparameter-failure.js';
import { parseHyperparameters } from './hyperparameters.js';

const base = { num_round: '10' };

function failure(extra: Record<string, unknown>): string {
  return hyperparameterFailure(parseHyperparameters, { base, extra });
}

describe('XGBoost parseHyperparameters', () => {
  it("fills SageMaker's (xgboost 1.7's) defaults from string values", () => {
    const hp = parseHyperparameters(base);
    expect(hp).toMatchObject({
      numRound: 10,
      objective: 'reg:squarederror',
      numClass: 0,
      eta: 0.3,
      gamma: 0,
      maxDepth: 6,
      minChildWeight: 1,
      maxDeltaStep: 0,
      subsample: 1,
      colsampleBytree: 1,
      colsampleBylevel: 1,
      colsampleBynode: 1,
      lambda: 1,
      alpha: 0,
      maxBin: 256,
      scalePosWeight: 1,
      baseScore: 0.5,
      treeMethod: 'auto',
      growPolicy: 'depthwise',
      maxLeaves: 0,
      seed: 0,
      csvWeights: false,
      numParallelTree: 1,
      tweedieVariancePower: 1.5,
    });
    expect(hp.earlyStoppingRounds).toBeUndefined();
    expect(hp.evalMetrics.map((m) => m.name)).toEqual(['rmse']);
  });

  it('gives each objective its default metric, as xgboost 1.7 does', () => {
    const metric = (objective: string, extra: Record<string, string> = {}) =>
      parseHyperparameters({ ...base, objective, ...extra }).evalMetrics.map((m) => m.name);
    expect(metric('binary:logistic')).toEqual(['logloss']);
    expect(metric('reg:logistic')).toEqual(['rmse']);
    expect(metric('binary:hinge')).toEqual(['error']);
    expect(metric('multi:softprob', { num_class: '3' })).toEqual(['mlogloss']);
    expect(metric('multi:softmax', { num_class: '3' })).toEqual(['mlogloss']);
    expect(metric('rank:pairwise')).toEqual(['map']);
    expect(metric('count:poisson')).toEqual(['poisson-nloglik']);
    expect(metric('reg:tweedie')).toEqual(['tweedie-nloglik@1.5']);
    expect(metric('reg:squaredlogerror')).toEqual(['rmsle']);
  });

  it('reads explicit values, aliases, several eval metrics and the tuning metric', () => {
    const hp = parseHyperparameters({
      num_round: 50,
      objective: 'binary:logistic',
      learning_rate: '0.1',
      reg_lambda: '2',
      reg_alpha: '0.5',
      min_split_loss: '0.2',
      max_depth: '4',
      subsample: '0.8',
      eval_metric: 'auc,error@0.6,logloss',
      early_stopping_rounds: '5',
      seed: '-3',
      nthread: '2',
      csv_weights: '1',
      tree_method: 'hist',
      grow_policy: 'lossguide',
      max_leaves: '31',
      _tuning_objective_metric: 'validation:auc',
      force_dense: 'true',
      updater: 'grow_quantile_histmaker,prune',
    });
    expect(hp).toMatchObject({
      numRound: 50,
      eta: 0.1,
      lambda: 2,
      alpha: 0.5,
      gamma: 0.2,
      maxDepth: 4,
      subsample: 0.8,
      earlyStoppingRounds: 5,
      seed: -3,
      nthread: 2,
      csvWeights: true,
      treeMethod: 'hist',
      growPolicy: 'lossguide',
      maxLeaves: 31,
    });
    expect(hp.evalMetrics.map((m) => m.name)).toEqual(['auc', 'error@0.6', 'logloss']);
    expect(hp.evalMetrics[1]).toMatchObject({ base: 'error', param: 0.6 });
    // SageMaker stops early on the tuning job's metric when there is one.
    expect(hp.stoppingMetric.name).toBe('auc');
    expect(parseHyperparameters({ ...base, eval_metric: 'rmse,mae' }).stoppingMetric.name).toBe(
      'mae',
    );
  });

  it('fails on unknown or repeated names, naming the hyperparameter', () => {
    expect(failure({ foo: '1' })).toMatch(
      /Unknown hyperparameter 'foo'\. XGBoost accepts: num_round/,
    );
    expect(failure({ eta: '0.1', learning_rate: '0.2' })).toMatch(
      /'learning_rate' and 'eta' are the same/,
    );
  });

  it('fails on missing and out-of-range values with the rule', () => {
    expect(hyperparameterFailure(parseHyperparameters, { base: {}, extra: {} })).toMatch(
      /Missing required hyperparameter 'num_round'/,
    );
    expect(failure({ num_round: '0' })).toMatch(/'num_round' must be a positive integer, got '0'/);
    expect(failure({ eta: '1.5' })).toMatch(/'eta' must be a number >= 0 and <= 1, got '1.5'/);
    expect(failure({ subsample: '0' })).toMatch(/'subsample' must be a number > 0 and <= 1/);
    expect(failure({ colsample_bytree: '2' })).toMatch(/'colsample_bytree' must be a number > 0/);
    expect(failure({ max_depth: '-1' })).toMatch(/'max_depth' must be a non-negative integer/);
    expect(failure({ lambda: '-1' })).toMatch(/'lambda' must be a number >= 0/);
    expect(failure({ max_bin: '1' })).toMatch(/'max_bin' must be an integer from 2 to 65535/);
    expect(failure({ scale_pos_weight: '0' })).toMatch(/'scale_pos_weight' must be a number > 0/);
    expect(failure({ csv_weights: '2' })).toMatch(/'csv_weights' must be an integer from 0 to 1/);
    expect(failure({ seed: '2147483647' })).toMatch(/'seed' must be an integer from/);
    expect(failure({ verbosity: '4' })).toMatch(/'verbosity' must be an integer from 0 to 3/);
    expect(failure({ sketch_eps: '1' })).toMatch(/'sketch_eps' must be a number > 0 and < 1/);
    expect(failure({ tweedie_variance_power: '2' })).toMatch(/'tweedie_variance_power'/);
    expect(failure({ tree_method: 'fast' })).toMatch(/'tree_method' must be one of 'auto'/);
    expect(failure({ grow_policy: 'x' })).toMatch(
      /'grow_policy' must be one of 'depthwise', 'lossguide'/,
    );
    expect(failure({ updater: 'grow_fast' })).toMatch(/'updater': 'grow_fast' is not an updater/);
  });

  it('checks objectives, num_class and base_score as SageMaker and xgboost do', () => {
    expect(failure({ objective: 'reg:nothing' })).toMatch(
      /'objective' must be one of 'reg:squarederror'/,
    );
    expect(failure({ objective: 'multi:softmax' })).toMatch(
      /Missing required hyperparameter 'num_class'.*'multi:softmax' needs it/,
    );
    expect(failure({ objective: 'multi:softprob', num_class: '1' })).toMatch(
      /'num_class' must be an integer from 2 to 2147483647, got '1'/,
    );
    expect(failure({ num_class: '3' })).toMatch(/'num_class' is only for multi-class objectives/);
    expect(failure({ objective: 'binary:logistic', base_score: '1' })).toMatch(
      /'base_score' must be in \(0, 1\) for logistic loss/,
    );
    expect(failure({ objective: 'count:poisson', base_score: '0' })).toMatch(
      /'base_score' must be positive/,
    );
    expect(failure({ objective: 'rank:ndcg' })).toMatch(
      /'rank:ndcg' is not supported.*rank:pairwise/,
    );
  });

  it('checks eval_metric names, thresholds and the auc rule', () => {
    expect(failure({ eval_metric: 'accuracy,bogus' })).toMatch(
      /'eval_metric': 'bogus' is not a metric/,
    );
    expect(failure({ eval_metric: 'rmse@3' })).toMatch(
      /allowed only for 'error', 'ndcg' and 'map'/,
    );
    expect(failure({ eval_metric: 'error@x' })).toMatch(/the 't' in 'error@t' must be a number/);
    expect(failure({ eval_metric: 'auc' })).toMatch(
      /'auc' can only be applied for classification and ranking problems/,
    );
    expect(failure({ eval_metric: 'cox-nloglik' })).toMatch(/needs a survival objective/);
  });

  it('fails on settings Plinth cannot honour instead of ignoring them', () => {
    expect(failure({ booster: 'dart' })).toMatch(/'booster': 'dart' is not supported/);
    expect(failure({ booster: 'tree' })).toMatch(
      /'booster' must be one of 'gbtree', 'gblinear', 'dart'/,
    );
    expect(failure({ monotone_constraints: '(1,0)' })).toMatch(
      /'monotone_constraints' is not supported/,
    );
    expect(failure({ monotone_constraints: '(2,0)' })).toMatch(/'2' is not in \[-1, 0, 1\]/);
    expect(parseHyperparameters({ ...base, monotone_constraints: '(0,0)' }).numRound).toBe(10);
    expect(failure({ interaction_constraints: '[[0,1]]' })).toMatch(/not supported/);
    expect(failure({ process_type: 'update' })).toMatch(/'process_type': 'update'/);
    expect(failure({ sampling_method: 'gradient_based' })).toMatch(/needs a GPU/);
    expect(failure({ _kfold: '5' })).toMatch(/'_kfold' \(cross-validation\) is not supported/);
    expect(failure({ max_depth: '0' })).toMatch(
      /'max_depth' must be positive with grow_policy 'depthwise'/,
    );
  });
});
