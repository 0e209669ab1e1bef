import { describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { buildIndex } from './build-index.js';
import { openIndex } from './open-index.js';
import type { Similarity } from './panels.js';
import { createSearcher } from './searcher.js';
import type { IndexType } from './stored-index.js';

/** Points around `clusters` random centers (spread 5), unit noise; float32, row-major. */
function clustered(
  count: number,
  shape: { dim: number; clusters: number; seed: number },
): Float32Array {
  const { dim, clusters, seed } = shape;
  const random = createRandom(seed);
  const gauss = (): number =>
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centers = Array.from({ length: clusters * dim }, () => 5 * gauss());
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    const c = Math.floor(random() * clusters);
    for (let j = 0; j < dim; j++) out[i * dim + j] = centers[c * dim + j]! + gauss();
  }
  return out;
}

/** The reference: every distance in float64, sorted by (score, index). */
function bruteForce(
  points: Float32Array,
  queries: Float32Array,
  at: { dim: number; k: number; similarity: Similarity },
): { ids: number[][]; scores: number[][] } {
  const { dim, k, similarity } = at;
  const n = points.length / dim;
  const ids: number[][] = [];
  const scores: number[][] = [];
  for (let q = 0; q < queries.length / dim; q++) {
    const all = Array.from({ length: n }, (_, i) => {
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const a = queries[q * dim + j]!;
        const b = points[i * dim + j]!;
        s += similarity === 'l2' ? (a - b) * (a - b) : -a * b;
      }
      return { i, s };
    }).sort((a, b) => a.s - b.s || a.i - b.i);
    ids.push(all.slice(0, k).map((e) => e.i));
    scores.push(all.slice(0, k).map((e) => e.s));
  }
  return { ids, scores };
}

function search(
  points: Float32Array,
  queries: Float32Array,
  spec: {
    type: IndexType;
    similarity: Similarity;
    dim: number;
    k: number;
    nlists?: number;
    nprobe?: number;
    m?: number;
  },
): { ids: number[][]; scores: number[][] } {
  const { index, order } = buildIndex(points, {
    type: spec.type,
    similarity: spec.similarity,
    probe: spec.similarity,
    dim: spec.dim,
    nlists: spec.nlists ?? 16,
    nprobe: spec.nprobe ?? 4,
    m: spec.m ?? 4,
    random: createRandom(7),
  });
  const found = createSearcher(openIndex(index, 1), 0)(queries, queries.length / spec.dim, spec.k);
  const ids: number[][] = [];
  const scores: number[][] = [];
  for (let q = 0; q < found.count; q++) {
    const row = Array.from(found.ids.subarray(q * spec.k, (q + 1) * spec.k));
    ids.push(row.map((p) => (p < 0 ? -1 : order[p]!)));
    scores.push(Array.from(found.scores.subarray(q * spec.k, (q + 1) * spec.k)));
  }
  return { ids, scores };
}

function recall(found: number[][], exact: number[][]): number {
  let hits = 0;
  found.forEach((row, q) => (hits += row.filter((id) => exact[q]!.includes(id)).length));
  return hits / (exact.length * exact[0]!.length);
}

