import type { Random } from '../common/random.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** A `dim × width` matrix, row-major (`values[j * width + c]`): a block of column vectors. */
export interface Block {
  values: Float64Array;
  dim: number;
  width: number;
}

/** Applies the covariance (scatter) matrix C to a block: returns `C · Q`, another block. */
export type ApplyCovariance = (basis: Block) => Promise<Float64Array>;

/**
 * Power iterations in the sense of Halko, Martinsson and Tropp (2011): with C = AᵀA (A the
 * centered data), q iterations make the range sketch `(AAᵀ)^q A Ω`, whose right-hand side is
 * `C^(q+1) Ω`. Two, as Halko, Martinsson and Tropp suggest, damp the eigenvalues beyond the
 * sketch by λ³ relative to those inside it.
 */
export const POWER_ITERATIONS = 2;

/** Products of C with a block that randomized mode computes: the sketch, iterations, Ritz step. */
export const RANDOMIZED_PRODUCTS = POWER_ITERATIONS + 2;

/** A standard Gaussian deviate (Box-Muller) from the seeded uniform generator. */
export function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** An orthonormal `dim × width` starting block: a Gaussian test matrix, orthonormalized. */
export function randomStart(shape: { dim: number; width: number }, random: Random): Block {
  const values = Float64Array.from({ length: shape.dim * shape.width }, () => gaussian(random));
  const block = { values, ...shape };
  orthonormalize(block, random);
  return block;
}

/**
 * Makes the block's columns orthonormal in place (modified Gram-Schmidt, each column twice, which
 * keeps them orthogonal to working precision). A column that the earlier ones already span (the
 * matrix has lower rank than the block's width) is replaced by a fresh random direction, so the
 * block always spans `width` dimensions.
 */
export function orthonormalize(block: Block, random: Random): void {
  const { values: q, dim, width } = block;
  for (let c = 0; c < width; c++) {
    let before = columnNorm(block, c);
    for (let attempt = 0; ; attempt++) {
      for (let pass = 0; pass < 2; pass++)
        for (let p = 0; p < c; p++) {
          let dot = 0;
          for (let j = 0; j < dim; j++) dot += q[j * width + p]! * q[j * width + c]!;
          for (let j = 0; j < dim; j++) q[j * width + c]! -= dot * q[j * width + p]!;
        }
      const norm = columnNorm(block, c);
      if (norm > 1e-10 * before && norm > 0) {
        for (let j = 0; j < dim; j++) q[j * width + c]! /= norm;
        break;
      }
      if (attempt > 10)
        throw new RangeError(`Cannot find ${width} independent directions in ${dim}`);
      for (let j = 0; j < dim; j++) q[j * width + c] = gaussian(random);
      before = columnNorm(block, c);
    }
  }
}

function columnNorm(block: Block, c: number): number {
  let sum = 0;
  for (let j = 0; j < block.dim; j++) sum += block.values[j * block.width + c]! ** 2;
  return Math.sqrt(sum);
}

/** Eigenpairs found by {@link randomizedEigen}: values largest first, vectors as rows. */
export interface Eigenpairs {
  values: Float64Array;
  /** `count × dim`, row i the unit eigenvector of `values[i]`. */
  vectors: Float64Array;
  count: number;
}

/** How long {@link randomizedEigen} iterates. */
export interface IterationPlan {
  /** Products after the sketch's; {@link POWER_ITERATIONS} + 1 is the randomized SVD's. */
  products: number;
  /**
   * Keep iterating (up to {@link MAX_ITERATIONS} products) while the sum of the top Ritz values
   * still changes by more than this fraction: worth it when a product is cheap.
   */
  tolerance?: number;
}

/** The most products {@link randomizedEigen} makes when iterating to a tolerance. */
export const MAX_ITERATIONS = 100;

/**
 * The top `count` eigenpairs of C by randomized subspace iteration: from `start` (an orthonormal
 * block Q₀, and `product` = C·Q₀), further products with re-orthonormalization, then the
 * Rayleigh-Ritz step: the small eigenproblem `Qᵀ C Q`, whose eigenvectors map back through Q.
 * The eigenvalues are the Rayleigh quotients of the returned vectors, so they are exact for the
 * vectors given and never more than C's true eigenvalues.
 */
export async function randomizedEigen(
  start: { basis: Block; product: Float64Array },
  problem: { apply: ApplyCovariance; count: number; random: Random; plan: IterationPlan },
): Promise<Eigenpairs> {
  const { dim, width } = start.basis;
  const count = Math.min(problem.count, width);
  const { products, tolerance } = problem.plan;
  let basis = start.basis;
  let product = start.product;
  let ritz = rayleighRitz(basis, product);
  for (let t = 0; t < (tolerance === undefined ? products : MAX_ITERATIONS); t++) {
    basis = { values: Float64Array.from(product), dim, width };
    orthonormalize(basis, problem.random);
    product = await problem.apply(basis);
    const before = topSum(ritz.values, count);
    ritz = rayleighRitz(basis, product);
    const after = topSum(ritz.values, count);
    if (
      tolerance !== undefined &&
      t + 1 >= products &&
      Math.abs(after - before) <= tolerance * after
    )
      break;
  }
  const vectors = new Float64Array(count * dim);
  for (let i = 0; i < count; i++)
    for (let j = 0; j < dim; j++) {
      let s = 0;
      for (let c = 0; c < width; c++)
        s += basis.values[j * width + c]! * ritz.vectors[i * width + c]!;
      vectors[i * dim + j] = s;
    }
  return { values: ritz.values.slice(0, count), vectors, count };
}

/** The eigenpairs of `B = Qᵀ (C Q)`, symmetrized against rounding. */
function rayleighRitz(basis: Block, product: Float64Array): ReturnType<typeof symmetricEigen> {
  const { dim, width, values: q } = basis;
  const small = new Float64Array(width * width);
  for (let a = 0; a < width; a++)
    for (let b = 0; b <= a; b++) {
      let ab = 0;
      let ba = 0;
      for (let j = 0; j < dim; j++) {
        ab += q[j * width + a]! * product[j * width + b]!;
        ba += q[j * width + b]! * product[j * width + a]!;
      }
      small[a * width + b] = small[b * width + a] = (ab + ba) / 2;
    }
  return symmetricEigen(small, width);
}

function topSum(values: Float64Array, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i]!;
  return sum;
}
