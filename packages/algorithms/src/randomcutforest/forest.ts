import { createRandom } from '../common/random.js';
import type { TreeSamples } from './reservoir.js';
import { type CutTree, buildCutTree } from './tree-builder.js';

/**
 * A random cut forest as flat typed arrays over shared memory (so scoring threads read it
 * without copies): every tree's nodes (preorder, left child = next node) and rows, one after
 * the other. Node indices, `right` and `first` are absolute.
 */
export interface Forest {
  dim: number;
  trees: number;
  /** Tree t's nodes are `[roots[t], roots[t + 1])`; its root is `roots[t]`. */
  roots: Int32Array;
  /** Rows per tree (its mass). */
  masses: Int32Array;
  /** Dimension cut, -1 at a leaf. */
  cutDim: Int32Array;
  /** `x[cutDim] <= cutValue` goes to the left child, `node + 1`. */
  cutValue: Float64Array;
  right: Int32Array;
  /** The node's rows are `points` rows `[first, first + count)`. */
  first: Int32Array;
  count: Int32Array;
  points: Float32Array;
}

/** Seed of the trees' cuts (the reservoirs have their own); no SageMaker hyperparameter sets it. */
export const FOREST_SEED = 0x7c3f;

/** Builds one tree per reservoir, each with its own seeded generator. */
export function buildForest(samples: TreeSamples): Forest {
  const { trees, perTree, dim, capacity } = samples;
  const built: CutTree[] = [];
  for (let t = 0; t < trees; t++) {
    const start = t * capacity * dim;
    const points = samples.points.slice(start, start + perTree * dim);
    built.push(buildCutTree({ points, rows: perTree, dim }, createRandom(FOREST_SEED + t)));
  }
  return assembleForest(built, dim);
}

/** Lays trees out one after the other in shared arrays. */
export function assembleForest(built: readonly CutTree[], dim: number): Forest {
  const nodes = built.reduce((sum, tree) => sum + tree.nodes, 0);
  const rows = built.reduce((sum, tree) => sum + tree.points.length / dim, 0);
  const forest = allocateForest({ dim, trees: built.length, nodes, rows });
  let node = 0;
  let row = 0;
  built.forEach((tree, t) => {
    forest.roots[t] = node;
    forest.masses[t] = tree.points.length / dim;
    forest.cutDim.set(tree.cutDim.subarray(0, tree.nodes), node);
    forest.cutValue.set(tree.cutValue.subarray(0, tree.nodes), node);
    forest.count.set(tree.count.subarray(0, tree.nodes), node);
    for (let n = 0; n < tree.nodes; n++) {
      forest.right[node + n] = tree.cutDim[n]! >= 0 ? tree.right[n]! + node : -1;
      forest.first[node + n] = tree.first[n]! + row;
    }
    forest.points.set(tree.points, row * dim);
    node += tree.nodes;
    row += forest.masses[t];
  });
  forest.roots[built.length] = node;
  return forest;
}

/** The sizes of a forest's arrays. */
export interface ForestShape {
  dim: number;
  trees: number;
  nodes: number;
  rows: number;
}

/** A forest of the given shape, zeroed, in shared memory. */
export function allocateForest(shape: ForestShape): Forest {
  const { dim, trees, nodes, rows } = shape;
  return {
    dim,
    trees,
    roots: new Int32Array(new SharedArrayBuffer(4 * (trees + 1))),
    masses: new Int32Array(new SharedArrayBuffer(4 * trees)),
    cutDim: new Int32Array(new SharedArrayBuffer(4 * nodes)),
    cutValue: new Float64Array(new SharedArrayBuffer(8 * nodes)),
    right: new Int32Array(new SharedArrayBuffer(4 * nodes)),
    first: new Int32Array(new SharedArrayBuffer(4 * nodes)),
    count: new Int32Array(new SharedArrayBuffer(4 * nodes)),
    points: new Float32Array(new SharedArrayBuffer(4 * rows * dim)),
  };
}

/** The forest's node count and sample rows. */
export function forestShape(forest: Forest): ForestShape {
  const { dim, trees } = forest;
  return { dim, trees, nodes: forest.cutDim.length, rows: forest.points.length / dim };
}
