import { type ScoringForest, boxStride } from './scoring-forest.js';

/**
 * Scores rows (row-major, `out.length × dim`) into `out`: the anomaly score of AWS's
 * random-cut-forest-by-aws (`AnomalyScoreVisitor`), averaged over the trees. In each tree the
 * row follows the cuts to a leaf at depth h. If it equals the leaf's point (mass m, tree mass
 * M), the tree's score is `(1 - m / 2M) / (h + log2(m + 1))`; otherwise it starts at
 * `1 / (h + 1)` and, for each node on the way back to the root (depth d), becomes
 * `p / (d + 1) + (1 - p) × score`, where p is the probability that a random cut of the node's
 * box grown to hold the row separates the row (the growth over the grown box's range sum),
 * stopping at the first box that already holds the row. The tree's score is then scaled by
 * `log2(M + 1)`. Higher is more anomalous; about 1 for points like the forest's own sample.
 */
export function scoreRows(forest: ScoringForest, rows: Float32Array, out: Float64Array): void {
  const { dim, trees, roots, nodeInts, nodeFloats, points, masses } = forest;
  const path = new Int32Array(forest.maxDepth + 1);
  const walk: Walk = {
    forest,
    rows,
    path,
    low: new Float64Array(dim),
    high: new Float64Array(dim),
  };
  const boxes = forest.boxes;
  const stride = boxStride(dim);
  out.fill(0);
  // Tree by tree over a block of rows: one tree's nodes stay in cache while the block passes.
  for (let start = 0; start < out.length; start += BLOCK_ROWS) {
    const end = Math.min(out.length, start + BLOCK_ROWS);
    for (let t = 0; t < trees; t++) {
      const root = roots[t]!;
      const normalizer = forest.normalizers[t]!;
      const treeMass = masses[t]!;
      for (let r = start, x = start * dim; r < end; r++, x += dim) {
        let node = root;
        let depth = 0;
        for (let k = nodeInts[node << 2]!; k >= 0; k = nodeInts[node << 2]!) {
          path[depth++] = node;
          node =
            rows[x + k]! <= nodeFloats[(node << 1) + 1]! ? node + 1 : nodeInts[(node << 2) + 1]!;
        }
        path[depth] = node;
        let seen = true;
        for (let k = 0, p = nodeInts[(node << 2) + 1]! * dim; k < dim; k++, p++)
          if (points[p] !== rows[x + k]) {
            seen = false;
            break;
          }
        let score: number;
        if (seen) {
          const mass = nodeInts[(node << 2) + 2]!;
          score = (1 - mass / (2 * treeMass)) / (depth + Math.log2(mass + 1));
        } else if (boxes === undefined) score = climbWithRows(walk, x, depth);
        else {
          // The climb, inlined: a double returned from a call is a heap allocation per walk.
          score = 1 / (depth + 1);
          for (let d = depth - 1; d >= 0; d--) {
            const at = path[d]! * stride;
            let growth = 0;
            for (let k = 0, b = at + 1; k < dim; k++, b += 2) {
              const v = rows[x + k]!;
              const lo = boxes[b]!;
              if (v < lo) growth += lo - v;
              else {
                const hi = boxes[b + 1]!;
                if (v > hi) growth += v - hi;
              }
            }
            // Once a box holds the row, so do all the boxes above it: no cut separates it.
            if (growth <= 0) break;
            const p = growth / (boxes[at]! + growth);
            score = p / (d + 1) + (1 - p) * score;
          }
        }
        out[r]! += score * normalizer;
      }
    }
  }
  for (let r = 0; r < out.length; r++) out[r]! /= trees;
}

/** Rows scored tree by tree before moving on: 2048 rows of 16 features are 128 KiB. */
const BLOCK_ROWS = 2048;

/** What a climb reads: the forest, the rows, the path down (leaf at `path[depth]`), scratch. */
interface Walk {
  forest: ScoringForest;
  rows: Float32Array;
  path: Int32Array;
  low: Float64Array;
  high: Float64Array;
}

/**
 * The climb for forests too wide to cache boxes: going up, each node's box is the box below
 * it merged with the rows of the sibling subtree (contiguous, so one scan).
 */
function climbWithRows(walk: Walk, x: number, depth: number): number {
  const { forest, rows, path, low, high } = walk;
  const { dim, points, first, count, right } = forest;
  const leaf = path[depth]!;
  for (let k = 0, p = first[leaf]! * dim; k < dim; k++, p++) low[k] = high[k] = points[p]!;
  let score = 1 / (depth + 1);
  for (let d = depth - 1; d >= 0; d--) {
    const node = path[d]!;
    const sibling = path[d + 1] === node + 1 ? right[node]! : node + 1;
    const end = (first[sibling]! + count[sibling]!) * dim;
    for (let p = first[sibling]! * dim; p < end; p += dim)
      for (let k = 0; k < dim; k++) {
        const v = points[p + k]!;
        if (v < low[k]!) low[k] = v;
        if (v > high[k]!) high[k] = v;
      }
    let growth = 0;
    let range = 0;
    for (let k = 0; k < dim; k++) {
      const v = rows[x + k]!;
      range += high[k]! - low[k]!;
      if (v < low[k]!) growth += low[k]! - v;
      else if (v > high[k]!) growth += v - high[k]!;
    }
    if (growth <= 0) break;
    const p = growth / (range + growth);
    score = p / (d + 1) + (1 - p) * score;
  }
  return score;
}
