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
 * distance to `dist`. The hot loop of training and inference: points go four at a time, so each
 * center coordinate is loaded once per four points and the four running minima stay in
 * registers (about twice as fast as one point at a time).
 */
export function assignNearest(
  points: Points,
  centers: Centers,
  out: { rows: number; assign: Int32Array; dist: Float64Array },
): void {
  const { values, count, dim } = centers;
  const { rows, assign, dist } = out;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const p0 = i * dim;
    const p1 = p0 + dim;
    const p2 = p1 + dim;
    const p3 = p2 + dim;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    let d0 = Infinity;
    let d1 = Infinity;
    let d2 = Infinity;
    let d3 = Infinity;
    for (let c = 0, co = 0; c < count; c++, co += dim) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < dim; j++) {
        const v = values[co + j]!;
        const e0 = points[p0 + j]! - v;
        const e1 = points[p1 + j]! - v;
        const e2 = points[p2 + j]! - v;
        const e3 = points[p3 + j]! - v;
        s0 += e0 * e0;
        s1 += e1 * e1;
        s2 += e2 * e2;
        s3 += e3 * e3;
      }
      if (s0 < d0) {
        d0 = s0;
        b0 = c;
      }
      if (s1 < d1) {
        d1 = s1;
        b1 = c;
      }
      if (s2 < d2) {
        d2 = s2;
        b2 = c;
      }
      if (s3 < d3) {
        d3 = s3;
        b3 = c;
      }
    }
    assign[i] = b0;
    assign[i + 1] = b1;
    assign[i + 2] = b2;
    assign[i + 3] = b3;
    dist[i] = d0;
    dist[i + 1] = d1;
    dist[i + 2] = d2;
    dist[i + 3] = d3;
  }
  for (; i < rows; i++) {
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < count; c++) {
      const d = squaredDistance({ points, row: i }, { points: values, row: c }, dim);
      if (d < bestDist) {
        bestDist = d;
        best = c;
      }
    }
    assign[i] = best;
    dist[i] = bestDist;
  }
}
