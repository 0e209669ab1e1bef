import type { Random } from '../common/random.js';

/**
 * One random cut tree in flat arrays, nodes in preorder: an internal node's left child is the
 * next node, its right child is `right[node]`. Every node covers the contiguous rows
 * `[first, first + count)` of `points`, which the builder reorders so; a leaf's rows are equal
 * (count > 1 for duplicates), an internal node's are not.
 */
export interface CutTree {
  nodes: number;
  /** The dimension cut, or -1 for a leaf. */
  cutDim: Int32Array;
  /** Rows with `x[cutDim] <= cutValue` go left. */
  cutValue: Float64Array;
  right: Int32Array;
  first: Int32Array;
  count: Int32Array;
  /** The tree's rows, reordered so every node's rows are contiguous. */
  points: Float32Array;
}

/** The rows a tree is built on. */
export interface TreeInput {
  /** Row-major, `rows × dim`; reordered in place. */
  points: Float32Array;
  rows: number;
  dim: number;
}

/**
 * Builds a robust random cut tree (Guha et al. 2016): at each node the dimension to cut is drawn
 * with probability proportional to its range in the node's bounding box, and the cut uniformly
 * within that range; cutting stops when a node's rows are all equal.
 */
export function buildCutTree(input: TreeInput, random: Random): CutTree {
  const { points, rows, dim } = input;
  const capacity = Math.max(1, 2 * rows - 1);
  const tree: CutTree = {
    nodes: 0,
    cutDim: new Int32Array(capacity),
    cutValue: new Float64Array(capacity),
    right: new Int32Array(capacity),
    first: new Int32Array(capacity),
    count: new Int32Array(capacity),
    points,
  };
  const low = new Float64Array(dim);
  const high = new Float64Array(dim);
  const grow = (first: number, count: number): void => {
    const node = tree.nodes++;
    tree.first[node] = first;
    tree.count[node] = count;
    const total = boundingBox({ points, dim, first, count }, low, high);
    if (total <= 0) {
      tree.cutDim[node] = -1;
      return;
    }
    let split: { dim: number; value: number; left: number };
    do split = drawCut({ points, dim, first, count }, { low, high, total, random });
    while (split.left === 0 || split.left === count);
    tree.cutDim[node] = split.dim;
    tree.cutValue[node] = split.value;
    grow(first, split.left);
    tree.right[node] = tree.nodes;
    grow(first + split.left, count - split.left);
  };
  grow(0, rows);
  return tree;
}

/** A block of rows of a row-major array. */
interface RowRange {
  points: Float32Array;
  dim: number;
  first: number;
  count: number;
}

/** Writes the rows' per-dimension minimum and maximum; returns the sum of the ranges. */
export function boundingBox(range: RowRange, low: Float64Array, high: Float64Array): number {
  const { points, dim, first, count } = range;
  for (let k = 0; k < dim; k++) {
    low[k] = Infinity;
    high[k] = -Infinity;
  }
  for (let r = first; r < first + count; r++)
    for (let k = 0, at = r * dim; k < dim; k++, at++) {
      const v = points[at]!;
      if (v < low[k]!) low[k] = v;
      if (v > high[k]!) high[k] = v;
    }
  let total = 0;
  for (let k = 0; k < dim; k++) total += high[k]! - low[k]!;
  return total;
}

/**
 * Draws a cut in the box and partitions the rows around it (left: `x[dim] <= value`). A cut
 * that rounding put on the box's edge leaves one side empty; the caller draws again.
 */
function drawCut(
  range: RowRange,
  box: { low: Float64Array; high: Float64Array; total: number; random: Random },
): { dim: number; value: number; left: number } {
  const { low, high, total, random } = box;
  let offset = random() * total;
  let dim = 0;
  for (; dim < range.dim - 1; dim++) {
    const width = high[dim]! - low[dim]!;
    if (offset < width) break;
    offset -= width;
  }
  // Rounding in the running subtraction can leave the offset past the last dimension's range.
  while (high[dim]! - low[dim]! <= 0) dim--;
  const value = Math.min(low[dim]! + offset, high[dim]!);
  return { dim, value, left: partition(range, { dim, value }) };
}

/** Moves the rows with `x[dim] <= value` before the others; returns how many there are. */
function partition(range: RowRange, cut: { dim: number; value: number }): number {
  const { points, dim: width, first } = range;
  let i = first;
  let j = first + range.count - 1;
  while (i <= j) {
    if (points[i * width + cut.dim]! <= cut.value) i++;
    else {
      for (let k = 0; k < width; k++) {
        const a = i * width + k;
        const b = j * width + k;
        const swap = points[a]!;
        points[a] = points[b]!;
        points[b] = swap;
      }
      j--;
    }
  }
  return i - first;
}
