import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableRows } from './src/markdown.js';

// A smoke-sized run of the benchmark so it keeps working; its timings mean nothing here.
describe('bench/inference-modes', () => {
  it('runs a transform job beside its anchor, times cold starts and survives a SIGKILL, printing each', () => {
    const script = resolve(import.meta.dirname, 'dist/inference-modes.js');
    const args = ['--rows', '2000', '--rounds', '1', '--warmups', '0', '--cold-starts', '1'];
    args.push('--warm-requests', '2', '--async-requests', '20');
    const result = spawnSync(process.execPath, [script, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);

    const transform = tableRows(result.stdout, '1. Batch transform');
    expect(transform.map((row) => row[0])).toEqual([
      'Plinth transform job, 2 instances',
      'anchor: same model code, one Node process',
    ]);
    for (const [, , , rowsPerSecond] of transform) expect(Number(rowsPerSecond)).toBeGreaterThan(0);
    expect(result.stdout).toMatch(
      /Outputs: 2000 lines from Plinth and 2000 from the anchor for 2000 input rows; (\d+) of \1 sampled predictions equal the anchor's; whole outputs byte-identical: yes\./,
    );
    expect(result.stdout).toMatch(/Plinth's rows\/s are \d+% of the anchor's/);

    const serverless = tableRows(result.stdout, '2. Serverless cold start');
    expect(serverless.map((row) => row.slice(0, 2))).toEqual([
      ['cold (no model server running)', '1'],
      ['warm (right after)', '2'],
    ]);
    expect(result.stdout).toMatch(/ModelSetupTime from Plinth's GET \/metrics .*: 1 observed/);

    const durability = new Map(
      tableRows(result.stdout, '3. Asynchronous inference').map(([k, v]) => [k, v]),
    );
    expect(durability.get('accepted (202)')).toBe('20');
    expect(durability.get('outputs present (expected OutputLocations)')).toBe('20');
    expect(durability.get('other objects under the output path')).toBe('0');
    expect(durability.get('outputs written twice')).toBe('0');
    expect(result.stdout).toMatch(/Every accepted request's output exactly once \(goal\): met/);
  }, 60_000);
});
