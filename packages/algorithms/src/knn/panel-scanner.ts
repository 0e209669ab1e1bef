import { CHUNK_GROUPS, type Panels } from './panels.js';
import type { TopK } from './top-k.js';
import { type FilterFunction, instantiateFilter } from './wasm/filter-kernel.js';

/** Unit roundoff of float32. */
const U32 = 2 ** -24;

/** Queries ready for the kernel: as given, as the kernel sees them, and their score offsets. */
export interface PreparedQueries {
  readonly count: number;
  /** The queries as given, row-major: exact scores are computed from these. */
  readonly vectors: Float32Array;
  /** Float32 copies the kernel multiplies: centered on the panels' mean for L2. */
  readonly kernel: Float32Array;
  /** Adds to an exact score to give the kernel's score for the same point. */
  readonly offset: Float64Array;
  /** A bound on the kernel's float32 rounding for each query's scores. */
  readonly margin: Float64Array;
}

/**
 * One thread's view of {@link Panels}: runs the SIMD kernel over groups of points for blocks of
 * 4 queries, and offers every candidate it lets through, rescored exactly in float64, to a
 * {@link TopK}. The kernel's threshold is each query's current k-th best score plus a bound on
 * float32 rounding, so no point that belongs in the exact top k is filtered out.
 */
export class PanelScanner {
  readonly #panels: Panels;
  readonly #filter: FilterFunction;
  readonly #f32: Float32Array;
  readonly #i32: Int32Array;
  readonly #rows: Float32Array;
  readonly #query: number;
  readonly #thresholds: number;
  readonly #candidates: number;

  constructor(panels: Panels, thread: number) {
    if (thread >= panels.threads) throw new RangeError(`No scratch area for thread ${thread}`);
    this.#panels = panels;
    this.#filter = instantiateFilter(panels.memory);
    const buffer = panels.memory.buffer;
    this.#f32 = new Float32Array(buffer);
    this.#i32 = new Int32Array(buffer);
    this.#rows = new Float32Array(buffer, panels.at.rows, panels.ids.length * panels.dim);
    const scratch = panels.at.scratch + thread * panels.scratchBytes;
    this.#query = scratch;
    this.#thresholds = scratch + 16 * panels.dim;
    this.#candidates = this.#thresholds + 16;
  }

  /** Coordinates per point. */
  get dim(): number {
    return this.#panels.dim;
  }

  /** Real points scanned. */
  get count(): number {
    return this.#panels.count;
  }

  /** Groups of 4 points in all lists. */
  get groups(): number {
    return this.#panels.lists[this.#panels.lists.length - 1]!;
  }

  /** Makes the kernel's copies of `count` row-major queries. */
  prepare(vectors: Float32Array, count: number): PreparedQueries {
    const { dim, mean, radius, similarity } = this.#panels;
    const kernel = new Float32Array(count * dim);
    const offset = new Float64Array(count);
    const margin = new Float64Array(count);
    const center = similarity === 'l2' ? mean : new Float64Array(dim);
    const slack = 8 * U32 * (dim + 4);
    for (let q = 0, at = 0; q < count; q++, at += dim) {
      let norm = 0;
      let shift = 0;
      for (let j = 0; j < dim; j++) {
        const v = vectors[at + j]!;
        const k = Math.fround(v - center[j]!);
        kernel[at + j] = k;
        norm += k * k;
        shift += v * mean[j]!;
      }
      // L2: kernel score = ‖x−μ‖² − 2(q−μ)·(x−μ) = exact − ‖q−μ‖². IP: −q·(x−μ) = exact + q·μ.
      offset[q] = similarity === 'l2' ? -norm : shift;
      const scale = Math.sqrt(norm) + radius;
      margin[q] = slack * scale * scale + 1e-30;
    }
    return { count, vectors, kernel, offset, margin };
  }

