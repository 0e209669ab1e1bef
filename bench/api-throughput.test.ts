import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// A smoke-sized run of the benchmark so it keeps working; its figures mean nothing here.
describe('bench/api-throughput', () => {
  it('runs both sides and prints a row for each with no failed requests', () => {
    const script = resolve(import.meta.dirname, 'dist/api-throughput.js');
    const args = [
      '--seconds',
      '1',
      '--rounds',
      '1',
      '--connections',
      '4',
      '--models',
      '3',
      '--starts',
      '1',
    ];
    const result = spawnSync(process.execPath, [script, ...args], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const rows = result.stdout.split('\n').filter((line) => /^\| (bare|Plinth)/.test(line));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const [, , rps, , , failed] = row.split('|').map((cell) => cell.trim());
      expect(Number(rps), row).toBeGreaterThan(0);
      expect(Number(failed), row).toBe(0);
    }
    expect(result.stdout).toMatch(/Start to ready \(median of 1\): fresh data dir \d+ ms/);
  }, 120_000);
});
