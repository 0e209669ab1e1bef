import { describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { createProjection } from './reduction.js';

const DIM = 100;
const TARGET = 40;

/** 600 points around 6 well-separated centers in 100 dimensions. */
function clustered(seed: number): Float32Array {
  const random = createRandom(seed);
  const gauss = (): number =>
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centers = Array.from({ length: 6 * DIM }, () => 3 * gauss());
  return Float32Array.from(
    { length: 600 * DIM },
    (_, i) => centers[(Math.floor(i / DIM) % 6) * DIM + (i % DIM)]! + gauss(),
  );
}

function squared(x: { v: Float32Array; dim: number }, a: number, b: number): number {
  const { v, dim } = x;
  let s = 0;
  for (let j = 0; j < dim; j++) s += (v[a * dim + j]! - v[b * dim + j]!) ** 2;
  return s;
}

function nearest(x: { v: Float32Array; dim: number }, q: number, k: number): number[] {
  const n = x.v.length / x.dim;
  return Array.from({ length: n }, (_, i) => i)
    .filter((i) => i !== q)
    .sort((a, b) => squared(x, q, a) - squared(x, q, b))
    .slice(0, k);
}

describe.each(['sign', 'fjlt'] as const)('%s dimension reduction', (type) => {
  const points = clustered(1);
  const project = createProjection({ type, seed: 9, inputDim: DIM, targetDim: TARGET });
  const reduced = project(points, 600);

  it('maps to the target dimension, the same way every time', () => {
    expect(reduced).toHaveLength(600 * TARGET);
    expect(
      createProjection({ type, seed: 9, inputDim: DIM, targetDim: TARGET })(points, 600),
    ).toEqual(reduced);
  });

  it('preserves squared distances within 40% for most pairs, unbiased on average', () => {
    // Independent random points, so the pairs' directions are independent too.
    const random = createRandom(2);
    const spread = Float32Array.from({ length: 300 * DIM }, () => random() - 0.5);
    const image = project(spread, 300);
    const ratios: number[] = [];
    for (let a = 0; a < 300; a += 3)
      for (let b = a + 1; b < 300; b += 7)
        ratios.push(
          squared({ v: image, dim: TARGET }, a, b) / squared({ v: spread, dim: DIM }, a, b),
        );
    const mean = ratios.reduce((s, r) => s + r, 0) / ratios.length;
    expect(mean).toBeGreaterThan(0.9);
    expect(mean).toBeLessThan(1.1);
    expect(ratios.filter((r) => r > 0.6 && r < 1.4).length / ratios.length).toBeGreaterThan(0.9);
  });

  it('keeps most neighbours within the same cluster', () => {
    // The 10 nearest in the reduced space are nearly all from the query's own cluster.
    let same = 0;
    for (let q = 0; q < 60; q++)
      same += nearest({ v: reduced, dim: TARGET }, q, 10).filter((i) => i % 6 === q % 6).length;
    expect(same / 600).toBeGreaterThan(0.95);
  });
});
