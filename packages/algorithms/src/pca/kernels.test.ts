import { describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { addProjectedScatter, addScatter } from './kernels.js';

/** A block of `rows × dim` random values, column by column, and the rows as plain arrays. */
function block(rows: number, dim: number) {
  const random = createRandom(rows * 100 + dim);
  const x = Array.from({ length: rows }, () => Array.from({ length: dim }, () => random() - 0.5));
  const values = new Float64Array(rows * dim);
  x.forEach((row, r) => row.forEach((v, j) => (values[j * rows + r] = v)));
  return { x, block: { values, rows, dim } };
}

describe('PCA kernels', () => {
  // Odd and even sizes, so every remainder path of the blocked loops runs.
  it.each([
    [1, 1],
    [13, 7],
    [16, 8],
    [5, 10],
  ])('addScatter adds the upper triangle of Yᵀ Y (%i rows, %i features)', (rows, dim) => {
    const { x, block: y } = block(rows, dim);
    const gram = new Float64Array(dim * dim).fill(1);
    addScatter(y, gram);
    for (let i = 0; i < dim; i++)
      for (let j = 0; j < dim; j++) {
        const expected = j >= i ? 1 + x.reduce((s, row) => s + row[i]! * row[j]!, 0) : 1;
        expect(gram[i * dim + j]).toBeCloseTo(expected, 12);
      }
  });

  it.each([
    [13, 7, 3],
    [16, 8, 4],
    [9, 5, 1],
    [4, 10, 5],
  ])('addProjectedScatter adds Yᵀ (Y Q) (%i rows, %i features, width %i)', (rows, dim, width) => {
    const { x, block: y } = block(rows, dim);
    const random = createRandom(7);
    const q = Array.from({ length: dim }, () =>
      Array.from({ length: width }, () => random() - 0.5),
    );
    const out = new Float64Array(dim * width).fill(2);
    const basis = {
      values: Float64Array.from(q.flat()),
      width,
      scratch: new Float64Array(rows * width),
    };
    addProjectedScatter(y, basis, out);
    const p = x.map((row) => q[0]!.map((_, c) => row.reduce((s, v, j) => s + v * q[j]![c]!, 0)));
    for (let j = 0; j < dim; j++)
      for (let c = 0; c < width; c++) {
        const expected = 2 + x.reduce((s, row, r) => s + row[j]! * p[r]![c]!, 0);
        expect(out[j * width + c]).toBeCloseTo(expected, 12);
      }
  });
});
