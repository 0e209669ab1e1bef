import { type FlatTrees, categoryGoesRight } from './flat-trees.js';
import type { XGBoostModel } from './model-reader.js';
import { applyTransform, transformedWidth } from './objectives.js';

/** Rows traversed together per tree: small enough to keep in cache while every tree runs. */
export const ROW_BLOCK = 4096;

/** Dense rows to predict on: `rows × numFeature` float32 values, NaN for missing. */
export interface FeatureMatrix {
  features: Float32Array;
  rows: number;
}

/** Predictions: `width` values per row (probabilities, a class index, or a score). */
export interface Predictions {
  values: Float32Array;
  rows: number;
  width: number;
}

/**
 * Predicts as `Booster.predict` does (transformed output): margins from the first
 * `model.treeLimit` trees (or the linear weights), then the objective's transform.
 */
export function predict(model: XGBoostModel, matrix: FeatureMatrix): Predictions {
  const margins = predictMargins(model, matrix);
  const transform = model.rule.transform;
  applyTransform(margins, model.numGroup, transform);
  const width = transformedWidth(model.numGroup, transform);
  const values = width === model.numGroup ? margins : margins.slice(0, matrix.rows * width);
  return { values, rows: matrix.rows, width };
}

/**
 * `output_margin=True` predictions: `rows × numGroup` float32 sums, each starting at the base
 * margin and adding the trees in model order (as xgboost's CPU predictor, so the float32
 * rounding matches).
 */
export function predictMargins(model: XGBoostModel, matrix: FeatureMatrix): Float32Array {
  const { rows, features } = matrix;
  if (features.length !== rows * model.numFeature)
    throw new RangeError(`Expected ${rows} × ${model.numFeature} features, got ${features.length}`);
  const out = new Float32Array(rows * model.numGroup).fill(model.baseMargin);
  if (model.linearWeights) addLinear(model, matrix, out);
  else if (model.trees) {
    const job: TreeJob = {
      trees: model.trees,
      end: model.treeLimit,
      dim: model.numFeature,
      groups: model.numGroup,
      x: features,
      out,
    };
    const add = model.trees.categorical ? addTreesCategorical : addTrees;
    for (let start = 0; start < rows; start += ROW_BLOCK)
      add(job, start, Math.min(rows, start + ROW_BLOCK));
  }
  return out;
}

interface TreeJob {
  trees: FlatTrees;
  end: number;
  dim: number;
  groups: number;
  x: Float32Array;
  out: Float32Array;
}

// Hot loop. A tree walks the rows of a block four at a time, each walk a fixed `depth[t]`
// steps (leaves point to themselves) with the child picked by arithmetic, not branches:
// right when x >= condition, or when x is NaN and missing values go right. NaN fails both
// comparisons, so it takes the default child. Four independent walks keep the CPU busy while
// each waits for its loads; this is what makes it as fast as xgboost's C++ predictor.
function addTrees(job: TreeJob, from: number, to: number): void {
  const { trees, end, dim, groups, x, out } = job;
  const {
    roots,
    depth,
    children: ch,
    feature: fe,
    value: cond,
    defaultRight: dr,
    group,
    weight,
  } = trees;
  for (let t = 0; t < end; t++) {
    const root = roots[t]!;
    const steps = depth[t]!;
    const g = group[t]!;
    const w = weight === undefined ? 1 : weight[t]!;
    let r = from;
    for (; r + 4 <= to; r += 4) {
      const b0 = r * dim;
      const b1 = b0 + dim;
      const b2 = b1 + dim;
      const b3 = b2 + dim;
      let n0 = root;
      let n1 = root;
      let n2 = root;
      let n3 = root;
      for (let k = 0; k < steps; k++) {
        const v0 = x[b0 + fe[n0]!]!;
        const v1 = x[b1 + fe[n1]!]!;
        const v2 = x[b2 + fe[n2]!]!;
        const v3 = x[b3 + fe[n3]!]!;
        n0 = ch[2 * n0 + (+(v0 >= cond[n0]!) | (+(v0 !== v0) & dr[n0]!))]!;
        n1 = ch[2 * n1 + (+(v1 >= cond[n1]!) | (+(v1 !== v1) & dr[n1]!))]!;
        n2 = ch[2 * n2 + (+(v2 >= cond[n2]!) | (+(v2 !== v2) & dr[n2]!))]!;
        n3 = ch[2 * n3 + (+(v3 >= cond[n3]!) | (+(v3 !== v3) & dr[n3]!))]!;
      }
      addLeaf(out, r * groups + g, scaled(cond[n0]!, w));
      addLeaf(out, (r + 1) * groups + g, scaled(cond[n1]!, w));
      addLeaf(out, (r + 2) * groups + g, scaled(cond[n2]!, w));
      addLeaf(out, (r + 3) * groups + g, scaled(cond[n3]!, w));
    }
    for (; r < to; r++) {
      const base = r * dim;
      let n = root;
      for (let k = 0; k < steps; k++) {
        const v = x[base + fe[n]!]!;
        n = ch[2 * n + (+(v >= cond[n]!) | (+(v !== v) & dr[n]!))]!;
      }
      addLeaf(out, r * groups + g, scaled(cond[n]!, w));
    }
  }
}

/** Adds a leaf's contribution to a float32 margin. */
function addLeaf(out: Float32Array, o: number, contribution: number): void {
  out[o] = out[o]! + contribution;
}

/** A leaf times dart's tree weight, rounded to float32 as xgboost multiplies. */
function scaled(leaf: number, w: number): number {
  return w === 1 ? leaf : Math.fround(leaf * w);
}

/** {@link addTrees} for models with categorical splits (set membership at those nodes). */
function addTreesCategorical(job: TreeJob, from: number, to: number): void {
  const { trees, end, dim, groups, x, out } = job;
  const { roots, depth, children, feature, value, defaultRight, group, weight } = trees;
  const categorical = trees.categorical!;
  for (let t = 0; t < end; t++) {
    const w = weight === undefined ? 1 : weight[t]!;
    for (let r = from; r < to; r++) {
      let n = roots[t]!;
      for (let k = 0; k < depth[t]!; k++) {
        const v = x[r * dim + feature[n]!]!;
        let right: number;
        if (v !== v) right = defaultRight[n]!;
        else if (categorical.words[n]! > 0) right = categoryGoesRight(categorical, n, v) ? 1 : 0;
        else right = v < value[n]! ? 0 : 1;
        n = children[2 * n + right]!;
      }
      addLeaf(out, r * groups + group[t]!, scaled(value[n]!, w));
    }
  }
}

/** gblinear: bias + base margin, then every present feature times its weight (float32). */
function addLinear(model: XGBoostModel, matrix: FeatureMatrix, out: Float32Array): void {
  const weights = model.linearWeights!;
  const { numFeature: dim, numGroup: groups } = model;
  const { features, rows } = matrix;
  for (let r = 0; r < rows; r++)
    for (let g = 0; g < groups; g++) {
      let sum = Math.fround(weights[dim * groups + g]! + model.baseMargin);
      for (let f = 0; f < dim; f++) {
        const v = features[r * dim + f]!;
        if (v === v) sum = Math.fround(sum + Math.fround(v * weights[f * groups + g]!));
      }
      out[r * groups + g] = sum;
    }
}
