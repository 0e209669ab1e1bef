import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// A smoke-sized run of the benchmark so it keeps working; its figures mean nothing here.
describe('bench/job-overhead', () => {
  it('runs a job of each program to completion and prints its time to the first line', () => {
    const script = resolve(import.meta.dirname, 'dist/job-overhead.js');
    const result = spawnSync(process.execPath, [script, '--jobs', '1'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const rows = result.stdout
      .split('\n')
      .filter((line) => /^\| (Node script|built-in k-means)/.test(line));
    expect(rows).toHaveLength(4); // one row per program in each of the two tables
    for (const row of rows.slice(0, 2)) {
      const [, , direct, plinth] = row.split('|').map((cell) => cell.trim());
      expect(Number.parseFloat(direct!), row).toBeGreaterThan(0);
      expect(Number.parseFloat(plinth!), row).toBeGreaterThan(0);
    }
  }, 120_000);
});
