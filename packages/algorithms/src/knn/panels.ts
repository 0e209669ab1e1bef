import { type WasmMemory, wasm } from '../common/wasm/runtime.js';

/** How an index compares vectors: by squared Euclidean distance, or by inner product. */
export type Similarity = 'l2' | 'ip';

/** Groups (of 4 points) the kernel scans per call; even, as the kernel takes two at a time. */
export const CHUNK_GROUPS = 256;
/** Points per padded block: two groups of 4, the kernel's step. */
const BLOCK = 8;

/**
 * The vectors of an index laid out for the SIMD kernel in a shared WebAssembly memory, so every
 * search thread reads the same copy. The points are split into lists (one for an exact index,
 * one per coarse centroid for IVF), each padded to a multiple of 8 points with points that never
 * match. In memory: the panels (groups of 4 points, coordinates interleaved, centered on `mean`),
 * each point's bias (`‖x − mean‖²` for L2, 0 for inner product, +∞ for padding), the original
 * rows (row-major, padded like the panels, for exact rescoring), and one scratch area per thread.
 */
export interface Panels {
  readonly memory: WasmMemory;
  readonly similarity: Similarity;
  readonly dim: number;
  /** Real (unpadded) points. */
  readonly count: number;
  /** List l is groups `[lists[l], lists[l + 1])`. */
  readonly lists: Int32Array;
  /** The id of each padded point (its position in the caller's order), -1 for padding. */
  readonly ids: Int32Array;
  readonly mean: Float64Array;
  /** The largest ‖x − mean‖ (bounds the kernel's float32 rounding). */
  readonly radius: number;
  readonly at: { panels: number; bias: number; rows: number; scratch: number };
  readonly scratchBytes: number;
  readonly threads: number;
}

/** What {@link buildPanels} lays out: rows in list order, and each list's size. */
export interface PanelSource {
  similarity: Similarity;
  dim: number;
  /** Row-major vectors, list after list. */
  rows: Float32Array;
  /** Number of rows in each list, in order; sums to the row count. */
  listSizes: ArrayLike<number>;
  /** Scratch areas to reserve, one per search thread. */
  threads: number;
}

const WASM_PAGE = 65536;
const MAX_PAGES = 65536;

/** Lays the vectors out for the kernel; throws a RangeError when they exceed 4 GiB of memory. */
export function buildPanels(source: PanelSource): Panels {
  const { dim, rows, listSizes, similarity, threads } = source;
  const count = rows.length / dim;
  const lists = new Int32Array(listSizes.length + 1);
  for (let l = 0; l < listSizes.length; l++)
    lists[l + 1] = lists[l]! + Math.ceil(listSizes[l]! / BLOCK) * (BLOCK / 4);
  const groups = lists[listSizes.length]!;
  const points = groups * 4;
  const scratchBytes = align16(4 * 4 * dim + 16 + 8 * 4 * CHUNK_GROUPS);
  const at = { panels: 0, bias: points * dim * 4, rows: 0, scratch: 0 };
  at.rows = at.bias + points * 4;
  at.scratch = at.rows + points * dim * 4;
  const bytes = at.scratch + threads * scratchBytes;
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE));
  if (pages > MAX_PAGES)
    throw new RangeError(
      `The index needs ${Math.ceil(bytes / 2 ** 20)} MiB, more than the 4 GiB a search kernel can address; use a smaller sample_size or dimension_reduction_target.`,
    );
  const memory = new wasm.Memory({ initial: pages, maximum: pages, shared: true });
  const mean = meanOf(rows, dim, count);
  const ids = new Int32Array(points).fill(-1);
  const panels = new Float32Array(memory.buffer, at.panels, points * dim);
  const bias = new Float32Array(memory.buffer, at.bias, points).fill(Infinity);
  const padded = new Float32Array(memory.buffer, at.rows, points * dim);
  let radius = 0;
  let row = 0;
  for (let l = 0; l < listSizes.length; l++) {
    const first = lists[l]! * 4;
    for (let i = 0; i < listSizes[l]!; i++, row++) {
      const p = first + i;
      ids[p] = row;
      padded.set(rows.subarray(row * dim, (row + 1) * dim), p * dim);
      const panel = (p >> 2) * 4 * dim + (p & 3);
      let norm = 0;
      for (let j = 0; j < dim; j++) {
        const centered = Math.fround(rows[row * dim + j]! - mean[j]!);
        panels[panel + 4 * j] = centered;
        norm += centered * centered;
      }
      bias[p] = similarity === 'l2' ? norm : 0;
      radius = Math.max(radius, Math.sqrt(norm));
    }
  }
  return { memory, similarity, dim, count, lists, ids, mean, radius, at, scratchBytes, threads };
}

function meanOf(rows: Float32Array, dim: number, count: number): Float64Array {
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) for (let j = 0; j < dim; j++) mean[j]! += rows[i * dim + j]!;
  if (count > 0) for (let j = 0; j < dim; j++) mean[j]! /= count;
  return mean;
}

const align16 = (n: number): number => Math.ceil(n / 16) * 16;
