/**
 * Histogram cut points per feature, as xgboost's `HistogramCuts`: feature `f`'s bins are
 * `values[ptr[f] .. ptr[f + 1])`, each the exclusive upper bound of its bin (a value `x` falls
 * in the first bin whose bound is greater than `x`). A split after bin `b` sends `x < values[b]`
 * left, so bins and the model's float comparisons agree exactly.
 */
export interface FeatureCuts {
  ptr: Int32Array;
  values: Float32Array;
  /** Below every value of the feature: the split condition that sends only missing values left. */
  minValues: Float32Array;
}

/** At most this many rows are sorted per feature to find the quantiles. */
export const SKETCH_ROWS = 1 << 18;

/**
 * Finds up to `maxBin` bins per feature from a row-major matrix (NaN = missing): every distinct
 * value is a bin when there are at most `maxBin` of them, else the bins are exact quantiles of
 * an evenly strided sample of {@link SKETCH_ROWS} rows (xgboost sketches all rows
 * approximately). As xgboost's `AddCutPoint`, the bounds are the values themselves and the last
 * bound lies above the largest value.
 */
export function computeCuts(
  features: Float32Array,
  shape: { rows: number; dim: number },
  maxBin: number,
): FeatureCuts {
  const { rows, dim } = shape;
  const step = Math.max(1, rows / SKETCH_ROWS);
  const sampled = Math.min(rows, Math.ceil(rows / step));
  const column = new Float32Array(sampled);
  const ptr = new Int32Array(dim + 1);
  const values: number[] = [];
  const minValues = new Float32Array(dim);
  for (let f = 0; f < dim; f++) {
    let count = 0;
    for (let i = 0; i < sampled; i++) {
      const x = features[Math.floor(i * step) * dim + f]!;
      if (x === x) column[count++] = x;
    }
    const sorted = column.subarray(0, count).sort();
    const cuts = featureCuts(sorted, maxBin);
    minValues[f] = count > 0 ? Math.fround(sorted[0]! - (Math.abs(sorted[0]!) + 1e-5)) : 0;
    for (const cut of cuts) values.push(cut);
    ptr[f + 1] = values.length;
  }
  return { ptr, values: Float32Array.from(values), minValues };
}

/** The bounds of one feature's bins from its sorted non-missing values. */
function featureCuts(sorted: Float32Array, maxBin: number): number[] {
  const n = sorted.length;
  if (n === 0) return [1e-5];
  const cuts: number[] = [];
  const distinct = countDistinct(sorted, maxBin + 1);
  if (distinct <= maxBin) {
    // Every distinct value but the smallest bounds the bin below it.
    for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) cuts.push(sorted[i]!);
  } else {
    for (let i = 1; i < maxBin; i++) {
      const q = sorted[Math.floor((i * n) / maxBin)]!;
      if (cuts.length === 0 || q > cuts[cuts.length - 1]!) cuts.push(q);
    }
  }
  const max = sorted[n - 1]!;
  const last = Math.fround(max + (Math.abs(max) + 1e-5));
  if (cuts.length === 0 || last > cuts[cuts.length - 1]!) cuts.push(last);
  return cuts;
}

function countDistinct(sorted: Float32Array, stopAt: number): number {
  let distinct = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length && distinct < stopAt; i++)
    if (sorted[i] !== sorted[i - 1]) distinct++;
  return distinct;
}

/** The bin of `x` among `values[from, to)`: the first bound greater than `x`, else the last. */
// eslint-disable-next-line max-params -- called once per value while binning; no object per call
export function binOf(values: Float32Array, from: number, to: number, x: number): number {
  // Branch-free binary search: the halving steps do not depend on the comparisons.
  let base = from;
  for (let n = to - from; n > 1;) {
    const half = n >>> 1;
    base = values[base + half]! <= x ? base + half : base;
    n -= half;
  }
  const bin = base + +(values[base]! <= x) - from;
  return bin < to - from ? bin : to - from - 1;
}
