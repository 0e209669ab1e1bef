import type { Forest } from './forest.js';

/**
 * A forest with what scoring derives from it once, in shared memory (for scoring threads) and
 * laid out for the walk: what one step reads sits together.
 */
export interface ScoringForest extends Forest {
  /**
   * 16 bytes per node over one buffer with {@link nodeFloats}: int32 `4n` is the cut dimension
   * (-1 at a leaf), `4n + 1` the right child (a leaf's first row), `4n + 2` a leaf's row count;
   * float64 `2n + 1` an internal node's cut value.
   */
  nodeInts: Int32Array;
  nodeFloats: Float64Array;
  /**
   * Every internal node's bounding box, {@link boxStride} float64s per node: the sum of its
   * ranges, then each dimension's minimum and maximum. Absent when it would not fit
   * {@link BOX_BUDGET_BYTES}; scoring then merges sample rows instead.
   */
  boxes?: Float64Array;
  /** The deepest leaf's depth (the root's is 0). */
  maxDepth: number;
  /** Per tree, `log2(mass + 1)`: the score's scale for a tree of that many rows. */
  normalizers: Float64Array;
}

/**
 * Memory the node boxes may take: 256 MiB, 100 trees of 256 rows up to about 300 features.
 * Wider forests score without them, merging the rows of the path's siblings instead.
 */
export const BOX_BUDGET_BYTES = 256 * 2 ** 20;

/** Float64s per node in {@link ScoringForest.boxes}. */
export function boxStride(dim: number): number {
  return 1 + 2 * dim;
}

/**
 * Derives what scoring needs: the node boxes (in shared memory, for scoring threads) when they
 * fit the budget, the maximum depth and the per-tree normalizers.
 */
export function prepareScoring(forest: Forest, budgetBytes = BOX_BUDGET_BYTES): ScoringForest {
  const { dim, trees, roots, cutDim, right } = forest;
  const nodes = cutDim.length;
  const depth = new Int32Array(nodes);
  let maxDepth = 0;
  for (let t = 0; t < trees; t++)
    for (let node = roots[t]!; node < roots[t + 1]!; node++) {
      maxDepth = Math.max(maxDepth, depth[node]!);
      if (cutDim[node]! < 0) continue;
      depth[node + 1] = depth[node]! + 1;
      depth[right[node]!] = depth[node]! + 1;
    }
  const normalizers = Float64Array.from(forest.masses, (mass) => Math.log2(mass + 1));
  const fits = nodes * boxStride(dim) * 8 <= budgetBytes;
  return {
    ...forest,
    ...nodeRecords(forest),
    maxDepth,
    normalizers,
    ...(fits ? { boxes: nodeBoxes(forest) } : {}),
  };
}

function nodeRecords(forest: Forest): { nodeInts: Int32Array; nodeFloats: Float64Array } {
  const { cutDim, cutValue, right, first, count } = forest;
  const buffer = new SharedArrayBuffer(16 * cutDim.length);
  const nodeInts = new Int32Array(buffer);
  const nodeFloats = new Float64Array(buffer);
  for (let node = 0; node < cutDim.length; node++) {
    nodeInts[4 * node] = cutDim[node]!;
    if (cutDim[node]! >= 0) {
      nodeInts[4 * node + 1] = right[node]!;
      nodeFloats[2 * node + 1] = cutValue[node]!;
    } else {
      nodeInts[4 * node + 1] = first[node]!;
      nodeInts[4 * node + 2] = count[node]!;
    }
  }
  return { nodeInts, nodeFloats };
}

// Bottom-up: in preorder a node's children come after it, so walking the nodes backwards
// meets both children's boxes before their parent's. A leaf's box is its point.
function nodeBoxes(forest: Forest): Float64Array {
  const { dim, cutDim, right, first, points } = forest;
  const stride = boxStride(dim);
  const boxes = new Float64Array(new SharedArrayBuffer(8 * cutDim.length * stride));
  for (let node = cutDim.length - 1; node >= 0; node--) {
    const at = node * stride;
    if (cutDim[node]! < 0) {
      for (let k = 0, p = first[node]! * dim; k < dim; k++, p++)
        boxes[at + 1 + 2 * k] = boxes[at + 2 + 2 * k] = points[p]!;
      continue;
    }
    const left = (node + 1) * stride;
    const other = right[node]! * stride;
    let sum = 0;
    for (let k = 1; k < stride; k += 2) {
      const low = Math.min(boxes[left + k]!, boxes[other + k]!);
      const high = Math.max(boxes[left + k + 1]!, boxes[other + k + 1]!);
      boxes[at + k] = low;
      boxes[at + k + 1] = high;
      sum += high - low;
    }
    boxes[at] = sum;
  }
  return boxes;
}
