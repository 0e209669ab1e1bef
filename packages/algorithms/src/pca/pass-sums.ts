import { type ColumnBlock, addProjectedScatter, addScatter } from './kernels.js';

/**
 * What one pass over the records computes, about a fixed `shift` (a point near the data, so
 * that sums of squares do not lose the variance to a large mean):
 * - `scatter`: `Σ (x − c)(x − c)ᵀ`, the `dim × dim` scatter matrix (upper triangle);
 * - `project`: `Σ (x − c)(x − c)ᵀ Q` for a `dim × width` basis Q, randomized mode's product.
 */
export type PassTask =
  | { kind: 'scatter'; shift: Float64Array }
  | { kind: 'project'; shift: Float64Array; basis: Float64Array; width: number };

/** A pass's sums over the records one shard saw; shards' sums add up. */
export interface PassSums {
  rows: number;
  /** `Σ (x − c)`, per feature. */
  sum: Float64Array;
  /** `Σ ‖x − c‖²`. */
  squares: number;
  /** The task's matrix: `dim × dim` (upper triangle) for scatter, `dim × width` for project. */
  matrix: Float64Array;
}

/**
 * Rows staged per kernel call: a block of at most about 1 MiB, so its columns stay in cache. The
 * count is 8 times an odd number, so consecutive columns (8·rows bytes apart) fall in different
 * cache sets: with a power of two, staging a row's values column by column hit one set over and
 * over and took longer than the kernel itself.
 */
export function blockRows(dim: number): number {
  const rows = Math.max(64, Math.min(1024, Math.floor(131072 / dim)));
  return 8 * (2 * Math.floor(rows / 16) + 1);
}

/**
 * Runs a pass's task over records as they come: rows are shifted and staged column by column
 * in a Float64 block, and each full block goes through the kernel. The order of the additions
 * depends only on the order of the records, so the same records give the same sums.
 */
export class PassAccumulator {
  readonly #dim: number;
  readonly #task: PassTask;
  readonly #block: ColumnBlock;
  readonly #capacity: number;
  readonly #scratch: Float64Array;
  readonly #sums: PassSums;

  constructor(dim: number, task: PassTask) {
    this.#dim = dim;
    this.#task = task;
    this.#capacity = blockRows(dim);
    this.#block = { values: new Float64Array(this.#capacity * dim), rows: 0, dim };
    const width = task.kind === 'project' ? task.width : 0;
    this.#scratch = new Float64Array(this.#capacity * width);
    this.#sums = {
      rows: 0,
      sum: new Float64Array(dim),
      squares: 0,
      matrix: new Float64Array(task.kind === 'scatter' ? dim * dim : dim * width),
    };
  }

  /** Adds `rows` records (row-major, `dim` features each). */
  add(features: Float32Array, rows: number): void {
    const dim = this.#dim;
    const shift = this.#task.shift;
    const { sum } = this.#sums;
    const capacity = this.#capacity;
    let squares = 0;
    for (let r = 0; r < rows;) {
      const block = this.#block;
      const take = Math.min(rows - r, capacity - block.rows);
      // Staged with the final block height as the column stride; a partial block is re-laid
      // out in flush().
      const y = block.values;
      for (let t = 0; t < take; t++) {
        const at = (r + t) * dim;
        const slot = block.rows + t;
        for (let j = 0; j < dim; j++) {
          const v = features[at + j]! - shift[j]!;
          y[j * capacity + slot] = v;
          sum[j]! += v;
          squares += v * v;
        }
      }
      block.rows += take;
      r += take;
      if (block.rows === capacity) this.#flush();
    }
    this.#sums.squares += squares;
    this.#sums.rows += rows;
  }

  /** The sums over every record added. */
  finish(): PassSums {
    this.#flush();
    return this.#sums;
  }

  #flush(): void {
    const block = this.#block;
    const rows = block.rows;
    if (rows === 0) return;
    if (rows < this.#capacity) {
      // Close the gaps so the kernel sees columns of `rows` values.
      const y = block.values;
      for (let j = 1; j < this.#dim; j++)
        y.copyWithin(j * rows, j * this.#capacity, j * this.#capacity + rows);
    }
    const task = this.#task;
    if (task.kind === 'scatter') addScatter(block, this.#sums.matrix);
    else
      addProjectedScatter(
        block,
        { values: task.basis, width: task.width, scratch: this.#scratch },
        this.#sums.matrix,
      );
    block.rows = 0;
  }
}

/** The sums of several shards as one, added in the order given (so the result is reproducible). */
export function mergeSums(parts: readonly PassSums[]): PassSums {
  const [first, ...rest] = parts;
  if (first === undefined) throw new RangeError('mergeSums needs at least one part');
  const merged: PassSums = {
    rows: first.rows,
    sum: Float64Array.from(first.sum),
    squares: first.squares,
    matrix: Float64Array.from(first.matrix),
  };
  for (const part of rest) {
    merged.rows += part.rows;
    merged.squares += part.squares;
    for (let i = 0; i < merged.sum.length; i++) merged.sum[i]! += part.sum[i]!;
    for (let i = 0; i < merged.matrix.length; i++) merged.matrix[i]! += part.matrix[i]!;
  }
  return merged;
}
