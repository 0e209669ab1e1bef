/**
 * z = W·x + b for `outputs` rows of weights over `dim` features (row-major `weights`), the
 * shape every linear-learner model has: 1 output for binary and regression, one per class.
 */
export class LinearFunction {
  readonly weights: Float64Array;
  readonly bias: Float64Array;
  /** Scratch for {@link outputsAt}; overwritten by each call. */
  readonly #z: Float64Array;

  constructor(
    readonly dim: number,
    readonly outputs: number,
  ) {
    this.weights = new Float64Array(dim * outputs);
    this.bias = new Float64Array(outputs);
    this.#z = new Float64Array(outputs);
  }

  /** Raw outputs for row `row` of row-major `x`; the array is reused by the next call. */
  outputsAt(x: Float64Array, row: number): Float64Array {
    const { dim, weights } = this;
    const base = row * dim;
    for (let o = 0; o < this.outputs; o++) {
      let sum = this.bias[o]!;
      const w = o * dim;
      for (let j = 0; j < dim; j++) sum += weights[w + j]! * x[base + j]!;
      this.#z[o] = sum;
    }
    return this.#z;
  }

  /**
   * Raw outputs of the first `rows` rows of `x` into `z` (row-major, `rows * outputs`). The hot
   * loop of training: rows go four at a time, so each weight is loaded once per four rows.
   */
  forward(x: Float64Array, rows: number, z: Float64Array): void {
    const { dim, outputs, weights } = this;
    for (let o = 0; o < outputs; o++) {
      const w = o * dim;
      const b = this.bias[o]!;
      let r = 0;
      for (; r + 4 <= rows; r += 4) {
        const x0 = r * dim;
        const x1 = x0 + dim;
        const x2 = x1 + dim;
        const x3 = x2 + dim;
        let s0 = b;
        let s1 = b;
        let s2 = b;
        let s3 = b;
        for (let j = 0; j < dim; j++) {
          const wj = weights[w + j]!;
          s0 += wj * x[x0 + j]!;
          s1 += wj * x[x1 + j]!;
          s2 += wj * x[x2 + j]!;
          s3 += wj * x[x3 + j]!;
        }
        z[r * outputs + o] = s0;
        z[(r + 1) * outputs + o] = s1;
        z[(r + 2) * outputs + o] = s2;
        z[(r + 3) * outputs + o] = s3;
      }
      for (; r < rows; r++) {
        let s = b;
        const base = r * dim;
        for (let j = 0; j < dim; j++) s += weights[w + j]! * x[base + j]!;
        z[r * outputs + o] = s;
      }
    }
  }

  /**
   * Adds `scale` × the gradient of the weights and bias for output gradients `dz` (dLoss/dz,
   * `rows * outputs`) at inputs `x` into `into`: Σ dz ⊗ x and Σ dz. Four rows at a time, so each
   * gradient entry is loaded and stored once per four rows.
   */
  backward(
    x: Float64Array,
    dz: Float64Array,
    into: { rows: number; scale: number; weights: Float64Array; bias: Float64Array },
  ): void {
    const { dim, outputs } = this;
    const { rows, scale, weights: gw } = into;
    for (let o = 0; o < outputs; o++) {
      const w = o * dim;
      let bias = 0;
      let r = 0;
      for (; r + 4 <= rows; r += 4) {
        const d0 = dz[r * outputs + o]! * scale;
        const d1 = dz[(r + 1) * outputs + o]! * scale;
        const d2 = dz[(r + 2) * outputs + o]! * scale;
        const d3 = dz[(r + 3) * outputs + o]! * scale;
        bias += d0 + d1 + d2 + d3;
        const x0 = r * dim;
        const x1 = x0 + dim;
        const x2 = x1 + dim;
        const x3 = x2 + dim;
        for (let j = 0; j < dim; j++)
          gw[w + j]! += d0 * x[x0 + j]! + d1 * x[x1 + j]! + d2 * x[x2 + j]! + d3 * x[x3 + j]!;
      }
      for (; r < rows; r++) {
        const d = dz[r * outputs + o]! * scale;
        bias += d;
        const base = r * dim;
        for (let j = 0; j < dim; j++) gw[w + j]! += d * x[base + j]!;
      }
      into.bias[o]! += bias;
    }
  }

  /** An independent copy, e.g. to keep the best model seen so far. */
  copy(): LinearFunction {
    const copy = new LinearFunction(this.dim, this.outputs);
    copy.weights.set(this.weights);
    copy.bias.set(this.bias);
    return copy;
  }
}