describe('faiss.Flat search', () => {
  it.each(['l2', 'ip'] as const)('finds exactly the brute-force neighbours by %s', (similarity) => {
    const dim = 13;
    const points = clustered(3000, { dim, clusters: 8, seed: 1 });
    const queries = clustered(101, { dim, clusters: 8, seed: 2 });
    const exact = bruteForce(points, queries, { dim, k: 10, similarity });
    const found = search(points, queries, { type: 'faiss.Flat', similarity, dim, k: 10 });
    expect(found.ids).toEqual(exact.ids);
    found.scores.forEach((row, q) =>
      row.forEach((s, i) => expect(s).toBeCloseTo(exact.scores[q]![i]!, 9)),
    );
  });

  it('breaks ties between equal distances by the lower index, like the reference', () => {
    // Every point is one of four values, so most distances tie.
    const dim = 3;
    const points = Float32Array.from({ length: 400 * dim }, (_, i) => Math.floor(i / dim) % 4);
    const queries = Float32Array.from([0.5, 0.5, 0.5, 2, 2, 2, 3, 3, 3]);
    const exact = bruteForce(points, queries, { dim, k: 7, similarity: 'l2' });
    expect(
      search(points, queries, { type: 'faiss.Flat', similarity: 'l2', dim, k: 7 }).ids,
    ).toEqual(exact.ids);
  });

  it('stays exact far from the origin, where float32 rounding is largest', () => {
    const dim = 8;
    const points = clustered(2000, { dim, clusters: 4, seed: 3 }).map((v) => v + 1000);
    const queries = clustered(40, { dim, clusters: 4, seed: 4 }).map((v) => v + 1000);
    const exact = bruteForce(points, queries, { dim, k: 5, similarity: 'l2' });
    expect(
      search(points, queries, { type: 'faiss.Flat', similarity: 'l2', dim, k: 5 }).ids,
    ).toEqual(exact.ids);
  });
});

describe('IVF indexes', () => {
  const dim = 16;
  const points = clustered(8000, { dim, clusters: 20, seed: 5 });
  const queries = clustered(200, { dim, clusters: 20, seed: 6 });
  const exact = bruteForce(points, queries, { dim, k: 10, similarity: 'l2' });

  it('faiss.IVFFlat finds at least 90% of the exact 10 nearest with 8 of 64 lists probed', () => {
    const found = search(points, queries, {
      type: 'faiss.IVFFlat',
      similarity: 'l2',
      dim,
      k: 10,
      nlists: 64,
      nprobe: 8,
    });
    expect(recall(found.ids, exact.ids)).toBeGreaterThan(0.9);
    // Distances of vectors it found are exact.
    expect(found.scores[0]![0]).toBeCloseTo(exact.scores[0]![0]!, 9);
  });

  it('faiss.IVFFlat probing every list is exact', () => {
    const found = search(points, queries, {
      type: 'faiss.IVFFlat',
      similarity: 'l2',
      dim,
      k: 10,
      nlists: 32,
      nprobe: 32,
    });
    expect(recall(found.ids, exact.ids)).toBe(1);
  });

  it('faiss.IVFPQ finds at least 60% of the exact 10 nearest with 8-bit codes (m=8)', () => {
    const found = search(points, queries, {
      type: 'faiss.IVFPQ',
      similarity: 'l2',
      dim,
      k: 10,
      nlists: 64,
      nprobe: 8,
      m: 8,
    });
    expect(recall(found.ids, exact.ids)).toBeGreaterThan(0.6);
    expect(found.ids.flat()).not.toContain(-1);
  });

  it('gives k neighbours even when the probed lists hold fewer', () => {
    const few = points.subarray(0, 200 * dim);
    const found = search(few, queries.subarray(0, 5 * dim), {
      type: 'faiss.IVFFlat',
      similarity: 'l2',
      dim,
      k: 50,
      nlists: 50,
      nprobe: 1,
    });
    for (const row of found.ids) expect(new Set(row).size).toBe(50);
  });
});

describe('faiss.Flat search pruned by clusters (L2, few dimensions, many vectors)', () => {
  it.each([
    ['clustered', 6],
    ['uniform', 12],
  ])('finds exactly the brute-force neighbours on %s data in %i dimensions', (kind, dim) => {
    const random = createRandom(11);
    const points =
      kind === 'clustered'
        ? clustered(6000, { dim, clusters: 30, seed: 12 })
        : Float32Array.from({ length: 6000 * dim }, () => Math.round(random() * 8) / 8);
    const queries =
      kind === 'clustered'
        ? clustered(60, { dim, clusters: 30, seed: 13 })
        : Float32Array.from({ length: 60 * dim }, () => Math.round(random() * 8) / 8);
    const exact = bruteForce(points, queries, { dim, k: 10, similarity: 'l2' });
    const found = search(points, queries, { type: 'faiss.Flat', similarity: 'l2', dim, k: 10 });
    expect(found.ids).toEqual(exact.ids);
  });
});
