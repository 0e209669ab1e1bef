import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// A smoke-sized run of the benchmark so it keeps working; its timings mean nothing here.
describe('bench/kmeans-vs-sklearn', () => {
  it('trains both sides on the same rows and scores both models alike', () => {
    const script = resolve(import.meta.dirname, 'dist/kmeans-vs-sklearn.js');
    const args = ['--rows', '20000', '--k', '5', '--rounds', '1', '--warmups', '0'];
    const result = spawnSync(process.execPath, [script, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const rows = result.stdout.split('\n').filter((line) => /^\| (Plinth|scikit)/.test(line));
    expect(rows).toHaveLength(2);
    const cells = rows.map((row) => row.split('|').map((cell) => cell.trim()));
    for (const [, , seconds, , inertia] of cells) {
      expect(Number(seconds)).toBeGreaterThan(0);
      expect(Number.isFinite(Number(inertia)) && Number(inertia) > 0).toBe(true);
    }
    // Both sides cluster the same 20,000 standardized rows into 5: within a wide factor.
    expect(Number(cells[0]![5])).toBeGreaterThan(0.9);
    expect(Number(cells[0]![5])).toBeLessThan(1.5);
    expect(result.stdout).toMatch(/Threads: scikit-learn 2/);
  }, 60_000);
});
