import { type FeatureCuts, binOf } from './quantile-cuts.js';

/**
 * Row-major bin codes: row `r`, feature `f` at `r * dim + f`. A code is the index of the bin's
 * gradient in a node histogram (twice its slot), so histogram building needs no per-feature
 * offset; a feature's missing-value slot follows its last bin.
 */
export type BinCodes = Uint16Array | Uint32Array;

/**
 * Where each feature's bins sit in a node histogram: feature `f` has `count[f]` bins then one
 * slot for missing values, starting at slot `offset[f]`; `slots` in all. A histogram stores a
 * (gradient, hessian) pair per slot, so its length is `2 * slots`.
 */
export interface HistogramLayout {
  dim: number;
  offset: Int32Array;
  count: Int32Array;
  slots: number;
}

/** The histogram layout of a set of cuts. */
export function histogramLayout(cuts: FeatureCuts): HistogramLayout {
  const dim = cuts.ptr.length - 1;
  const offset = new Int32Array(dim);
  const count = new Int32Array(dim);
  for (let f = 0; f < dim; f++) {
    offset[f] = cuts.ptr[f]! + f;
    count[f] = cuts.ptr[f + 1]! - cuts.ptr[f]!;
  }
  return { dim, offset, count, slots: cuts.ptr[dim]! + dim };
}

/** Bytes per bin code: 2 while every histogram index fits 16 bits, else 4. */
export function binCodeBytes(layout: HistogramLayout): 2 | 4 {
  return 2 * layout.slots <= 0x10000 ? 2 : 4;
}

/** The code of feature `f`'s bin `bin` (`count[f]` for missing). */
export function binCode(layout: HistogramLayout, f: number, bin: number): number {
  return 2 * (layout.offset[f]! + bin);
}

/**
 * Writes the bin codes of `rows` rows of row-major features (NaN gets the feature's missing
 * code) into `out`, `stride` codes per row.
 */
export function binRows(
  input: { features: Float32Array; cuts: FeatureCuts },
  out: BinCodes,
  shape: { rows: number; stride: number },
): void {
  const { features, cuts } = input;
  const dim = cuts.ptr.length - 1;
  const { ptr, values } = cuts;
  const { rows, stride } = shape;
  // Row by row, so the features are read once, in order.
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < dim; f++) {
      const start = ptr[f]!;
      const end = ptr[f + 1]!;
      const x = features[r * dim + f]!;
      out[r * stride + f] =
        x === x ? 2 * (start + f + binOf(values, start, end, x)) : 2 * (end + f);
    }
  }
}
