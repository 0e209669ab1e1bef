import { describe, expect, it } from 'vitest';
import type { TreeJson, XGBoostModelJson } from './model-json.js';
import { readModelJson } from './model-reader.js';
import { predict } from './predictor.js';

/** A stump on feature 1 (x1 < 0.5 → -0.4, else 0.6; missing goes right). */
function stump(id: number): TreeJson {
  return {
    base_weights: [0, -0.4, 0.6],
    categories: [],
    categories_nodes: [],
    categories_segments: [],
    categories_sizes: [],
    default_left: [0, 0, 0],
    id,
    left_children: [1, -1, -1],
    loss_changes: [1, 0, 0],
    parents: [2147483647, 0, 0],
    right_children: [2, -1, -1],
    split_conditions: [0.5, -0.4, 0.6],
    split_indices: [1, 0, 0],
    split_type: [0, 0, 0],
    sum_hessian: [10, 5, 5],
    tree_param: { num_deleted: '0', num_feature: '2', num_nodes: '3', size_leaf_vector: '0' },
  };
}

function model(objective = 'binary:logistic', trees = [stump(0), stump(1)]): XGBoostModelJson {
  return {
    learner: {
      attributes: {},
      feature_names: [],
      feature_types: [],
      gradient_booster: {
        model: {
          gbtree_model_param: {
            num_parallel_tree: '1',
            num_trees: String(trees.length),
            size_leaf_vector: '0',
          },
          tree_info: trees.map(() => 0),
          trees,
        },
        name: 'gbtree',
      },
      learner_model_param: {
        base_score: '5E-1',
        boost_from_average: '1',
        num_class: '0',
        num_feature: '2',
        num_target: '1',
      },
      objective: { name: objective, reg_loss_param: { scale_pos_weight: '1' } },
    },
    version: [1, 7, 4],
  };
}

const read = (value: unknown) => readModelJson(JSON.stringify(value));

describe('readModelJson', () => {
  it('reads a hand-written model and predicts sigmoid(sum of leaves), missing following default_left', () => {
    const m = read(model());
    const out = predict(m, { features: Float32Array.from([0, 0, 0, 1, 0, NaN]), rows: 3 });
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    expect(Array.from(out.values)).toEqual(
      [-0.8, 1.2, 1.2].map((x) => expect.closeTo(sigmoid(Math.fround(x)), 6) as number),
    );
  });

  it('reads NaN and Infinity numbers as xgboost writes them (outside strings only)', () => {
    const text = JSON.stringify({ ...model(), note: 'NaN, Infinity' })
      .replace('"split_conditions":[0.5,-0.4,0.6]', '"split_conditions":[0.5,NaN,Infinity]')
      .replace('"split_conditions":[0.5,-0.4,0.6]', '"split_conditions":[0.5,-Infinity,0.6]');
    const m = readModelJson(text);
    expect(Array.from(m.trees!.value)).toEqual([
      0.5,
      NaN,
      Infinity,
      0.5,
      -Infinity,
      Math.fround(0.6),
    ]);
  });

  it.each([
    [
      (m: XGBoostModelJson) => (m.learner.objective.name = 'reg:quantileerror'),
      "learner.objective.name 'reg:quantileerror' is not an xgboost 1.7 objective",
    ],
    [
      (m: XGBoostModelJson) => (m.learner.learner_model_param.num_feature = 'two'),
      'learner.learner_model_param.num_feature must be a decimal number string, got "two"',
    ],
    [
      (m: XGBoostModelJson) => (m.learner.learner_model_param.base_score = '1.5'),
      'learner.learner_model_param.base_score must be in (0, 1) for logistic loss, got 1.5',
    ],
    [
      (m: XGBoostModelJson) => ((m.learner.gradient_booster as { name: string }).name = 'gbforest'),
      'learner.gradient_booster.name must be gbtree, dart or gblinear, got "gbforest"',
    ],
    [
      (m: XGBoostModelJson) => tree(m).left_children.pop(),
      'learner.gradient_booster.model.trees[1].left_children has 2 entries; expected 3',
    ],
    [
      (m: XGBoostModelJson) => (tree(m).left_children[0] = 7),
      'learner.gradient_booster.model.trees[1]: node 0 has child 7; children must be node ids from 1 to 2',
    ],
    [
      (m: XGBoostModelJson) => (tree(m).left_children = [1, 0, -1]),
      'learner.gradient_booster.model.trees[1]: node 1 has child 0',
    ],
    [
      (m: XGBoostModelJson) => (tree(m).right_children = [1, -1, -1]),
      'learner.gradient_booster.model.trees[1] is not a tree: node 1 is reached twice',
    ],
    [
      (m: XGBoostModelJson) => (tree(m).split_indices[0] = 2),
      'learner.gradient_booster.model.trees[1]: node 0 splits on feature 2, but the model has num_feature=2',
    ],
    [
      (m: XGBoostModelJson) => (gbtree(m).tree_info[1] = 1),
      'learner.gradient_booster.model.tree_info[1] is 1; tree groups must be integers from 0 to 0',
    ],
    [
      (m: XGBoostModelJson) => (gbtree(m).gbtree_model_param.num_trees = '3'),
      'learner.gradient_booster.model.trees has 2 trees but num_trees is 3',
    ],
    [
      (m: XGBoostModelJson) => (tree(m).split_type[0] = 1),
      'learner.gradient_booster.model.trees[1]: categorical node 0 is not in categories_nodes',
    ],
  ])('rejects a broken model, naming the JSON path: %#', (breakIt, message) => {
    const m = model();
    breakIt(m);
    expect(() => read(m)).toThrow(message);
  });

  it('rejects text that is not JSON or not a model', () => {
    expect(() => readModelJson('{"learner": ')).toThrow('it is not valid JSON');
    expect(() => read({ version: [1, 7, 4] })).toThrow('learner must be an object');
    expect(() => read({ ...model(), version: [0, 9] })).toThrow(
      'version must be [major, minor, patch]',
    );
  });
});

function gbtree(m: XGBoostModelJson) {
  return (
    m.learner.gradient_booster as {
      model: { tree_info: number[]; trees: TreeJson[]; gbtree_model_param: { num_trees: string } };
    }
  ).model;
}

function tree(m: XGBoostModelJson): TreeJson {
  return gbtree(m).trees[1]!;
}
