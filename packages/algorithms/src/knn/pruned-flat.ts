import { createRandom } from '../common/random.js';
import { groupByList } from './build-index.js';
import { nearestCentroids, trainKMeans } from './kmeans.js';
import type { PanelScanner } from './panel-scanner.js';
import { type Panels, buildPanels } from './panels.js';
import { TopK } from './top-k.js';

/** Below this many vectors an exact index is scanned whole. */
const PRUNE_MIN_VECTORS = 4096;
/** Above this many coordinates clusters rarely rule anything out, so the index is scanned whole. */
const PRUNE_MAX_DIM = 12;
/** Queries whose lower bounds are held at once (`QUERY_BATCH × lists` float64s). */
const QUERY_BATCH = 1024;
const SEED = 0x70726e;

/** Clusters of an exact L2 index: each list's centroid and radius (its farthest vector). */
export interface Pruning {
  readonly centroids: Float32Array;
  readonly radii: Float64Array;
}

/** Whether {@link openPrunedFlat} applies: L2, low dimension, many vectors. */
export function canPrune(shape: { similarity: 'l2' | 'ip'; dim: number; count: number }): boolean {
  return (
    shape.similarity === 'l2' && shape.dim <= PRUNE_MAX_DIM && shape.count >= PRUNE_MIN_VECTORS
  );
}

/**
 * Lays out an exact L2 index by clusters (k-means, √n lists) so a search can skip whole clusters
 * that cannot hold a neighbour: by the triangle inequality no vector of list l is nearer to q
 * than `max(0, ‖q − c_l‖ − radius_l)`. The panels' ids stay the vectors' sample positions.
 */
export function openPrunedFlat(
  vectors: Float32Array,
  shape: { dim: number; threads: number },
): { panels: Panels; pruning: Pruning } {
  const { dim, threads } = shape;
  const count = vectors.length / dim;
  const nlists = Math.round(Math.sqrt(count));
  const random = createRandom(SEED);
  const centroids = trainKMeans(
    vectors,
    { dim, k: nlists },
    { random, maxPointsPerCentroid: 32, iterations: 10 },
  );
  const { order, listSizes } = groupByList(nearestCentroids(vectors, centroids, dim), nlists);
  const grouped = new Float32Array(count * dim);
  const radii = new Float64Array(new SharedArrayBuffer(8 * nlists));
  let row = 0;
  for (let l = 0; l < nlists; l++)
    for (let i = 0; i < listSizes[l]!; i++, row++) {
      const from = order[row]! * dim;
      let d2 = 0;
      for (let j = 0; j < dim; j++) {
        const v = vectors[from + j]!;
        grouped[row * dim + j] = v;
        d2 += (v - centroids[l * dim + j]!) ** 2;
      }
      radii[l] = Math.max(radii[l]!, Math.sqrt(d2));
    }
  const panels = buildPanels({ similarity: 'l2', dim, rows: grouped, listSizes, threads });
  for (let p = 0; p < panels.ids.length; p++)
    if (panels.ids[p]! >= 0) panels.ids[p] = order[panels.ids[p]!]!;
  const shared = new Float32Array(new SharedArrayBuffer(centroids.byteLength));
  shared.set(centroids);
  return { panels, pruning: { centroids: shared, radii } };
}

/**
 * Exact k-NN over a pruned index, in two passes over batches of queries: first each query's
 * nearest cluster (which gives it k candidates and a k-th distance D), then every cluster whose
 * lower bound is at most D. Points in other clusters are farther than D, so the answer is exact.
 */
export function prunedSearch(
  scanner: PanelScanner,
  index: { panels: Panels; pruning: Pruning },
  query: { vectors: Float32Array; count: number; k: number },
): TopK {
  const { vectors, count, k } = query;
  const { panels, pruning } = index;
  const { lists, dim } = panels;
  const nlists = lists.length - 1;
  const prepared = scanner.prepare(vectors, count);
  const top = new TopK(count, k);
  const lower = new Float64Array(Math.min(count, QUERY_BATCH) * nlists);
  const scanGroups = (pairs: { queries: number[]; lists: number[] }): void => {
    const byList = groupPairs(pairs, nlists);
    for (let l = 0; l < nlists; l++) {
      const from = byList.starts[l]!;
      const n = byList.starts[l + 1]! - from;
      const which = byList.queries.subarray(from);
      if (n > 0) scanner.scan({ from: lists[l]!, to: lists[l + 1]! }, { prepared, which, n }, top);
    }
  };
  for (let q0 = 0; q0 < count; q0 += QUERY_BATCH) {
    const q1 = Math.min(count, q0 + QUERY_BATCH);
    const first = { queries: [] as number[], lists: [] as number[] };
    for (let q = q0; q < q1; q++) {
      let nearest = 0;
      let best = Infinity;
      for (let l = 0, at = (q - q0) * nlists; l < nlists; l++) {
        let d2 = 0;
        for (let j = 0; j < dim; j++)
          d2 += (vectors[q * dim + j]! - pruning.centroids[l * dim + j]!) ** 2;
        if (d2 < best) {
          best = d2;
          nearest = l;
        }
        const gap = Math.max(0, Math.sqrt(d2) - pruning.radii[l]!);
        lower[at + l] = gap * gap;
      }
      first.queries.push(q);
      first.lists.push(nearest);
    }
    scanGroups(first);
    const rest = { queries: [] as number[], lists: [] as number[] };
    for (let i = 0; i < first.queries.length; i++) {
      const q = first.queries[i]!;
      // Slack for float64 rounding: a list whose bound equals D may hold a tie with a lower id.
      const reach = top.worst(q) * (1 + 1e-9) + 1e-300;
      for (let l = 0, at = (q - q0) * nlists; l < nlists; l++)
        if (l !== first.lists[i] && lower[at + l]! <= reach) {
          rest.queries.push(q);
          rest.lists.push(l);
        }
    }
    scanGroups(rest);
  }
  return top;
}

/** (query, list) pairs grouped by list (CSR: `queries[starts[l]..starts[l+1])`). */
export function groupPairs(
  pairs: { queries: readonly number[]; lists: readonly number[] },
  nlists: number,
): { starts: Int32Array; queries: Int32Array } {
  const starts = new Int32Array(nlists + 1);
  for (const l of pairs.lists) starts[l + 1]!++;
  for (let l = 0; l < nlists; l++) starts[l + 1]! += starts[l]!;
  const next = starts.slice(0, nlists);
  const queries = new Int32Array(pairs.lists.length);
  pairs.lists.forEach((l, i) => (queries[next[l]!++] = pairs.queries[i]!));
  return { starts, queries };
}
