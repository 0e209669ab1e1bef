import type { PassSums } from './pass-sums.js';
import type { Block } from './randomized.js';

/** What a pass's sums say about the data: its mean and the matrix PCA decomposes. */
export interface Moments {
  rows: number;
  mean: Float64Array;
  /** The trace of the decomposed matrix: the total (centered, unless not subtracting) variation. */
  trace: number;
}

/**
 * The mean and total variation from a pass's sums about `shift`. With `subtractMean`, the matrix
 * PCA decomposes is the centered scatter `Σ (x − μ)(x − μ)ᵀ`; without, the raw `Σ x xᵀ` (the
 * shift is then 0, so the sums are already about the origin).
 */
export function momentsOf(
  sums: PassSums,
  about: { shift: Float64Array; subtractMean: boolean },
): Moments {
  const { rows, sum, squares } = sums;
  const mean = new Float64Array(sum.length);
  let offset = 0;
  for (let j = 0; j < sum.length; j++) {
    const delta = sum[j]! / rows;
    mean[j] = about.shift[j]! + delta;
    offset += delta * delta;
  }
  return { rows, mean, trace: about.subtractMean ? squares - rows * offset : squares };
}

/**
 * The full symmetric matrix PCA decomposes, from scatter sums about `shift` (upper triangle):
 * `Σ (x − c)(x − c)ᵀ − n δ δᵀ` with `δ = mean − c` when subtracting the mean (Chan et al.'s
 * shifted-data formula, which keeps the variance when the mean is large), else the sums as they
 * are (taken about 0).
 */
export function scatterMatrix(
  sums: PassSums,
  about: { shift: Float64Array; subtractMean: boolean },
): Float64Array {
  const { rows, sum, matrix } = sums;
  const d = sum.length;
  const delta = Float64Array.from(sum, (s) => (about.subtractMean ? s / rows : 0));
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = i; j < d; j++) {
      const value = matrix[i * d + j]! - rows * delta[i]! * delta[j]!;
      c[i * d + j] = value;
      c[j * d + i] = value;
    }
  return c;
}

/**
 * `C · Q` from projected sums `Σ (x − c)(x − c)ᵀ Q`: subtracts `n δ (δᵀ Q)` when subtracting the
 * mean, as {@link scatterMatrix} does for the whole matrix.
 */
export function centerProduct(
  sums: PassSums,
  context: { basis: Block; subtractMean: boolean },
): Float64Array {
  const { rows, sum, matrix } = sums;
  const out = Float64Array.from(matrix);
  if (!context.subtractMean) return out;
  const { values: q, dim, width } = context.basis;
  const delta = Float64Array.from(sum, (s) => s / rows);
  const projected = new Float64Array(width);
  for (let j = 0; j < dim; j++)
    for (let c = 0; c < width; c++) projected[c]! += delta[j]! * q[j * width + c]!;
  for (let j = 0; j < dim; j++)
    for (let c = 0; c < width; c++) out[j * width + c]! -= rows * delta[j]! * projected[c]!;
  return out;
}

/** `C · Q` for an explicit symmetric `dim × dim` matrix C and a `dim × width` block Q. */
export function multiply(c: Float64Array, basis: Block): Float64Array {
  const { values: q, dim, width } = basis;
  const out = new Float64Array(dim * width);
  for (let i = 0; i < dim; i++) {
    const row = i * dim;
    const o = i * width;
    for (let j = 0; j < dim; j++) {
      const f = c[row + j]!;
      const b = j * width;
      for (let k = 0; k < width; k++) out[o + k]! += f * q[b + k]!;
    }
  }
  return out;
}
