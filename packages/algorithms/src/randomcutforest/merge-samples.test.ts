import { describe, expect, it } from 'vitest';
import { decodeSamples, encodeSamples, mergeSamples } from './merge-samples.js';
import { ReservoirSampler, type TreeSamples } from './reservoir.js';

/** A shard of one-feature records holding their own index, from `first` on. */
function shard(options: { first: number; count: number; seed: number }): TreeSamples {
  const sampler = new ReservoirSampler({ trees: 200, size: 40, dim: 1, seed: options.seed });
  const features = Float32Array.from({ length: options.count }, (_, i) => options.first + i);
  sampler.add({ features, rows: options.count, dim: 1 });
  return sampler.samples();
}

describe('mergeSamples', () => {
  it("draws from each host's shard in proportion to its records", () => {
    // Host 1 saw 3000 records, host 2 saw 1000: a quarter of each tree comes from host 2.
    const merged = mergeSamples([
      shard({ first: 0, count: 3000, seed: 1 }),
      shard({ first: 3000, count: 1000, seed: 2 }),
    ]);
    expect(merged).toMatchObject({ seen: 4000, perTree: 40, trees: 200, capacity: 40 });
    let fromSecond = 0;
    for (let t = 0; t < 200; t++) {
      const rows = Array.from(merged.points.subarray(t * 40, t * 40 + 40));
      expect(new Set(rows).size).toBe(40);
      fromSecond += rows.filter((r) => r >= 3000).length;
    }
    // 8000 draws, expected 2000 from host 2 (hypergeometric sd ~ 39).
    expect(fromSecond).toBeGreaterThan(1850);
    expect(fromSecond).toBeLessThan(2150);
  });

  it('takes every record when the hosts saw fewer than the sample size together', () => {
    const merged = mergeSamples([
      shard({ first: 0, count: 10, seed: 1 }),
      shard({ first: 10, count: 15, seed: 2 }),
    ]);
    expect(merged.perTree).toBe(25);
    const rows = Array.from(merged.points.subarray(0, 25)).sort((a, b) => a - b);
    expect(rows).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('sends samples between hosts bit for bit', () => {
    const samples = shard({ first: 0, count: 500, seed: 4 });
    expect(decodeSamples(encodeSamples(samples))).toEqual(samples);
  });
});
