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

  /** An independent copy, e.g. to keep the best model seen so far. */
  copy(): LinearFunction {
    const copy = new LinearFunction(this.dim, this.outputs);
    copy.weights.set(this.weights);
    copy.bias.set(this.bias);
    return copy;
  }
}
