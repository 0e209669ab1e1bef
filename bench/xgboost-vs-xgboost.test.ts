import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// A smoke-sized run of the benchmark so it keeps working; its timings mean nothing here.
describe('bench/xgboost-vs-xgboost', () => {
  it('trains both sides on the same rows and scores both models with the xgboost library', () => {
    const script = resolve(import.meta.dirname, 'dist/xgboost-vs-xgboost.js');
    const args = ['--train-rows', '20000', '--test-rows', '5000', '--num-round', '10'];
    args.push('--rounds', '1', '--warmups', '0');
    const result = spawnSync(process.execPath, [script, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Threads: xgboost 2/);
    // Plinth's model/xgboost-model is xgboost's own JSON: the xgboost library must load it.
    expect(result.stdout).not.toMatch(/did not load in xgboost/);
    const rows = result.stdout.split('\n').filter((line) => /^\| (Plinth|xgboost)/.test(line));
    expect(rows).toHaveLength(2);
    const [plinth, anchor] = rows.map((row) => row.split('|').map((cell) => cell.trim()));
    // '', side, process s, fit s, AUC, AUC - anchor, accuracy, log loss, ratio
    for (const [, , seconds, , auc, , accuracy] of [plinth!, anchor!]) {
      expect(Number(seconds)).toBeGreaterThan(0);
      // Departure hour and month do tell late flights apart, somewhat.
      expect(Number(auc)).toBeGreaterThan(0.6);
      // About 80% of flights are not late.
      expect(Number(accuracy)).toBeGreaterThan(0.75);
    }
    // Same histogram algorithm, same hyperparameters: nearly the same trees.
    expect(Math.abs(Number(plinth![5]))).toBeLessThan(0.01);
  }, 60_000);
});
