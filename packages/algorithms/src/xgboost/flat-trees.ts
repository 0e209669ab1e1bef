/**
 * Every tree of a gbtree (or dart) booster in flat typed arrays, for fast prediction. Node `n`
 * (a global index over all trees) sends `x[feature[n]] < value[n]` to `children[2n]`, the
 * rest to `children[2n + 1]`, and a missing value (NaN) to `children[2n + defaultRight[n]]`.
 * A leaf's children are the leaf itself (and its feature 0), so a walk of `depth[t]` steps
 * from the root ends on a leaf without testing for one; the leaf's value is `value[n]`.
 */
export interface FlatTrees {
  /** Number of trees. */
  count: number;
  /** The root's global node index, per tree. */
  roots: Int32Array;
  /** Left and right child (global node indices) of each node; a leaf's are itself. */
  children: Int32Array;
  /** Split feature of each node; 0 for leaves. */
  feature: Int32Array;
  /** Split condition, or the leaf value (already scaled by eta). */
  value: Float32Array;
  /** 1 when missing values go right (xgboost's `default_left` is 0), else 0; 0 for leaves. */
  defaultRight: Uint8Array;
  /** 1 for leaves. */
  leaf: Uint8Array;
  /** Per tree, the deepest root-to-leaf path (edges). */
  depth: Int32Array;
  /** The output group (class) each tree adds to: `tree_info`. */
  group: Int32Array;
  /** dart's per-tree `weight_drop`; absent for gbtree (all 1). */
  weight?: Float32Array;
  /** Categorical splits, when the model has any. */
  categorical?: CategoricalSplits;
  /** Deepest root-to-leaf path over all trees (edges). */
  maxDepth: number;
}

/**
 * Categorical splits: node `n` is categorical when `words[n] > 0`; its category set is the
 * bitmap `bits[offset[n] .. offset[n] + words[n])` (bit `c % 32` of word `c >> 5` for
 * category `c`). A value in the set goes right, any other (or an invalid category) left, as
 * xgboost's `common::Decision`.
 */
export interface CategoricalSplits {
  offset: Int32Array;
  words: Int32Array;
  bits: Uint32Array;
}

/** xgboost's largest valid category + 1 (categories must be below 2^24 to survive float32). */
export const MAX_CATEGORY = 16777216;

/** Whether category value `x` (a number, not NaN) goes right at categorical node `n`. */
export function categoryGoesRight(splits: CategoricalSplits, n: number, x: number): boolean {
  if (!(x >= 0 && x < MAX_CATEGORY)) return false;
  const c = Math.trunc(x);
  const word = c >>> 5;
  if (word >= splits.words[n]!) return false;
  return ((splits.bits[splits.offset[n]! + word]! >>> (c & 31)) & 1) === 1;
}
