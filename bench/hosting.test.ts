import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableRows } from './src/markdown.js';

// A smoke-sized run of the benchmark so it keeps working; its figures mean nothing here.
describe('bench/hosting', () => {
  it('measures the three sides, both instance counts and both disruptions, printing each', () => {
    const script = resolve(import.meta.dirname, 'dist/hosting.js');
    const args = ['--seconds', '1', '--rounds', '1', '--connections', '4'];
    args.push('--warmup-seconds', '0', '--availability-seconds', '3', '--large-rows', '200');
    const result = spawnSync(process.execPath, [script, ...args], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, result.stderr).toBe(0);

    const sides = tableRows(result.stdout, '1. InvokeEndpoint throughput');
    expect(sides.map((row) => row[0])).toEqual([
      'bare Fastify, same model code in-process',
      'model server directly',
      'Plinth InvokeEndpoint',
    ]);
    for (const [, rps, , , failed] of sides) {
      expect(Number(rps)).toBeGreaterThan(0);
      expect(Number(failed)).toBe(0);
    }
    expect(result.stdout).toMatch(/Plinth's requests\/s are \d+% of the bare server's/);
    expect(result.stdout).toMatch(/OverheadLatency p99 from Plinth's|no OverheadLatency/);

    const scaling = tableRows(result.stdout, '2. Scaling');
    expect(scaling.map((row) => row[0])).toEqual([
      'model server directly (1 process)',
      'Plinth, 1 instance',
      'Plinth, 2 instances',
    ]);
    for (const [, rps] of scaling) expect(Number(rps)).toBeGreaterThan(0);

    const events = tableRows(result.stdout, '3. Availability');
    expect(events).toHaveLength(2);
    for (const [, requests, failed] of events) {
      expect(Number(requests)).toBeGreaterThan(0);
      expect(Number.isInteger(Number(failed))).toBe(true);
    }
    expect(events[1]![3]).toMatch(/^killed pid \d+ \(1 of 2\)/);
  }, 120_000);
});
