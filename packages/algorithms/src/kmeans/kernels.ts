/** Row-major points: `rows * dim` numbers, row i at `i * dim`. */
export type Points = Float32Array | Float64Array;

/** Centers as a row-major matrix, like {@link Points}. */
export interface Centers {
  values: Float64Array;
  count: number;
  dim: number;
}

/** Squared Euclidean distance between row `a` of `x` and row `b` of `c`. */
export function squaredDistance(
  x: { points: Points; row: number },
  c: { points: Points; row: number },
  dim: number,
): number {
  let sum = 0;
  const xo = x.row * dim;
  const co = c.row * dim;
  for (let j = 0; j < dim; j++) {
    const d = x.points[xo + j]! - c.points[co + j]!;
    sum += d * d;
  }
  return sum;
}

/**
 * For each of `rows` points, writes the index of its nearest center to `assign` and the squared
 * distance to `dist`. The hot loop of training and inference, so it avoids per-point objects.
 */
export function assignNearest(
  points: Points,
  centers: Centers,
  out: { rows: number; assign: Int32Array; dist: Float64Array },
): void {
  const { values, count, dim } = centers;
  for (let i = 0; i < out.rows; i++) {
    const po = i * dim;
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < count; c++) {
      const co = c * dim;
      let sum = 0;
      for (let j = 0; j < dim && sum < bestDist; j++) {
        const d = points[po + j]! - values[co + j]!;
        sum += d * d;
      }
      if (sum < bestDist) {
        bestDist = sum;
        best = c;
      }
    }
    out.assign[i] = best;
    out.dist[i] = bestDist;
  }
}
