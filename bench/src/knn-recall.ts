import { readCsvBatches } from '@plinth/algorithms';
import type { KnnFiles } from './knn-data.js';

/**
 * A neighbour counts as found when its distance to the query is within this much (standardized
 * units) of the true k-th nearest distance, as ann-benchmarks counts: rows at the same distance
 * are interchangeable, and the flights hold many identical rows.
 */
export const RECALL_EPSILON = 1e-3;

/** The reference rows (by id) and the queries, in float64, for scoring neighbour lists. */
export interface KnnTruth {
  readonly dim: number;
  readonly reference: Float64Array;
  readonly queries: Float64Array;
  readonly queryRows: number;
}

/** Reads both files of a k-NN benchmark into memory (reference rows placed by their id). */
export async function readKnnTruth(files: KnnFiles): Promise<KnnTruth> {
  const ids: number[] = [];
  const chunks: Float32Array[] = [];
  let dim = 0;
  for await (const b of readCsvBatches(files.reference, { labelColumns: 1, batchSize: 10_000 })) {
    dim = b.dim;
    chunks.push(b.features.slice());
    for (let r = 0; r < b.rows; r++) ids.push(b.labels![r]!);
  }
  const reference = new Float64Array(ids.length * dim);
  let row = 0;
  for (const chunk of chunks)
    for (let at = 0; at < chunk.length; at += dim, row++)
      reference.set(chunk.subarray(at, at + dim), ids[row]! * dim);
  const queryChunks: Float32Array[] = [];
  for await (const b of readCsvBatches(files.queries, { labelColumns: 0, batchSize: 10_000 })) {
    if (b.dim !== dim) throw new Error(`queries have ${b.dim} features, reference ${dim}`);
    queryChunks.push(b.features.slice());
  }
  const queries = new Float64Array(queryChunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of queryChunks) {
    queries.set(chunk, offset);
    offset += chunk.length;
  }
  return { dim, reference, queries, queryRows: queries.length / dim };
}

/**
 * recall@k of `found` (k reference ids per query, in query order) against the exact answer
 * `exact` (the same layout, from a brute-force search): per query, the share of its k distinct
 * ids whose distance (recomputed here in float64) is within {@link RECALL_EPSILON} of the k-th
 * distance of the exact answer; averaged over queries. Every side goes through this function.
 */
export function recallAtK(
  truth: KnnTruth,
  lists: { exact: Int32Array; found: Int32Array },
  k: number,
): number {
  const { exact, found } = lists;
  let total = 0;
  for (let q = 0; q < truth.queryRows; q++) {
    let kth = 0;
    for (let j = 0; j < k; j++) kth = Math.max(kth, distance(truth, q, exact[q * k + j]!));
    const seen = new Set<number>();
    for (let j = 0; j < k; j++) {
      const id = found[q * k + j]!;
      if (id >= 0 && !seen.has(id) && distance(truth, q, id) <= kth + RECALL_EPSILON) seen.add(id);
    }
    total += seen.size / k;
  }
  return total / truth.queryRows;
}

function distance(truth: KnnTruth, q: number, id: number): number {
  const { dim, reference, queries } = truth;
  if (id < 0 || (id + 1) * dim > reference.length) return Infinity;
  let sum = 0;
  for (let c = 0; c < dim; c++) {
    const d = queries[q * dim + c]! - reference[id * dim + c]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}
