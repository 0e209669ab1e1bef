// The hot loops of PCA training. Both work on a block of records staged column by column in
// Float64 (feature j's values for the block's rows are contiguous), so that every inner loop is
// a dot product over two contiguous columns with its running sums in registers: no load or store
// of the output per multiply-add, which is what makes the row-by-row formulation slow in JS.

/** A block of records, shifted and transposed: `values[j * rows + r]` is feature j of row r. */
export interface ColumnBlock {
  values: Float64Array;
  rows: number;
  dim: number;
}

/**
 * Adds the block's scatter matrix `Yᵀ Y` to the upper triangle of `gram` (row-major `dim × dim`;
 * entries below the diagonal are left alone). Two rows of the output by two columns at a time:
 * four loads feed four multiply-adds, twice the work per load of a plain dot product, and the
 * four sums stay in registers (measured 2-3 times faster than row-by-row outer products).
 */
export function addScatter(block: ColumnBlock, gram: Float64Array): void {
  const { values: y, rows: n, dim: d } = block;
  let i = 0;
  for (; i + 2 <= d; i += 2) {
    const a0 = i * n;
    const a1 = a0 + n;
    let j = i;
    for (; j + 2 <= d; j += 2) {
      const b0 = j * n;
      const b1 = b0 + n;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let r = 0; r < n; r++) {
        const p = y[a0 + r]!;
        const q = y[a1 + r]!;
        const u = y[b0 + r]!;
        const v = y[b1 + r]!;
        s00 += p * u;
        s01 += p * v;
        s10 += q * u;
        s11 += q * v;
      }
      const g = i * d + j;
      gram[g]! += s00;
      gram[g + 1]! += s01;
      if (j !== i) gram[g + d]! += s10; // on the diagonal block, (i + 1, i) is below it
      gram[g + d + 1]! += s11;
    }
    if (j < d) {
      const b = j * n;
      let s0 = 0;
      let s1 = 0;
      for (let r = 0; r < n; r++) {
        const u = y[b + r]!;
        s0 += y[a0 + r]! * u;
        s1 += y[a1 + r]! * u;
      }
      gram[i * d + j]! += s0;
      gram[(i + 1) * d + j]! += s1;
    }
  }
  if (i < d) {
    const a = i * n;
    let s = 0;
    for (let r = 0; r < n; r++) s += y[a + r]! * y[a + r]!;
    gram[i * d + i]! += s;
  }
}

/** A `dim × width` matrix, row-major, and scratch room for a block's `rows × width` products. */
export interface Basis {
  values: Float64Array;
  width: number;
  /** At least `rows × width` numbers; overwritten. */
  scratch: Float64Array;
}

/**
 * Adds `Yᵀ (Y Q)` to `out` (row-major `dim × width`, like Q) without forming `Yᵀ Y`: the cost is
 * `2 · rows · dim · width` rather than `rows · dim²`, which is what makes randomized mode cheap
 * when feature_dim is large. `P = Y Q` is built column by column (`P[c * rows + r]`), so both
 * halves run over contiguous columns, each blocked like {@link addScatter}.
 */
export function addProjectedScatter(block: ColumnBlock, basis: Basis, out: Float64Array): void {
  multiplyBlock(block, basis);
  const { values: y, rows: n, dim: d } = block;
  const { width: w, scratch: p } = basis;
  for (let j = 0; j < d; j += 2) {
    const a0 = j * n;
    const pair = j + 1 < d;
    const a1 = pair ? a0 + n : a0;
    for (let c = 0; c < w; c += 2) {
      const b0 = c * n;
      const b1 = c + 1 < w ? b0 + n : b0;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let r = 0; r < n; r++) {
        const u = y[a0 + r]!;
        const v = y[a1 + r]!;
        const e = p[b0 + r]!;
        const f = p[b1 + r]!;
        s00 += u * e;
        s01 += u * f;
        s10 += v * e;
        s11 += v * f;
      }
      out[j * w + c]! += s00;
      if (c + 1 < w) out[j * w + c + 1]! += s01;
      if (pair) {
        out[(j + 1) * w + c]! += s10;
        if (c + 1 < w) out[(j + 1) * w + c + 1]! += s11;
      }
    }
  }
}

/**
 * `P = Y Q` into the basis' scratch, column by column. Four features and two columns of P at a
 * time: eight multiply-adds per load and store of the two P entries (an axpy per feature would
 * load and store P for every one).
 */
function multiplyBlock(block: ColumnBlock, basis: Basis): void {
  const { values: y, rows: n, dim: d } = block;
  const { values: q, width: w, scratch: p } = basis;
  p.fill(0, 0, n * w);
  for (let j = 0; j < d; j += 4) {
    const a0 = j * n;
    const a1 = j + 1 < d ? a0 + n : a0;
    const a2 = j + 2 < d ? a0 + 2 * n : a0;
    const a3 = j + 3 < d ? a0 + 3 * n : a0;
    // A missing feature (past the last) gets weight 0 and reuses the first's column.
    const weight = (jj: number, c: number): number => (jj < d && c < w ? q[jj * w + c]! : 0);
    for (let c = 0; c < w; c += 2) {
      const b0 = c * n;
      const b1 = c + 1 < w ? b0 + n : b0;
      const f0 = weight(j, c);
      const f1 = weight(j + 1, c);
      const f2 = weight(j + 2, c);
      const f3 = weight(j + 3, c);
      const g0 = weight(j, c + 1);
      const g1 = weight(j + 1, c + 1);
      const g2 = weight(j + 2, c + 1);
      const g3 = weight(j + 3, c + 1);
      for (let r = 0; r < n; r++) {
        const u0 = y[a0 + r]!;
        const u1 = y[a1 + r]!;
        const u2 = y[a2 + r]!;
        const u3 = y[a3 + r]!;
        p[b0 + r]! += u0 * f0 + u1 * f1 + u2 * f2 + u3 * f3;
        p[b1 + r]! += u0 * g0 + u1 * g1 + u2 * g2 + u3 * g3;
      }
    }
  }
}
