// XGBoost's own JSON model format, as `Booster.save_model('model.json')` writes it in xgboost
// 1.7 (schema: dmlc/xgboost `doc/model.schema` at v1.7.4, checked against files written by
// xgboost 1.7.4). Numbers that xgboost keeps as parameters are strings ("5E-1", "0"); arrays
// of per-node values are JSON numbers. Plinth writes and reads exactly this shape, so models
// move between Plinth and the xgboost library both ways.

/** The file SageMaker's XGBoost container writes under `model/` (its content is JSON here). */
export const MODEL_FILE = 'xgboost-model';

/** The version Plinth writes into `version` (the xgboost release whose format it follows). */
export const MODEL_VERSION: readonly [number, number, number] = [1, 7, 4];

/** The `parents` entry of a root node (xgboost's `kInvalidNodeId` as unsigned 31-bit). */
export const ROOT_PARENT = 2147483647;

/** `left_children`/`right_children` entry of a leaf. */
export const LEAF_CHILD = -1;

/** `split_type` values: a numerical split (`x < split_condition`) or a categorical one. */
export const SPLIT_NUMERICAL = 0;
export const SPLIT_CATEGORICAL = 1;

/** Parameters of one tree; every value is a decimal string. */
export interface TreeParamJson {
  num_deleted: string;
  num_feature: string;
  num_nodes: string;
  size_leaf_vector: string;
}

/**
 * One regression tree, arrays indexed by node id (node 0 is the root). A leaf has
 * `left_children[i] = -1` and its value (already multiplied by eta) in `split_conditions[i]`;
 * a split sends `x[split_indices[i]] < split_conditions[i]` left and a missing value (NaN)
 * left when `default_left[i] = 1`.
 */
export interface TreeJson {
  base_weights: number[];
  categories: number[];
  categories_nodes: number[];
  categories_segments: number[];
  categories_sizes: number[];
  default_left: number[];
  id: number;
  left_children: number[];
  loss_changes: number[];
  parents: number[];
  right_children: number[];
  split_conditions: number[];
  split_indices: number[];
  split_type: number[];
  sum_hessian: number[];
  tree_param: TreeParamJson;
}

/** `gbtree_model_param`: decimal strings. */
export interface GBTreeModelParamJson {
  num_parallel_tree: string;
  num_trees: string;
  size_leaf_vector: string;
}

/** The trees and, per tree, the output group (class) it adds to (`tree_info`). */
export interface GBTreeModelJson {
  gbtree_model_param: GBTreeModelParamJson;
  tree_info: number[];
  trees: TreeJson[];
}

/** `booster=gbtree`. */
export interface GBTreeBoosterJson {
  name: 'gbtree';
  model: GBTreeModelJson;
}

/** `booster=dart`: a gbtree whose trees are scaled by `weight_drop` at prediction. */
export interface DartBoosterJson {
  name: 'dart';
  gbtree: GBTreeBoosterJson;
  weight_drop: number[];
}

/**
 * `booster=gblinear`: `weights` holds `(num_feature + 1) × num_output_group` numbers, feature
 * major (`weights[f * groups + g]`), the biases in the last `groups` entries.
 */
export interface GBLinearBoosterJson {
  name: 'gblinear';
  model: { weights: number[] };
}

/** The `gradient_booster` member. */
export type GradientBoosterJson = GBTreeBoosterJson | DartBoosterJson | GBLinearBoosterJson;

/**
 * The objective and its parameters (all decimal strings), e.g.
 * `{"name": "binary:logistic", "reg_loss_param": {"scale_pos_weight": "1"}}`,
 * `{"name": "multi:softprob", "softmax_multiclass_param": {"num_class": "3"}}`,
 * `{"name": "count:poisson", "poisson_regression_param": {"max_delta_step": "0.699999988"}}`,
 * `{"name": "reg:tweedie", "tweedie_regression_param": {"tweedie_variance_power": "1.5"}}`,
 * `{"name": "reg:pseudohubererror", "pseudo_huber_param": {"huber_slope": "1"}}`,
 * `{"name": "rank:pairwise", "lambda_rank_param": {"fix_list_weight": "0", "num_pairsample": "1"}}`,
 * `{"name": "survival:aft", "aft_loss_param": {...}}`, `{"name": "reg:gamma"}`.
 */
export interface ObjectiveJson {
  name: string;
  [param: string]: string | Record<string, string>;
}

/**
 * `learner_model_param`: decimal strings. `base_score` is in the objective's output space
 * (a probability for logistic objectives; xgboost 1.7 writes "5E-1" by default) and becomes
 * the starting margin through the objective's link (logit, log, or identity).
 * `num_class` is "0" for single-output objectives.
 */
export interface LearnerModelParamJson {
  base_score: string;
  boost_from_average: string;
  num_class: string;
  num_feature: string;
  num_target: string;
}

/** The `learner` member. `attributes` holds e.g. `best_iteration`, `best_ntree_limit`. */
export interface LearnerJson {
  attributes: Record<string, string>;
  feature_names: string[];
  feature_types: string[];
  gradient_booster: GradientBoosterJson;
  learner_model_param: LearnerModelParamJson;
  objective: ObjectiveJson;
}

/** The whole file: `{"learner": {...}, "version": [1, 7, 4]}`. */
export interface XGBoostModelJson {
  learner: LearnerJson;
  version: [number, number, number];
}

/** Formats a number as xgboost writes parameter strings closely enough to read back exactly. */
export function formatParam(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.fround(value));
}

/**
 * The per-node and per-weight arrays xgboost's JSON reader requires to hold JSON floats: it
 * refuses an integer token there ("Invalid cast, from Integer to Number"), so `0` must be
 * written `0.0`.
 */
export const FLOAT_ARRAYS: ReadonlySet<string> = new Set([
  'base_weights',
  'loss_changes',
  'split_conditions',
  'sum_hessian',
  'weight_drop',
  'weights',
]);

/**
 * Serializes a model as xgboost reads it: like `JSON.stringify`, but the {@link FLOAT_ARRAYS}
 * hold float tokens (`0.0`, the shortest digits that read back to the same float32,
 * `NaN`/`Infinity` as xgboost writes them). Use it, not `JSON.stringify`, to write
 * `xgboost-model`.
 */
export function stringifyModelJson(model: XGBoostModelJson): string {
  const raw: string[] = [];
  const text = JSON.stringify(model, (key: string, value: unknown) =>
    FLOAT_ARRAYS.has(key) && Array.isArray(value)
      ? `\u0000${raw.push(`[${(value as number[]).map(formatFloat32).join(',')}]`) - 1}`
      : value,
  );
  return text.replace(/"\\u0000(\d+)"/g, (_, index: string) => raw[Number(index)]!);
}

/** A float32 as a JSON float token: shortest round-trip digits, always with `.` or `e`. */
export function formatFloat32(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const f = Math.fround(value);
  let text = String(f);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = f.toPrecision(digits);
    if (Math.fround(Number(candidate)) === f) {
      text = String(Number(candidate));
      break;
    }
  }
  return /[.eE]/.test(text) ? text : `${text}.0`;
}
