import type { FlatTrees } from './flat-trees.js';
import {
  ModelFormatError,
  integerParam,
  isObject,
  numberArray,
  numberParam,
  objectAt,
} from './json-checks.js';
import { OBJECTIVES, type ObjectiveRule, baseMargin } from './objectives.js';
import { parseXGBoostJson } from './nan-json.js';
import { flattenTrees } from './tree-reader.js';

/** An xgboost model read from its JSON format, laid out for prediction. */
export interface XGBoostModel {
  /** The `version` the file was written by, e.g. [1, 7, 4]. */
  version: readonly number[];
  /** e.g. `binary:logistic`. */
  objective: string;
  rule: ObjectiveRule;
  numFeature: number;
  /** `num_class` as stored (0 unless multi-class). */
  numClass: number;
  /** Margins per row: max(num_class, num_target, 1). */
  numGroup: number;
  /** base_score as stored (the objective's output space). */
  baseScore: number;
  /** base_score through the objective's link: every margin starts here (float32). */
  baseMargin: number;
  booster: 'gbtree' | 'dart' | 'gblinear';
  /** gbtree and dart. */
  trees?: FlatTrees;
  /** gblinear: `(num_feature + 1) × numGroup` weights, feature major, biases last. */
  linearWeights?: Float32Array;
  /**
   * How many trees SageMaker's server predicts with: the first `best_ntree_limit`
   * iterations (attribute set by xgboost's training), all trees when absent.
   */
  treeLimit: number;
  /** The learner's `attributes` (e.g. best_iteration, best_ntree_limit). */
  attributes: Record<string, string>;
}

/** Parses and checks an xgboost JSON model (the text of `Booster.save_model('m.json')`). */
export function readModelJson(text: string): XGBoostModel {
  const root = objectAt(parseXGBoostJson(text), 'the model');
  const version = numberArray(root.version, 'version');
  if (version.length !== 3 || !(version[0]! >= 1))
    throw new ModelFormatError(
      `version must be [major, minor, patch] with major >= 1, got ${JSON.stringify(root.version)}`,
    );
  const learner = objectAt(root.learner, 'learner');
  const param = objectAt(learner.learner_model_param, 'learner.learner_model_param');
  const numFeature = integerParam(param.num_feature, 'learner.learner_model_param.num_feature');
  const numClass = integerParam(param.num_class ?? '0', 'learner.learner_model_param.num_class');
  const numTarget = integerParam(param.num_target ?? '1', 'learner.learner_model_param.num_target');
  const baseScore = numberParam(param.base_score, 'learner.learner_model_param.base_score');
  const objective = objectAt(learner.objective, 'learner.objective').name;
  if (typeof objective !== 'string')
    throw new ModelFormatError('learner.objective.name must be a string');
  const rule = OBJECTIVES[objective];
  if (rule === undefined)
    throw new ModelFormatError(
      `learner.objective.name '${objective}' is not an xgboost 1.7 objective Plinth can predict with (${Object.keys(OBJECTIVES).join(', ')})`,
    );
  const numGroup = Math.max(numClass, numTarget, 1);
  const model: XGBoostModel = {
    version,
    objective,
    rule,
    numFeature,
    numClass,
    numGroup,
    baseScore,
    baseMargin: margin(baseScore, rule),
    booster: 'gbtree',
    treeLimit: 0,
    attributes: stringAttributes(learner.attributes),
  };
  readBooster(objectAt(learner.gradient_booster, 'learner.gradient_booster'), model);
  return model;
}

function margin(baseScore: number, rule: ObjectiveRule): number {
  try {
    return baseMargin(baseScore, rule);
  } catch (error) {
    throw new ModelFormatError(`learner.learner_model_param.${(error as Error).message}`);
  }
}

function readBooster(booster: Record<string, unknown>, model: XGBoostModel): void {
  const path = 'learner.gradient_booster';
  switch (booster.name) {
    case 'gbtree':
      readGBTree(booster, path, model);
      return;
    case 'dart': {
      readGBTree(objectAt(booster.gbtree, `${path}.gbtree`), `${path}.gbtree`, model);
      const drops = numberArray(booster.weight_drop, `${path}.weight_drop`, model.trees!.count);
      model.trees!.weight = Float32Array.from(drops);
      model.booster = 'dart';
      return;
    }
    case 'gblinear': {
      const size = (model.numFeature + 1) * model.numGroup;
      const weights = numberArray(
        objectAt(booster.model, `${path}.model`).weights,
        `${path}.model.weights`,
        size,
      );
      model.booster = 'gblinear';
      model.linearWeights = Float32Array.from(weights);
      return;
    }
    default:
      throw new ModelFormatError(
        `${path}.name must be gbtree, dart or gblinear, got ${JSON.stringify(booster.name)}`,
      );
  }
}

function readGBTree(booster: Record<string, unknown>, path: string, model: XGBoostModel): void {
  const body = objectAt(booster.model, `${path}.model`);
  const param = objectAt(body.gbtree_model_param, `${path}.model.gbtree_model_param`);
  const numTrees = integerParam(param.num_trees, `${path}.model.gbtree_model_param.num_trees`);
  const parallel = integerParam(
    param.num_parallel_tree ?? '1',
    `${path}.model.gbtree_model_param.num_parallel_tree`,
  );
  const trees = flattenTrees(body.trees, body.tree_info, {
    path: `${path}.model.trees`,
    numFeature: model.numFeature,
    numGroup: model.numGroup,
  });
  if (trees.count !== numTrees)
    throw new ModelFormatError(
      `${path}.model.trees has ${trees.count} trees but num_trees is ${numTrees}`,
    );
  model.trees = trees;
  model.treeLimit = treeLimit(model, Math.max(parallel, 1));
}

/** SageMaker predicts with `ntree_limit=best_ntree_limit`: that many iterations' trees. */
function treeLimit(model: XGBoostModel, parallel: number): number {
  const count = model.trees!.count;
  const best = Number(model.attributes.best_ntree_limit ?? '0');
  if (!Number.isInteger(best) || best <= 0) return count;
  const layers = Math.floor(best / parallel);
  if (layers === 0) return count;
  return Math.min(count, layers * parallel * model.numGroup);
}

function stringAttributes(value: unknown): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (isObject(value))
    for (const [key, item] of Object.entries(value))
      if (typeof item === 'string') attributes[key] = item;
  return attributes;
}
