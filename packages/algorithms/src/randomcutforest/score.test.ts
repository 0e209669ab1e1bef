import { describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { type Forest, buildForest } from './forest.js';
import { ReservoirSampler } from './reservoir.js';
import { scoreRows } from './score.js';
import { prepareScoring } from './scoring-forest.js';

/** A forest of `trees` trees on `rows` random rows (with some duplicates), `size` per tree. */
function tinyForest(options: { trees: number; size: number; rows: number; dim: number }): {
  forest: Forest;
  data: Float32Array;
} {
  const { trees, size, rows, dim } = options;
  const random = createRandom(5);
  const data = Float32Array.from({ length: rows * dim }, () => Math.round(random() * 20) / 4);
  // Every fifth row repeats the one before it, so some leaves hold duplicates.
  for (let r = 5; r < rows; r += 5) data.copyWithin(r * dim, (r - 1) * dim, r * dim);
  const sampler = new ReservoirSampler({ trees, size, dim, seed: 3 });
  sampler.add({ features: data, rows, dim });
  return { forest: buildForest(sampler.samples()), data };
}

/**
 * AWS random-cut-forest-by-aws's AnomalyScoreVisitor, written out as it reads: recursion down
 * to the leaf, then each node's bounding box rebuilt from its rows on the way back up.
 */
function referenceScore(forest: Forest, point: number[]): number {
  const { dim, points } = forest;
  const rowsOf = (node: number): number[][] =>
    Array.from({ length: forest.count[node]! }, (_, i) => {
      const r = forest.first[node]! + i;
      return Array.from(points.subarray(r * dim, (r + 1) * dim));
    });
  let total = 0;
  for (let t = 0; t < forest.trees; t++) {
    const treeMass = forest.masses[t]!;
    let score = 0;
    let inside = false;
    const visit = (node: number, depth: number): void => {
      if (forest.cutDim[node] === -1) {
        const leafPoint = rowsOf(node)[0]!;
        const mass = forest.count[node]!;
        if (leafPoint.every((v, k) => v === point[k])) {
          inside = true;
          score = (1 - mass / (2 * treeMass)) * (1 / (depth + Math.log(mass + 1) / Math.log(2)));
        } else score = 1 / (depth + 1);
        return;
      }
      const goLeft = point[forest.cutDim[node]!]! <= forest.cutValue[node]!;
      visit(goLeft ? node + 1 : forest.right[node]!, depth + 1);
      if (inside) return;
      // getProbabilityOfSeparation on the node's box.
      const rows = rowsOf(node);
      let newRange = 0;
      let difference = 0;
      for (let k = 0; k < dim; k++) {
        const min = Math.min(...rows.map((r) => r[k]!));
        const max = Math.max(...rows.map((r) => r[k]!));
        const lo = Math.min(min, point[k]!);
        const hi = Math.max(max, point[k]!);
        newRange += hi - lo;
        difference += hi - lo - (max - min);
      }
      const p = difference / newRange;
      if (p <= 0) {
        inside = true;
        return;
      }
      score = p * (1 / (depth + 1)) + (1 - p) * score;
    };
    visit(forest.roots[t]!, 0);
    total += (score * Math.log(treeMass + 1)) / Math.log(2);
  }
  return total / forest.trees;
}

function score(forest: Forest, rows: number[][], budget?: number): Float64Array {
  const out = new Float64Array(rows.length);
  scoreRows(prepareScoring(forest, budget), Float32Array.from(rows.flat()), out);
  return out;
}

describe('scoreRows', () => {
  const { forest, data } = tinyForest({ trees: 7, size: 24, rows: 60, dim: 3 });
  const random = createRandom(9);
  const queries = [
    // Rows of the sample (seen, some duplicated), unseen rows inside and outside the data.
    ...Array.from({ length: 20 }, (_, r) => Array.from(data.subarray(r * 3, r * 3 + 3))),
    ...Array.from({ length: 20 }, () => [0, 1, 2].map(() => random() * 6 - 0.5)),
    [100, -40, 2.5],
  ].map((q) => Array.from(Float32Array.from(q)));

  it('matches a line-by-line reference of AWS anomaly score visitor', () => {
    const expected = queries.map((q) => referenceScore(forest, q));
    const got = score(forest, queries);
    expected.forEach((value, i) => expect(got[i]).toBeCloseTo(value, 12));
  });

  it('gives the same scores when the node boxes do not fit in memory', () => {
    expect(score(forest, queries, 0)).toEqual(score(forest, queries));
  });

  it('scores a far point log2(mass + 1): the first cut separates it', () => {
    const far = score(forest, [[1e7, -1e7, 1e7]])[0]!;
    expect(far).toBeCloseTo(Math.log2(24 + 1), 4);
  });

  it('scores planted outliers above every inlier', () => {
    const random2 = createRandom(21);
    const dim = 4;
    const rows: number[][] = [];
    // A Gaussian-like cloud (sum of uniforms) with a handful of points far out.
    for (let r = 0; r < 3000; r++)
      rows.push(Array.from({ length: dim }, () => random2() + random2() + random2() - 1.5));
    const outliers = [1, 2, 3, 4, 5].map((i) =>
      Array.from({ length: dim }, (_, k) => (k === i % dim ? 4 + i : 0)),
    );
    const all = [...rows, ...outliers];
    const sampler = new ReservoirSampler({ trees: 50, size: 256, dim, seed: 1 });
    sampler.add({ features: Float32Array.from(all.flat()), rows: all.length, dim });
    const scores = score(buildForest(sampler.samples()), all);
    const inlierMax = Math.max(...scores.subarray(0, rows.length));
    for (let i = 0; i < outliers.length; i++)
      expect(scores[rows.length + i]).toBeGreaterThan(inlierMax);
  });
});
