import { describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { gaussian, orthonormalize } from './randomized.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** `V diag(values) Vᵀ` for random orthonormal V: a matrix whose eigenpairs are known. */
function withEigenpairs(values: number[], seed: number): { a: Float64Array; axes: Float64Array } {
  const n = values.length;
  const random = createRandom(seed);
  const block = {
    values: Float64Array.from({ length: n * n }, () => gaussian(random)),
    dim: n,
    width: n,
  };
  orthonormalize(block, random); // columns of block.values are the eigenvectors
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let k = 0; k < n; k++)
        a[i * n + j]! += block.values[i * n + k]! * values[k]! * block.values[j * n + k]!;
  return { a, axes: block.values };
}

function residual(
  a: Float64Array,
  n: number,
  pair: { value: number; vector: Float64Array },
): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let av = 0;
    for (let j = 0; j < n; j++) av += a[i * n + j]! * pair.vector[j]!;
    sum += (av - pair.value * pair.vector[i]!) ** 2;
  }
  return Math.sqrt(sum);
}

describe('symmetricEigen', () => {
  it('recovers known eigenvalues (largest first) and eigenvectors up to sign', () => {
    const truth = [-3, 0.5, 7, 2, 11, -0.25, 4];
    const n = truth.length;
    const { a, axes } = withEigenpairs(truth, 3);
    const eigen = symmetricEigen(a, n);
    const sorted = [...truth].sort((x, y) => y - x);
    sorted.forEach((value, i) => expect(eigen.values[i]).toBeCloseTo(value, 10));
    for (let i = 0; i < n; i++) {
      const k = truth.indexOf(sorted[i]!);
      let dot = 0;
      for (let j = 0; j < n; j++) dot += eigen.vectors[i * n + j]! * axes[j * n + k]!;
      expect(Math.abs(dot)).toBeCloseTo(1, 10);
    }
  });

  it('gives orthonormal eigenvectors with tiny residuals for repeated eigenvalues', () => {
    const truth = [5, 5, 5, 1, 1, 0, 0, 0, -2];
    const n = truth.length;
    const { a } = withEigenpairs(truth, 8);
    const eigen = symmetricEigen(a, n);
    for (let i = 0; i < n; i++) {
      const vector = eigen.vectors.subarray(i * n, (i + 1) * n);
      expect(residual(a, n, { value: eigen.values[i]!, vector })).toBeLessThan(1e-12);
      for (let k = 0; k < n; k++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += vector[j]! * eigen.vectors[k * n + j]!;
        expect(dot).toBeCloseTo(i === k ? 1 : 0, 12);
      }
    }
  });

  it('keeps the trace and the Frobenius norm of a random symmetric matrix', () => {
    const n = 40;
    const random = createRandom(5);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = gaussian(random);
    const eigen = symmetricEigen(a, n);
    let trace = 0;
    let frobenius = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i]!;
    for (const v of a) frobenius += v * v;
    expect(eigen.values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 10);
    expect(eigen.values.reduce((s, v) => s + v * v, 0)).toBeCloseTo(frobenius, 9);
    for (let i = 0; i < n; i++) {
      expect(eigen.values[i]!).toBeLessThanOrEqual(eigen.values[Math.max(0, i - 1)]!);
      const vector = eigen.vectors.subarray(i * n, (i + 1) * n);
      expect(residual(a, n, { value: eigen.values[i]!, vector })).toBeLessThan(1e-11);
    }
  });

  it('handles 1 x 1, diagonal and zero matrices', () => {
    expect(Array.from(symmetricEigen(Float64Array.of(-4), 1).values)).toEqual([-4]);
    const diagonal = symmetricEigen(Float64Array.of(1, 0, 0, 0, 3, 0, 0, 0, 2), 3);
    expect(Array.from(diagonal.values)).toEqual([3, 2, 1]);
    expect(Array.from(diagonal.vectors.subarray(0, 3)).map(Math.abs)).toEqual([0, 1, 0]);
    const zero = symmetricEigen(new Float64Array(4), 2);
    expect(Array.from(zero.values)).toEqual([0, 0]);
  });
});
