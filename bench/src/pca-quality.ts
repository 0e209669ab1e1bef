import { readCsvBatches } from '@plinth/algorithms';

/** How much of a data set's variance a set of principal components keeps. */
export interface ExplainedVariance {
  /** The variance about the data's mean inside the components' span, over the total variance. */
  readonly ratio: number;
  /** The same for the first component alone. */
  readonly first: number;
  /** Components that were kept (linearly independent of those before them). */
  readonly components: number;
  readonly rows: number;
}

/**
 * The share of the variance of the rows of a headerless, label-free CSV file that lies in the
 * span of `components` (each a vector of the file's width), about the rows' own mean. The
 * components are orthonormalized first (Gram-Schmidt, in order), so the figure depends only on
 * the subspace, not on how a side scaled or signed its vectors. Both sides' components go
 * through this one function, over the same rows.
 */
export async function explainedVariance(
  components: readonly ArrayLike<number>[],
  csv: string,
): Promise<ExplainedVariance> {
  const basis = orthonormalize(components);
  const k = basis.length;
  const dim = basis[0]?.length ?? 0;
  const flat = new Float64Array(k * dim);
  basis.forEach((b, j) => flat.set(b, j * dim));
  const sum = new Float64Array(dim);
  const projectedSum = new Float64Array(k);
  const projectedSquares = new Float64Array(k);
  let squares = 0;
  let rows = 0;
  for await (const batch of readCsvBatches(csv, { labelColumns: 0, batchSize: 10_000 })) {
    if (batch.dim !== dim)
      throw new Error(`${csv} has ${batch.dim} columns; the components have ${dim}`);
    const x = batch.features;
    for (let r = 0; r < batch.rows; r++) {
      const at = r * dim;
      for (let c = 0; c < dim; c++) {
        const v = x[at + c]!;
        sum[c]! += v;
        squares += v * v;
      }
      for (let j = 0; j < k; j++) {
        const b = j * dim;
        let p = 0;
        for (let c = 0; c < dim; c++) p += flat[b + c]! * x[at + c]!;
        projectedSum[j]! += p;
        projectedSquares[j]! += p * p;
      }
    }
    rows += batch.rows;
  }
  let meanSquares = 0;
  for (let c = 0; c < dim; c++) meanSquares += sum[c]! * sum[c]!;
  const total = squares - meanSquares / rows;
  const along = Array.from(
    { length: k },
    (_, j) => projectedSquares[j]! - (projectedSum[j]! * projectedSum[j]!) / rows,
  );
  return {
    ratio: along.reduce((a, b) => a + b, 0) / total,
    first: (along[0] ?? 0) / total,
    components: k,
    rows,
  };
}

/** Gram-Schmidt (modified, twice for stability) in float64; drops vectors already spanned. */
function orthonormalize(vectors: readonly ArrayLike<number>[]): Float64Array[] {
  const basis: Float64Array[] = [];
  for (const vector of vectors) {
    const v = Float64Array.from(vector);
    const norm0 = Math.hypot(...v);
    for (let pass = 0; pass < 2; pass++)
      for (const b of basis) {
        let dot = 0;
        for (let c = 0; c < v.length; c++) dot += v[c]! * b[c]!;
        for (let c = 0; c < v.length; c++) v[c]! -= dot * b[c]!;
      }
    const norm = Math.hypot(...v);
    if (norm0 === 0 || norm < 1e-6 * norm0) continue;
    for (let c = 0; c < v.length; c++) v[c]! /= norm;
    basis.push(v);
  }
  return basis;
}
