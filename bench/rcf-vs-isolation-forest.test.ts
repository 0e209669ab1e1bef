import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableRows } from './src/markdown.js';

// A smoke-sized run of the benchmark so it keeps working; its timings mean nothing here.
describe('bench/rcf-vs-isolation-forest', () => {
  it('trains both detectors on the sensor readings and scores both alike against the labels', () => {
    const script = resolve(import.meta.dirname, 'dist/rcf-vs-isolation-forest.js');
    const args = ['--trees', '50', '--rounds', '1', '--warmups', '0'];
    const result = spawnSync(process.execPath, [script, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Threads: scikit-learn 2/);
    const training = tableRows(result.stdout, '1. Training');
    expect(training.map((r) => r[0])).toEqual([
      'Plinth randomcutforest-train',
      'scikit-learn IsolationForest',
    ]);
    // side, process s, fit s, F1, precision / recall, flagged, best F1, ROC AUC, ratio
    for (const [, seconds, , f1, , flagged, bestF1, auc] of training) {
      expect(Number(seconds)).toBeGreaterThan(0);
      // The heated readings stand out: both detectors rank them far above chance...
      expect(Number(auc)).toBeGreaterThan(0.8);
      // ...and some threshold catches a fair share of them; mean + 3 sd flags a few hundred.
      expect(Number(bestF1)).toBeGreaterThan(0.3);
      expect(Number(f1)).toBeLessThanOrEqual(Number(bestF1));
      expect(Number(flagged)).toBeGreaterThan(0);
    }
    const scoring = tableRows(result.stdout, '2. Scoring');
    expect(scoring).toHaveLength(2);
    for (const [, seconds, perSecond] of scoring) {
      expect(Number(seconds)).toBeGreaterThan(0);
      expect(Number(perSecond)).toBeGreaterThan(1000);
    }
  }, 60_000);
});
