import { createRandom } from '../common/random.js';
import type { ReductionType } from './hyperparameters.js';

/** A dimension reduction as the model stores it: regenerated from its seed when loaded. */
export interface Reduction {
  type: ReductionType;
  seed: number;
  inputDim: number;
  targetDim: number;
}

/** Maps `rows` row-major vectors of `inputDim` to `targetDim` coordinates. */
export type Projection = (input: Float32Array, rows: number) => Float32Array;

/**
 * The projection a {@link Reduction} names. Both preserve squared distances and inner products
 * in expectation (Johnson–Lindenstrauss):
 *
 * - `sign`: `y = R x` with R a `targetDim × inputDim` matrix of random signs scaled by
 *   `1/√targetDim` (O(d·t) per vector);
 * - `fjlt`: the fast Johnson–Lindenstrauss transform of Ailon and Chazelle, `y = P H D x`: random
 *   signs D, the orthonormal Walsh–Hadamard transform H (x zero-padded to a power of two d'),
 *   then a sparse Gaussian P whose entries are nonzero with probability `q = min(1, log2(d')²/d')`
 *   and have variance `1/(q·targetDim)` (O(d log d + q·d'·t) per vector).
 */
export function createProjection(reduction: Reduction): Projection {
  return reduction.type === 'sign' ? signProjection(reduction) : fjltProjection(reduction);
}

function signProjection(r: Reduction): Projection {
  const { inputDim, targetDim } = r;
  const random = createRandom(r.seed);
  const scale = 1 / Math.sqrt(targetDim);
  const matrix = Float64Array.from({ length: targetDim * inputDim }, () =>
    random() < 0.5 ? -scale : scale,
  );
  return (input, rows) => {
    const out = new Float32Array(rows * targetDim);
    for (let i = 0; i < rows; i++)
      for (let t = 0; t < targetDim; t++) {
        let sum = 0;
        for (let j = 0, m = t * inputDim, x = i * inputDim; j < inputDim; j++)
          sum += matrix[m + j]! * input[x + j]!;
        out[i * targetDim + t] = sum;
      }
    return out;
  };
}

function fjltProjection(r: Reduction): Projection {
  const { inputDim, targetDim } = r;
  const random = createRandom(r.seed);
  let padded = 1;
  while (padded < inputDim) padded *= 2;
  const signs = Float64Array.from({ length: padded }, () => (random() < 0.5 ? -1 : 1));
  const q = Math.min(1, Math.log2(Math.max(2, padded)) ** 2 / padded);
  const sd = 1 / Math.sqrt(q * targetDim);
  // P in compressed rows: row t's entries are columns[starts[t]..starts[t+1]).
  const starts = new Int32Array(targetDim + 1);
  const columns: number[] = [];
  const values: number[] = [];
  for (let t = 0; t < targetDim; t++) {
    for (let j = 0; j < padded; j++)
      if (random() < q) {
        columns.push(j);
        values.push(sd * gaussian(random));
      }
    starts[t + 1] = columns.length;
  }
  const hadamardScale = 1 / Math.sqrt(padded);
  const z = new Float64Array(padded);
  return (input, rows) => {
    const out = new Float32Array(rows * targetDim);
    for (let i = 0; i < rows; i++) {
      z.fill(0);
      for (let j = 0; j < inputDim; j++) z[j] = input[i * inputDim + j]! * signs[j]!;
      walshHadamard(z);
      for (let t = 0; t < targetDim; t++) {
        let sum = 0;
        for (let e = starts[t]!; e < starts[t + 1]!; e++) sum += values[e]! * z[columns[e]!]!;
        out[i * targetDim + t] = sum * hadamardScale;
      }
    }
    return out;
  };
}

/** The unnormalized fast Walsh–Hadamard transform, in place (length a power of two). */
function walshHadamard(z: Float64Array): void {
  for (let h = 1; h < z.length; h *= 2)
    for (let i = 0; i < z.length; i += 2 * h)
      for (let j = i; j < i + h; j++) {
        const a = z[j]!;
        const b = z[j + h]!;
        z[j] = a + b;
        z[j + h] = a - b;
      }
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
