/**
 * Makes each component's sign deterministic: its entry of largest magnitude (the first such,
 * on a tie) is made positive. An eigenvector is only defined up to sign, and without a rule the
 * sign would flip with rounding, so projections could change sign between two trainings.
 */
export function orientComponents(
  vectors: Float64Array,
  shape: { dim: number; count: number },
): Float64Array {
  const { dim, count } = shape;
  const out = vectors.slice(0, dim * count);
  for (let i = 0; i < count; i++) {
    const row = i * dim;
    let largest = 0;
    for (let j = 1; j < dim; j++)
      if (Math.abs(out[row + j]!) > Math.abs(out[row + largest]!)) largest = j;
    if (out[row + largest]! < 0) for (let j = 0; j < dim; j++) out[row + j] = -out[row + j]!;
  }
  return out;
}
