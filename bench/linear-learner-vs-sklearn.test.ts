import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// A smoke-sized run of the benchmark so it keeps working; its timings mean nothing here.
describe('bench/linear-learner-vs-sklearn', () => {
  it('trains both sides on the same rows and scores both models on held-out rows', () => {
    const script = resolve(import.meta.dirname, 'dist/linear-learner-vs-sklearn.js');
    const args = [
      '--train-rows',
      '20000',
      '--test-rows',
      '5000',
      '--rounds',
      '1',
      '--warmups',
      '0',
    ];
    const result = spawnSync(process.execPath, [script, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const rows = result.stdout.split('\n').filter((line) => /^\| (Plinth|scikit)/.test(line));
    expect(rows).toHaveLength(2);
    const [plinth, anchor] = rows.map((row) => row.split('|').map((cell) => cell.trim()));
    for (const [, , seconds, , accuracy, auc] of [plinth!, anchor!]) {
      expect(Number(seconds)).toBeGreaterThan(0);
      // About 80% of flights are not late; a model must do at least about that well.
      expect(Number(accuracy)).toBeGreaterThan(0.75);
      // Departure hour and weekday do tell late flights apart, a little.
      expect(Number(auc)).toBeGreaterThan(0.55);
    }
    expect(Math.abs(Number(plinth![5]) - Number(anchor![5]))).toBeLessThan(0.05);
    expect(result.stdout).toMatch(/Threads: scikit-learn 2/);
  }, 60_000);
});
