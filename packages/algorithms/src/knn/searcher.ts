import type { OpenIndex } from './open-index.js';
import { PanelScanner, type PreparedQueries } from './panel-scanner.js';
import { queryCodeProducts } from './pq-tables.js';
import { prunedSearch } from './pruned-flat.js';
import { TopK } from './top-k.js';

/**
 * Each query's k nearest stored vectors, best first: `ids[q·k + i]` is a stored position (-1 when
 * fewer than k were found) and `scores` the matching score, lower is better (squared L2
 * distance, or minus the inner product).
 */
export interface Neighbours {
  readonly count: number;
  readonly k: number;
  readonly scores: Float64Array;
  readonly ids: Int32Array;
}

/** Searches `count` row-major queries for their `k` nearest neighbours, in one thread. */
export type Search = (queries: Float32Array, count: number, k: number) => Neighbours;

/** The search function of an open index for thread `thread` (0 is the calling thread). */
export function createSearcher(index: OpenIndex, thread: number): Search {
  switch (index.type) {
    case 'faiss.Flat':
      return flatSearch(index, thread);
    case 'faiss.IVFFlat':
      return ivfFlatSearch(index, thread);
    case 'faiss.IVFPQ':
      return ivfPqSearch(index, thread);
  }
}

function flatSearch(index: Extract<OpenIndex, { type: 'faiss.Flat' }>, thread: number): Search {
  const { panels, pruning } = index;
  const scanner = new PanelScanner(panels, thread);
  return (queries, count, k) => {
    if (pruning)
      return finish(prunedSearch(scanner, { panels, pruning }, { vectors: queries, count, k }));
    const top = new TopK(count, k);
    const which = identity(count);
    const prepared = scanner.prepare(queries, count);
    scanner.scan({ from: 0, to: panels.lists[1]! }, { prepared, which, n: count }, top);
    return finish(top);
  };
}

/** Probes the `nprobe` lists nearest each query: the coarse quantizer's own exact search. */
function probeLists(coarse: PanelScanner, prepared: PreparedQueries, nprobe: number): TopK {
  const { count } = prepared;
  const top = new TopK(count, nprobe);
  coarse.scan({ from: 0, to: coarse.groups }, { prepared, which: identity(count), n: count }, top);
  top.sort();
  return top;
}

function ivfFlatSearch(
  index: Extract<OpenIndex, { type: 'faiss.IVFFlat' }>,
  thread: number,
): Search {
  const coarse = new PanelScanner(index.coarse, thread);
  const fine = new PanelScanner(index.fine, thread);
  const { lists } = index.fine;
  const nlists = lists.length - 1;
  return (queries, count, k) => {
    const probes = probeLists(coarse, coarse.prepare(queries, count), index.nprobe);
    const prepared = fine.prepare(queries, count);
    const top = new TopK(count, k);
    // Scan list by list, each with every query that probes it, so a list is read once per pass.
    // The first pass scans each query's nearest list alone: its k-th best there makes a tight
    // threshold for the other lists.
    for (const ranks of [
      { from: 0, to: 1 },
      { from: 1, to: probes.k },
    ]) {
      const byList = invert(probes, { nlists, ranks });
      for (let l = 0; l < nlists; l++) {
        const from = byList.starts[l]!;
        const n = byList.starts[l + 1]! - from;
        const which = byList.queries.subarray(from);
        if (n > 0) fine.scan({ from: lists[l]!, to: lists[l + 1]! }, { prepared, which, n }, top);
      }
    }
    // A query whose probed lists held fewer than k vectors goes on to the next nearest lists.
    for (let q = 0; q < count; q++)
      if (top.found(q) < k && index.nprobe < nlists)
        for (const l of remainingLists(coarse, { queries, q, probes })) {
          fine.scan(
            { from: lists[l]!, to: lists[l + 1]! },
            { prepared, which: Int32Array.of(q), n: 1 },
            top,
          );
          if (top.found(q) >= k) break;
        }
    return finish(top);
  };
}

function ivfPqSearch(index: Extract<OpenIndex, { type: 'faiss.IVFPQ' }>, thread: number): Search {
  const coarse = new PanelScanner(index.coarse, thread);
  const { starts, codes, terms, m, ksub } = index;
  const nlists = starts.length - 1;
  const products = new Float32Array(m * ksub);
  const table = new Float32Array(m * ksub);
  return (queries, count, k) => {
    const probes = probeLists(coarse, coarse.prepare(queries, count), index.nprobe);
    const top = new TopK(count, k);
    const scanList = (q: number, l: number, base: number): void => {
      const termsAt = l * m * ksub;
      for (let i = 0; i < m * ksub; i++) table[i] = terms[termsAt + i]! - 2 * products[i]!;
      for (let p = starts[l]!, end = starts[l + 1]!; p < end; p++) {
        let score = base;
        for (let j = 0, c = p * m; j < m; j++) score += table[j * ksub + codes[c + j]!]!;
        top.offer(q, score, p);
      }
    };
    for (let q = 0; q < count; q++) {
      queryCodeProducts({ vectors: queries, at: q * index.dim }, index, products);
      for (let i = 0; i < probes.k; i++) {
        const l = probes.ids[q * probes.k + i]!;
        if (l >= 0) scanList(q, l, probes.scores[q * probes.k + i]!);
      }
      if (top.found(q) < k && index.nprobe < nlists)
        for (const l of remainingLists(coarse, { queries, q, probes })) {
          scanList(q, l, coarse.score(queries, q, l));
          if (top.found(q) >= k) break;
        }
    }
    return finish(top);
  };
}

/** The lists query q did not probe, nearest first. */
function remainingLists(
  coarse: PanelScanner,
  at: { queries: Float32Array; q: number; probes: TopK },
): number[] {
  const { queries, q, probes } = at;
  const groups = coarse.groups;
  const nlists = coarse.count;
  const vector = queries.subarray(q * coarse.dim, (q + 1) * coarse.dim);
  const all = new TopK(1, nlists);
  coarse.scan(
    { from: 0, to: groups },
    { prepared: coarse.prepare(vector, 1), which: Int32Array.of(0), n: 1 },
    all,
  );
  all.sort();
  const probed = new Set(probes.ids.subarray(q * probes.k, (q + 1) * probes.k));
  return Array.from(all.ids).filter((l) => l >= 0 && !probed.has(l));
}

/** For each list, the queries that probe it at the given ranks (CSR: `queries[starts[l]..starts[l+1])`). */
function invert(
  probes: TopK,
  at: { nlists: number; ranks: { from: number; to: number } },
): { starts: Int32Array; queries: Int32Array } {
  const { nlists, ranks } = at;
  const starts = new Int32Array(nlists + 1);
  const each = (visit: (q: number, list: number) => void): void => {
    for (let q = 0; q < probes.queries; q++)
      for (let i = ranks.from; i < ranks.to; i++) {
        const l = probes.ids[q * probes.k + i]!;
        if (l >= 0) visit(q, l);
      }
  };
  each((_, l) => starts[l + 1]!++);
  for (let l = 0; l < nlists; l++) starts[l + 1]! += starts[l]!;
  const next = starts.slice(0, nlists);
  const queries = new Int32Array(starts[nlists]!);
  each((q, l) => (queries[next[l]!++] = q));
  return { starts, queries };
}

/** Sorts each query's neighbours, best first. */
function finish(top: TopK): Neighbours {
  top.sort();
  return { count: top.queries, k: top.k, scores: top.scores, ids: top.ids };
}

const identity = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