  /**
   * Scans groups `[from, to)` (whole lists, so an even count) for the queries `which[0..n)`,
   * offering every point that may be among a query's best to `top` (by its id in the panels).
   * Points go in tiles of {@link CHUNK_GROUPS} groups that stay in cache while every block of 4
   * queries passes over them.
   */
  scan(
    range: { from: number; to: number },
    queries: { prepared: PreparedQueries; which: Int32Array; n: number },
    top: TopK,
  ): void {
    const { dim } = this.#panels;
    const { prepared, which, n } = queries;
    const f32 = this.#f32;
    const queryAt = this.#query >> 2;
    // Thresholds change only between calls, so the first tile goes in chunks that start just
    // over k points and double: every query's threshold tightens early (or becomes finite).
    const first = Math.min(CHUNK_GROUPS, 2 * Math.ceil(top.k / 8));
    for (let t0 = range.from; t0 < range.to; t0 += CHUNK_GROUPS) {
      const t1 = Math.min(range.to, t0 + CHUNK_GROUPS);
      for (let b = 0; b < n; b += 4) {
        for (let i = 0; i < 4; i++) {
          const from = which[Math.min(b + i, n - 1)]! * dim;
          for (let j = 0; j < dim; j++) f32[queryAt + 4 * j + i] = prepared.kernel[from + j]!;
        }
        let chunk = t0 === range.from ? first : CHUNK_GROUPS;
        for (let g0 = t0; g0 < t1; g0 += chunk, chunk *= 2)
          this.#call({ from: g0, to: Math.min(t1, g0 + chunk) }, { prepared, which, n, b }, top);
      }
    }
  }

  /** Runs the kernel on groups `[from, to)` for the block of queries at `which[b..b+4)`. */
  #call(
    range: { from: number; to: number },
    block: { prepared: PreparedQueries; which: Int32Array; n: number; b: number },
    top: TopK,
  ): void {
    const { dim, similarity, at } = this.#panels;
    const { prepared, which, n, b } = block;
    const f32 = this.#f32;
    const i32 = this.#i32;
    const thresholdAt = this.#thresholds >> 2;
    for (let i = 0; i < 4; i++)
      f32[thresholdAt + i] =
        b + i < n ? threshold(top.worst(which[b + i]!), prepared, which[b + i]!) : -Infinity;
    const count = this.#filter(
      this.#query,
      this.#thresholds,
      at.panels + range.from * dim * 16,
      range.to - range.from,
      dim,
      at.bias + range.from * 16,
      similarity === 'l2' ? 2 : 1,
      this.#candidates,
      range.from,
    );
    const candidatesAt = this.#candidates >> 2;
    const { ids } = this.#panels;
    for (let c = 0; c < count; c++) {
      const group = i32[candidatesAt + 2 * c]!;
      const word = i32[candidatesAt + 2 * c + 1]!;
      const q = which[b + (word >> 4)]!;
      for (let lane = 0; lane < 4; lane++)
        if ((word & (1 << lane)) !== 0) {
          const p = group * 4 + lane;
          top.offer(q, this.score(prepared.vectors, q, p), ids[p]!);
        }
    }
  }

  /** The exact score of padded point `p` for query `q`: squared distance, or minus the inner product. */
  score(vectors: Float32Array, q: number, p: number): number {
    const { dim, similarity } = this.#panels;
    const rows = this.#rows;
    let sum = 0;
    if (similarity === 'l2')
      for (let j = 0, a = q * dim, b = p * dim; j < dim; j++) {
        const d = vectors[a + j]! - rows[b + j]!;
        sum += d * d;
      }
    else
      for (let j = 0, a = q * dim, b = p * dim; j < dim; j++) sum -= vectors[a + j]! * rows[b + j]!;
    return sum;
  }
}

function threshold(worst: number, prepared: PreparedQueries, q: number): number {
  if (worst === Infinity) return Infinity;
  const shifted = worst + prepared.offset[q]!;
  // The extra relative slack covers rounding the threshold itself to float32.
  return shifted + prepared.margin[q]! + Math.abs(shifted) * 2 ** -20;
}
