import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableRows } from './src/markdown.js';

// A smoke-sized run of the benchmark so it keeps working; its timings mean nothing here.
describe('bench/knn-vs-sklearn', () => {
  it('builds every index, answers the same queries and scores every side against brute force', () => {
    const script = resolve(import.meta.dirname, 'dist/knn-vs-sklearn.js');
    const args = ['--reference-rows', '20000', '--query-rows', '500', '--batch', '200'];
    args.push('--rounds', '1', '--warmups', '0');
    const result = spawnSync(process.execPath, [script, ...args], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Threads: scikit-learn 2/);
    // side, index, build s, fit s, query s, queries/s, recall@10, total s, total vs brute
    const exact = tableRows(result.stdout, '1. Exact search');
    expect(exact.map((r) => r[1])).toEqual(['faiss.Flat', 'brute', expect.stringMatching(/^auto/)]);
    for (const [, , build, , query, perSecond, recall] of exact) {
      expect(Number(build)).toBeGreaterThan(0);
      expect(Number(query)).toBeGreaterThan(0);
      expect(Number(perSecond)).toBeGreaterThan(0);
      // Exact searches find the true neighbours (or others at the same distance).
      expect(Number(recall)).toBeGreaterThan(0.999);
    }
    // side, index, build s, endpoint start s, query s, queries/s, recall@10, queries/s vs Flat
    const approximate = tableRows(result.stdout, '2. Approximate search');
    expect(approximate.map((r) => r[1])).toEqual([
      'faiss.Flat',
      'faiss.IVFFlat',
      'faiss.IVFPQ',
      'brute',
    ]);
    for (const [, , , , , perSecond, recall] of approximate) {
      expect(Number(perSecond)).toBeGreaterThan(0);
      // Approximate indexes miss some neighbours, but most are real ones.
      expect(Number(recall)).toBeGreaterThan(0.5);
      expect(Number(recall)).toBeLessThanOrEqual(1);
    }
  }, 120_000);
});
