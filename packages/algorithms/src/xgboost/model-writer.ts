import type { GrownTree } from './grown-tree.js';
import type { Objective } from './hyperparameters.js';
import {
  LEAF_CHILD,
  MODEL_VERSION,
  type ObjectiveJson,
  ROOT_PARENT,
  SPLIT_NUMERICAL,
  type TreeJson,
  type XGBoostModelJson,
  formatParam,
} from './model-json.js';

/** What the model file records besides the trees. */
export interface ModelFacts {
  objective: Objective;
  numFeature: number;
  /** num_class for multi-class objectives, else 0. */
  numClass: number;
  baseScore: number;
  numParallelTree: number;
  scalePosWeight: number;
  /** count:poisson's max_delta_step (0.7 unless given). */
  poissonMaxDeltaStep: number;
  tweedieVariancePower: number;
  /** `best_iteration` and friends, as xgboost's Python package records them. */
  attributes: Record<string, string>;
}

/**
 * The trees and facts as xgboost 1.7 saves a gbtree booster in JSON (`Booster.save_model`),
 * so the xgboost library loads the file and predicts what Plinth trained. `treeInfo[i]` is the
 * output group (class) tree `i` adds to.
 */
export function modelJson(
  trees: readonly GrownTree[],
  treeInfo: readonly number[],
  facts: ModelFacts,
): XGBoostModelJson {
  const name = facts.objective === 'reg:linear' ? 'reg:squarederror' : facts.objective;
  return {
    learner: {
      attributes: facts.attributes,
      feature_names: [],
      feature_types: [],
      gradient_booster: {
        name: 'gbtree',
        model: {
          gbtree_model_param: {
            num_parallel_tree: String(facts.numParallelTree),
            num_trees: String(trees.length),
            size_leaf_vector: '0',
          },
          tree_info: [...treeInfo],
          trees: trees.map((tree, id) => treeJson(tree, id, facts.numFeature)),
        },
      },
      learner_model_param: {
        base_score: formatParam(facts.baseScore),
        boost_from_average: '1',
        num_class: String(facts.numClass),
        num_feature: String(facts.numFeature),
        num_target: '1',
      },
      objective: objectiveJson(name, facts),
    },
    version: [...MODEL_VERSION],
  };
}

function treeJson(tree: GrownTree, id: number, numFeature: number): TreeJson {
  const n = tree.size;
  return {
    base_weights: tree.baseWeight.slice(),
    categories: [],
    categories_nodes: [],
    categories_segments: [],
    categories_sizes: [],
    default_left: tree.defaultLeft.map((d) => (d ? 1 : 0)),
    id,
    left_children: tree.left.map((c) => (c === -1 ? LEAF_CHILD : c)),
    loss_changes: tree.lossChg.slice(),
    parents: tree.parent.map((p) => (p === -1 ? ROOT_PARENT : p)),
    right_children: tree.right.map((c) => (c === -1 ? LEAF_CHILD : c)),
    split_conditions: tree.value.slice(),
    split_indices: tree.feature.map((f) => Math.max(f, 0)),
    split_type: new Array<number>(n).fill(SPLIT_NUMERICAL),
    sum_hessian: tree.sumHess.slice(),
    tree_param: {
      num_deleted: '0',
      num_feature: String(numFeature),
      num_nodes: String(n),
      size_leaf_vector: '0',
    },
  };
}

function objectiveJson(name: string, facts: ModelFacts): ObjectiveJson {
  switch (name) {
    case 'multi:softmax':
    case 'multi:softprob':
      return { name, softmax_multiclass_param: { num_class: String(facts.numClass) } };
    case 'rank:pairwise':
      return { name, lambda_rank_param: { fix_list_weight: '0', num_pairsample: '1' } };
    case 'count:poisson':
      return {
        name,
        poisson_regression_param: { max_delta_step: formatParam(facts.poissonMaxDeltaStep) },
      };
    case 'reg:tweedie':
      return {
        name,
        tweedie_regression_param: {
          tweedie_variance_power: formatParam(facts.tweedieVariancePower),
        },
      };
    case 'reg:pseudohubererror':
      return { name, pseudo_huber_param: { huber_slope: '1' } };
    case 'binary:hinge':
    case 'reg:gamma':
      return { name };
    default:
      return { name, reg_loss_param: { scale_pos_weight: formatParam(facts.scalePosWeight) } };
  }
}
