import type { PassSums } from './pass-sums.js';

/** A host's first pass: scatter sums about its shift (the scatter matrix's upper triangle). */
export interface ScatterPass {
  sums: PassSums;
  shift: Float64Array;
}

/** A host's first pass as bytes for another host: rows, squares, dim, shift, sum, matrix. */
export function encodeScatterPass(pass: ScatterPass): Uint8Array {
  const { sums, shift } = pass;
  const dim = shift.length;
  const out = new Float64Array(3 + 2 * dim + dim * dim);
  out.set([sums.rows, sums.squares, dim]);
  out.set(shift, 3);
  out.set(sums.sum, 3 + dim);
  out.set(sums.matrix, 3 + 2 * dim);
  return new Uint8Array(out.buffer);
}

/** The pass {@link encodeScatterPass} wrote. */
export function decodeScatterPass(bytes: Uint8Array): ScatterPass {
  const values = new Float64Array(new Uint8Array(bytes).buffer);
  const [rows = 0, squares = 0, dim = 0] = values;
  return {
    shift: values.slice(3, 3 + dim),
    sums: {
      rows,
      squares,
      sum: values.slice(3 + dim, 3 + 2 * dim),
      matrix: values.slice(3 + 2 * dim, 3 + 2 * dim + dim * dim),
    },
  };
}

/**
 * Several hosts' scatter sums as one, about the first host's shift: each host's sums about its
 * own shift `c_h` are moved to `c` exactly (`x − c = (x − c_h) + e` with `e = c_h − c`), so
 * the combined matrix is the scatter of all the hosts' records together.
 */
export function combineScatterPasses(passes: readonly ScatterPass[]): ScatterPass {
  const shift = passes[0]!.shift;
  const dim = shift.length;
  const combined: PassSums = {
    rows: 0,
    squares: 0,
    sum: new Float64Array(dim),
    matrix: new Float64Array(dim * dim),
  };
  for (const pass of passes) {
    const { rows, squares, sum, matrix } = pass.sums;
    const e = Float64Array.from(pass.shift, (c, j) => c - shift[j]!);
    let cross = 0;
    let ee = 0;
    for (let j = 0; j < dim; j++) {
      cross += sum[j]! * e[j]!;
      ee += e[j]! * e[j]!;
      combined.sum[j]! += sum[j]! + rows * e[j]!;
    }
    for (let i = 0; i < dim; i++)
      for (let j = i; j < dim; j++)
        combined.matrix[i * dim + j]! +=
          matrix[i * dim + j]! + sum[i]! * e[j]! + e[i]! * sum[j]! + rows * e[i]! * e[j]!;
    combined.rows += rows;
    combined.squares += squares + 2 * cross + rows * ee;
  }
  return { sums: combined, shift };
}
