import { describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import type { SparseBatch } from '../data/sparse-batch.js';
import { sigmoid } from './kernel.js';
import { predictFm } from './predict.js';
import { scoreBatch } from './score.js';
import type { FmWeights } from './weights.js';

const D = 7;
const K = 3;

/** A hand-built model with distinct, irregular numbers everywhere. */
function model(): FmWeights {
  const random = createRandom(21);
  return {
    featureDim: D,
    numFactors: K,
    bias: Float32Array.of(0.25),
    linear: Float32Array.from({ length: D }, () => random() - 0.5),
    factors: Float32Array.from({ length: D * K }, () => 2 * random() - 1),
  };
}

/** Rows as dense arrays and as CSR (zeros not stored). */
const DENSE = [
  [0, 1.5, 0, 0, -2, 0, 0.5],
  [0, 0, 0, 0, 0, 0, 0],
  [3, 0, 0, 0, 0, 0, 0],
  [1, 1, 1, 1, 1, 1, 1],
  [0, 0, -0.75, 0, 0, 4, 0],
];

function csr(rows: number[][]): SparseBatch {
  const offsets = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    row.forEach((x, i) => {
      if (x === 0) return;
      indices.push(i);
      values.push(x);
    });
    offsets.push(indices.length);
  }
  return {
    rows: rows.length,
    dim: D,
    offsets: Int32Array.from(offsets),
    indices: Int32Array.from(indices),
    values: Float32Array.from(values),
  };
}

/** Rendle's model equation as written: every pair i < j, O(n² k). */
function direct(w: FmWeights, x: number[]): number {
  let y = w.bias[0]!;
  for (let i = 0; i < D; i++) y += w.linear[i]! * x[i]!;
  for (let i = 0; i < D; i++)
    for (let j = i + 1; j < D; j++) {
      let dot = 0;
      for (let f = 0; f < K; f++) dot += w.factors[i * K + f]! * w.factors[j * K + f]!;
      y += dot * x[i]! * x[j]!;
    }
  return y;
}

describe('scoreBatch', () => {
  it('equals the pairwise model equation computed directly', () => {
    const weights = model();
    const scores = scoreBatch(weights, csr(DENSE));
    DENSE.forEach((x, r) => expect(scores[r]).toBeCloseTo(direct(weights, x), 10));
    // An empty row is the bias alone; a single feature has no pairs.
    expect(scores[1]).toBeCloseTo(0.25, 10);
    expect(scores[2]).toBeCloseTo(0.25 + 3 * weights.linear[0]!, 10);
  });
});

describe('predictFm', () => {
  it('answers a probability and a label for binary_classifier, the value for regressor', () => {
    const weights = model();
    const batch = csr(DENSE);
    const binary = predictFm({ predictorType: 'binary_classifier', weights }, batch);
    DENSE.forEach((x, r) => {
      const score = 1 / (1 + Math.exp(-direct(weights, x)));
      expect(binary[r]!.score).toBeCloseTo(score, 10);
      expect(binary[r]!.predicted_label).toBe(score >= 0.5 ? 1 : 0);
    });
    expect(new Set(binary.map((p) => p.predicted_label))).toEqual(new Set([0, 1]));
    const regressor = predictFm({ predictorType: 'regressor', weights }, batch);
    DENSE.forEach((x, r) =>
      expect(regressor[r]).toEqual({ score: expect.closeTo(direct(weights, x), 10) }),
    );
  });

  it('has a sigmoid that stays finite far from zero', () => {
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(0)).toBe(0.5);
  });
});
