import { describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { DataFormatError } from '../data/index.js';
import { Reservoir } from './reservoir.js';

/** `rows` records whose single feature and label are their index. */
function batch(from: number, rows: number) {
  const values = Float32Array.from({ length: rows }, (_, i) => from + i);
  return { features: values, labels: values.slice(), rows, dim: 1 };
}

describe('Reservoir', () => {
  it('keeps every record, in order, when there are fewer than the sample size', () => {
    const r = new Reservoir(5000, 1, createRandom(1));
    r.add(batch(0, 1500), 'train');
    r.add(batch(1500, 1500), 'train');
    const s = r.sample();
    expect(s.count).toBe(3000);
    expect(Array.from(s.labels)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });

  it('samples uniformly: each tenth of the stream fills about a tenth of the sample', () => {
    const counts = new Array<number>(10).fill(0);
    for (let seed = 0; seed < 20; seed++) {
      const r = new Reservoir(100, 1, createRandom(seed));
      for (let b = 0; b < 10; b++) r.add(batch(b * 1000, 1000), 'train');
      const s = r.sample();
      expect(s.count).toBe(100);
      expect(s.seen).toBe(10000);
      expect(new Set(s.labels).size).toBe(100);
      for (let i = 0; i < s.count; i++) {
        expect(s.vectors[i]).toBe(s.labels[i]);
        counts[Math.floor(s.labels[i]! / 1000)]!++;
      }
    }
    // 2000 draws, 200 expected per tenth; binomial sd ≈ 13.
    for (const c of counts) expect(Math.abs(c - 200)).toBeLessThan(60);
  });

  it('gives the same sample for the same seed', () => {
    const run = () => {
      const r = new Reservoir(10, 1, createRandom(3));
      r.add(batch(0, 500), 'train');
      return Array.from(r.sample().labels);
    };
    expect(run()).toEqual(run());
  });

  it('rejects records without labels or with labels that are not finite', () => {
    const r = new Reservoir(10, 1, createRandom(3));
    expect(() => r.add({ features: new Float32Array(2), rows: 2, dim: 1 }, 'train')).toThrow(
      "The 'train' channel's records carry no labels; k-NN needs one per record.",
    );
    const bad = batch(0, 3);
    bad.labels[2] = NaN;
    expect(() => r.add(bad, 'train')).toThrow(DataFormatError);
    expect(() => r.add(bad, 'train')).toThrow('has label NaN; labels must be finite numbers.');
  });
});
