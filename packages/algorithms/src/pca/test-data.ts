// Data with a known covariance, and an independent reference PCA, for the PCA tests. The
// reference forms the covariance matrix row by row from a two-pass mean and finds its top
// eigenpairs by power iteration with deflation: a different method from the fit's blocked
// sums, shifted-data correction and Householder-QL decomposition.
import { createRandom } from '../common/random.js';
import type { FeatureBatch } from '../data/index.js';
import { gaussian } from './randomized.js';

/** Rows drawn as `mean + Σ_i sd_i · z_i · axis_i`: the covariance has eigenvectors `axes`. */
export interface KnownData {
  rows: number[][];
  /** Unit vectors, one per entry of `sds`, largest sd first. */
  axes: number[][];
  sds: number[];
}

/** `count` rows of `sds.length` features with random orthonormal axes and the given mean. */
export function knownCovariance(
  shape: { count: number; sds: readonly number[]; mean?: readonly number[] },
  seed: number,
): KnownData {
  const random = createRandom(seed);
  const dim = shape.sds.length;
  const axes: number[][] = [];
  while (axes.length < dim) {
    const v = Array.from({ length: dim }, () => gaussian(random));
    for (const a of axes) {
      const dot = dot2(a, v);
      a.forEach((x, j) => (v[j]! -= dot * x));
    }
    const norm = Math.sqrt(dot2(v, v));
    axes.push(v.map((x) => x / norm));
  }
  const mean = shape.mean ?? new Array<number>(dim).fill(0);
  const rows = Array.from({ length: shape.count }, () => {
    const row = [...mean];
    shape.sds.forEach((sd, i) => {
      const z = sd * gaussian(random);
      axes[i]!.forEach((x, j) => (row[j]! += z * x));
    });
    return row;
  });
  return { rows, axes, sds: [...shape.sds] };
}

/** The rows as a re-readable source of float32 batches of `size` rows. */
export function batchesOf(
  rows: readonly number[][],
  size: number,
): () => AsyncIterable<FeatureBatch> {
  const dim = rows[0]?.length ?? 0;
  return async function* () {
    for (let start = 0; start < rows.length; start += size) {
      const chunk = rows.slice(start, start + size);
      const features = new Float32Array(chunk.length * dim);
      chunk.forEach((row, r) => features.set(row, r * dim));
      yield { features, rows: chunk.length, dim };
    }
  };
}

/** The reference: top eigenpairs of the (centered) scatter matrix of the float32-rounded rows. */
export function referencePca(
  rows: readonly number[][],
  options: { count: number; subtractMean: boolean },
): { values: number[]; vectors: number[][]; mean: number[]; trace: number } {
  const x = rows.map((row) => row.map(Math.fround));
  const dim = x[0]!.length;
  const mean = new Array<number>(dim).fill(0);
  for (const row of x) row.forEach((v, j) => (mean[j]! += v / x.length));
  const c = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  for (const row of x) {
    const y = row.map((v, j) => v - (options.subtractMean ? mean[j]! : 0));
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) c[i]![j]! += y[i]! * y[j]!;
  }
  const trace = c.reduce((sum, row, i) => sum + row[i]!, 0);
  const values: number[] = [];
  const vectors: number[][] = [];
  for (let k = 0; k < options.count; k++) {
    let v = Array.from({ length: dim }, (_, j) => 1 + j / dim);
    let lambda = 0;
    for (let it = 0; it < 5000; it++) {
      const w = c.map((row) => dot2(row, v));
      for (const [i, u] of vectors.entries()) {
        const d = values[i]! * dot2(u, v);
        u.forEach((ux, j) => (w[j]! -= d * ux));
      }
      const norm = Math.sqrt(dot2(w, w));
      const next = w.map((wx) => wx / norm);
      const settled = Math.sqrt(next.reduce((sum, nx, j) => sum + (nx - v[j]!) ** 2, 0)) < 1e-13;
      v = next;
      lambda = norm;
      if (settled) break;
    }
    values.push(lambda);
    vectors.push(v);
  }
  return { values, vectors, mean, trace };
}

/** The dot product of two vectors. */
export function dot2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
