import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableRows } from './src/markdown.js';

// A smoke-sized run of the benchmark so it keeps working; its timings mean nothing here.
describe('bench/pca-vs-sklearn', () => {
  it('fits both sides in both modes on the same rows and scores their components alike', () => {
    const script = resolve(import.meta.dirname, 'dist/pca-vs-sklearn.js');
    const args = ['--rows', '20000', '--components', '5', '--rounds', '1', '--warmups', '0'];
    const result = spawnSync(process.execPath, [script, ...args], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Threads: scikit-learn 2/);
    const regular = tableRows(result.stdout, '1. Plinth algorithm_mode=regular');
    const randomized = tableRows(result.stdout, '2. Plinth algorithm_mode=randomized');
    for (const rows of [regular, randomized]) {
      expect(rows.map((r) => r[0])).toEqual([
        expect.stringMatching(/^Plinth pca-train/),
        expect.stringMatching(/^scikit-learn PCA/),
      ]);
      // side, process s, fit s, explained variance, vs anchor, first component, components, ratio
      for (const [, seconds, , explained, , first, components] of rows) {
        expect(Number(seconds)).toBeGreaterThan(0);
        // 5 of 40 standardized columns, 2 of them near-constant: a fair share, never all.
        expect(Number(explained)).toBeGreaterThan(0.1);
        expect(Number(explained)).toBeLessThan(0.9);
        expect(Number(first)).toBeLessThan(Number(explained));
        expect(components).toBe('5');
      }
    }
    // Exact solvers find the same subspace; randomized ones come close to it.
    expect(Number(regular[0]![4])).toBeGreaterThan(0.999);
    expect(Number(regular[0]![4])).toBeLessThan(1.001);
    expect(Number(randomized[0]![4])).toBeGreaterThan(0.95);
  }, 90_000);
});
