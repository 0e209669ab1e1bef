// Eigendecomposition of a symmetric matrix: Householder reduction to tridiagonal form, then the
// implicit QL algorithm with Wilkinson-style shifts (EISPACK's tred2 and tql2, as JAMA and
// Numerical Recipes give them). Chosen over Jacobi rotations because it costs about 9·n³ flops
// whatever the matrix, where cyclic Jacobi needs 5-10 sweeps of about 6·n³ each, and it is as
// robust: orthogonal transformations throughout, so eigenvectors come out orthonormal to
// working precision even for clustered or repeated eigenvalues. npm has no maintained
// typed-array implementation; ml-matrix ports the same JAMA code onto arrays of arrays.

/** Eigenvalues, largest first, and their unit eigenvectors: row i of `vectors` (n × n). */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array;
}

const EPSILON = 2 ** -52;

/**
 * The eigenvalues and eigenvectors of the symmetric `n × n` matrix `a` (row-major; only the
 * lower triangle is read), largest eigenvalue first. `a` is left unchanged.
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  if (a.length < n * n)
    throw new RangeError(`symmetricEigen needs ${n * n} values, got ${a.length}`);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      v[i * n + j] = a[i * n + j]!;
      v[j * n + i] = a[i * n + j]!;
    }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(v, { n, d, e });
  // tql2 rotates pairs of eigenvector columns; with the vectors as rows the rotations run over
  // contiguous memory.
  const rows = transpose(v, n);
  diagonalize(rows, { n, d, e });
  return sortDescending(rows, { n, d });
}

interface Work {
  n: number;
  d: Float64Array;
  e: Float64Array;
}

/** tred2: `v` becomes the orthogonal transformation, `d` the diagonal, `e` the subdiagonal. */
function tridiagonalize(v: Float64Array, work: Work): void {
  const { n, d, e } = work;
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j]!;
        v[i * n + j] = 0;
        v[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        v[j * n + i] = f;
        g = e[j]! + v[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[k * n + j]! * d[k]!;
          e[k]! += v[k * n + j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) v[k * n + j]! -= f * e[k]! + g * d[k]!;
        d[j] = v[(i - 1) * n + j]!;
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = v[i * n + i]!;
    v[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[k * n + i + 1]! * v[k * n + j]!;
        for (let k = 0; k <= i; k++) v[k * n + j]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[(n - 1) * n + j]!;
    v[(n - 1) * n + j] = 0;
  }
  if (n > 0) v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** tql2 on the tridiagonal (d, e); `rows` holds the transformation's columns as rows. */
function diagonalize(rows: Float64Array, work: Work): void {
  const { n, d, e } = work;
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  if (n > 0) e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  // Convergence is cubic and typically takes 1-2 iterations per eigenvalue; the cap only turns
  // a pathological input (NaN) into an error instead of a hang.
  let budget = 60 * n + 60;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n && Math.abs(e[m]!) > EPSILON * tst1) m++;
    if (m > l) {
      do {
        if (--budget < 0)
          throw new RangeError('The eigendecomposition did not converge (is the data finite?)');
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          const a = i * n;
          const b = a + n;
          for (let k = 0; k < n; k++) {
            const t = rows[b + k]!;
            rows[b + k] = s * rows[a + k]! + c * t;
            rows[a + k] = c * rows[a + k]! - s * t;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > EPSILON * tst1);
    }
    d[l]! += f;
    e[l] = 0;
  }
}

function transpose(v: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = v[i * n + j]!;
  return t;
}

function sortDescending(rows: Float64Array, work: { n: number; d: Float64Array }): SymmetricEigen {
  const { n, d } = work;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[b]! - d[a]! || a - b);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = d[from]!;
    vectors.set(rows.subarray(from * n, (from + 1) * n), to * n);
  });
  return { values, vectors };
}
