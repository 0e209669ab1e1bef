import { describe, expect, it } from 'vitest';
import { ReservoirSampler, type TreeSamples } from './reservoir.js';

/** Records 0..n-1 as one-feature rows holding their own index, in batches of `batch`. */
function sample(options: { n: number; batch: number; trees: number; size: number }): TreeSamples {
  const { n, batch, trees, size } = options;
  const sampler = new ReservoirSampler({ trees, size, dim: 1, seed: 7 });
  for (let start = 0; start < n; start += batch) {
    const rows = Math.min(batch, n - start);
    const features = Float32Array.from({ length: rows }, (_, i) => start + i);
    sampler.add({ features, rows, dim: 1 });
  }
  return sampler.samples();
}

/** Tree t's sampled record indices. */
function treeRows(samples: TreeSamples, t: number): number[] {
  const from = t * samples.capacity;
  return Array.from(samples.points.subarray(from, from + samples.perTree));
}

describe('ReservoirSampler', () => {
  it('gives every tree distinct records, each record equally likely', () => {
    const n = 2000;
    const size = 50;
    const trees = 400;
    const samples = sample({ n, batch: 300, trees, size });
    expect(samples).toMatchObject({ seen: n, perTree: size, trees, capacity: size });
    const hits = new Float64Array(n);
    for (let t = 0; t < trees; t++) {
      const rows = treeRows(samples, t);
      expect(new Set(rows).size).toBe(size);
      for (const row of rows) hits[row]!++;
    }
    // Each record is in a tree's sample with probability size / n = 1/40: 10 of 400 trees
    // expected. Means over 10 blocks of 200 records (2000 draws each) are within 10% of that.
    for (let block = 0; block < 10; block++) {
      const mean = hits.subarray(block * 200, (block + 1) * 200).reduce((a, b) => a + b) / 200;
      expect(mean).toBeGreaterThan(9);
      expect(mean).toBeLessThan(11);
    }
    // The first records (the reservoir's initial fill) are no more likely than the last.
    const early = hits.subarray(0, 100).reduce((a, b) => a + b);
    const late = hits.subarray(n - 100).reduce((a, b) => a + b);
    expect(Math.abs(early - late)).toBeLessThan(150);
  });

  it('keeps every record when fewer arrive than the sample size', () => {
    const samples = sample({ n: 30, batch: 7, trees: 3, size: 50 });
    expect(samples.perTree).toBe(30);
    for (let t = 0; t < 3; t++)
      expect(treeRows(samples, t)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('samples the same records however the stream is cut into batches, and differs by tree', () => {
    const options = { n: 5000, trees: 5, size: 64 };
    const whole = sample({ ...options, batch: 5000 });
    const pieces = sample({ ...options, batch: 37 });
    expect(pieces.points).toEqual(whole.points);
    expect(treeRows(whole, 0)).not.toEqual(treeRows(whole, 1));
  });
});
