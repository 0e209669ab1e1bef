import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../data/index.js';
import { type FitEvents, type PcaFit, fitPca } from './fit.js';
import { parseHyperparameters } from './hyperparameters.js';
import { batchesOf, dot2, knownCovariance, referencePca } from './test-data.js';

const quiet: FitEvents = { info: () => undefined, batch: () => undefined, pass: () => undefined };
const SDS = [6, 3, 2, 1, 0.5, 0.25];
const MEAN = [10, -4, 0, 2.5, 100, -7];

function hyperparameters(extra: Record<string, string> = {}) {
  return parseHyperparameters({
    feature_dim: String(SDS.length),
    num_components: '3',
    mini_batch_size: '256',
    ...extra,
  });
}

const component = (fit: PcaFit, i: number): Float64Array =>
  fit.components.subarray(i * fit.dim, (i + 1) * fit.dim);

describe('fitPca (regular mode)', () => {
  const data = knownCovariance({ count: 4000, sds: SDS, mean: MEAN }, 21);

  it('recovers the axes of a known covariance, up to sign, and their variances', async () => {
    const fit = await fitPca(batchesOf(data.rows, 256), hyperparameters(), {
      events: quiet,
      threads: 1,
    });
    expect(fit.count).toBe(3);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(dot2(component(fit, i), data.axes[i]!))).toBeGreaterThan(0.999);
      // Sample variance of 4000 draws: within about 3 standard errors (sqrt(2/n) ≈ 2.2%).
      expect(fit.eigenvalues[i]! / (fit.records - 1) / SDS[i]! ** 2).toBeCloseTo(1, 1);
    }
    MEAN.forEach((m, j) => expect(fit.mean[j]).toBeCloseTo(m, 0));
  });

  it('matches a reference PCA of the explicitly formed covariance (power iteration)', async () => {
    const fit = await fitPca(batchesOf(data.rows, 100), hyperparameters(), {
      events: quiet,
      threads: 1,
    });
    const reference = referencePca(data.rows, { count: 3, subtractMean: true });
    reference.values.forEach((value, i) => {
      expect(fit.eigenvalues[i]! / value).toBeCloseTo(1, 9);
      expect(Math.abs(dot2(component(fit, i), reference.vectors[i]!))).toBeCloseTo(1, 9);
    });
    reference.mean.forEach((m, j) => expect(fit.mean[j]).toBeCloseTo(m, 9));
    expect(fit.trace / reference.trace).toBeCloseTo(1, 10);
  });

  it('decomposes the raw second moments when subtract_mean is false', async () => {
    const hp = hyperparameters({ subtract_mean: 'false' });
    const fit = await fitPca(batchesOf(data.rows, 256), hp, { events: quiet, threads: 1 });
    const reference = referencePca(data.rows, { count: 3, subtractMean: false });
    reference.values.forEach((value, i) => {
      expect(fit.eigenvalues[i]! / value).toBeCloseTo(1, 9);
      expect(Math.abs(dot2(component(fit, i), reference.vectors[i]!))).toBeCloseTo(1, 9);
    });
    // The mean (100 on feature 4) dominates: the first component points at it.
    const mean = Float64Array.from(MEAN, (m) => m / Math.hypot(...MEAN));
    expect(Math.abs(dot2(component(fit, 0), mean))).toBeGreaterThan(0.99);
  });

  it('keeps the variance of data far from the origin (mean 1e5, sd 1)', async () => {
    const far = knownCovariance({ count: 2000, sds: [1, 0.5, 0.1], mean: [1e5, -1e5, 3e4] }, 4);
    const hp = parseHyperparameters({
      feature_dim: '3',
      num_components: '3',
      mini_batch_size: '64',
    });
    const fit = await fitPca(batchesOf(far.rows, 64), hp, { events: quiet, threads: 1 });
    const reference = referencePca(far.rows, { count: 3, subtractMean: true });
    reference.values.forEach((value, i) => expect(fit.eigenvalues[i]! / value).toBeCloseTo(1, 6));
  });

  it('orients every component so that its largest entry is positive', async () => {
    const fit = await fitPca(batchesOf(data.rows, 256), hyperparameters(), {
      events: quiet,
      threads: 1,
    });
    for (let i = 0; i < fit.count; i++) {
      const c = Array.from(component(fit, i));
      const largest = c.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
      expect(largest).toBeGreaterThan(0);
      expect(dot2(c, c)).toBeCloseTo(1, 12);
    }
  });

  it('gives the same model for the same data whatever the mini-batch size', async () => {
    const a = await fitPca(batchesOf(data.rows, 256), hyperparameters(), {
      events: quiet,
      threads: 1,
    });
    const b = await fitPca(batchesOf(data.rows, 256), hyperparameters(), {
      events: quiet,
      threads: 1,
    });
    expect(Array.from(b.components)).toEqual(Array.from(a.components));
    const c = await fitPca(batchesOf(data.rows, 7), hyperparameters(), {
      events: quiet,
      threads: 1,
    });
    a.components.forEach((v, i) => expect(c.components[i]).toBeCloseTo(v, 10));
  });

  it('reports every mini-batch and the pass', async () => {
    const batches: number[] = [];
    const passes: string[] = [];
    const events: FitEvents = {
      info: () => undefined,
      batch: ({ batches: b, records }) => batches.push(b * 10_000 + records),
      pass: ({ pass, passes: of }) => passes.push(`${pass}/${of}`),
    };
    await fitPca(batchesOf(data.rows.slice(0, 600), 256), hyperparameters(), {
      events,
      threads: 1,
    });
    expect(batches).toEqual([10_256, 20_512, 30_600]);
    expect(passes).toEqual(['1/1']);
  });

  it('fits fewer records than components, with zero variance beyond their rank', async () => {
    const fit = await fitPca(batchesOf(data.rows.slice(0, 2), 256), hyperparameters(), {
      events: quiet,
      threads: 1,
    });
    expect(fit.records).toBe(2);
    expect(fit.eigenvalues[0]).toBeGreaterThan(0);
    expect(fit.eigenvalues[1]).toBeCloseTo(0, 6);
    expect(fit.eigenvalues[2]).toBeCloseTo(0, 6);
  });

  it('fails clearly on a channel without records', async () => {
    const empty = fitPca(batchesOf([], 10), hyperparameters(), { events: quiet, threads: 1 });
    await expect(empty).rejects.toThrow(DataFormatError);
    await expect(empty).rejects.toThrow(
      'The train channel has no records; PCA needs at least one.',
    );
  });
});

describe('fitPca (randomized mode)', () => {
  it('matches regular mode on data with a clear spectrum (scatter matrix formed)', async () => {
    const data = knownCovariance(
      { count: 3000, sds: [9, 7, 5, 1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4] },
      9,
    );
    const base = { feature_dim: '10', num_components: '3', mini_batch_size: '500' };
    const regular = await fitPca(batchesOf(data.rows, 500), parseHyperparameters(base), {
      events: quiet,
      threads: 1,
    });
    const infos: string[] = [];
    const randomized = await fitPca(
      batchesOf(data.rows, 500),
      parseHyperparameters({ ...base, algorithm_mode: 'randomized', extra_components: '2' }),
      { events: { ...quiet, info: (m) => infos.push(m) }, threads: 1 },
    );
    expect(infos[0]).toContain('the scatter matrix is summed in one pass');
    expect(randomized.route.kind).toBe('matrix');
    for (let i = 0; i < 3; i++) {
      expect(randomized.eigenvalues[i]! / regular.eigenvalues[i]!).toBeCloseTo(1, 8);
      expect(dot2(component(randomized, i), component(regular, i))).toBeCloseTo(1, 6);
    }
  });

  describe('on wide data (passes over the records)', () => {
    // 120 features: 3 strong directions over weak noise; the sketch is 2 + 4 = 6 wide, so the
    // 120 x 120 matrix is not formed.
    const sds = Array.from({ length: 120 }, (_, i) => (i < 3 ? 10 - 2 * i : 0.3));
    const data = knownCovariance({ count: 1500, sds, mean: sds.map((_, i) => i) }, 13);
    const hp = parseHyperparameters({
      feature_dim: '120',
      num_components: '2',
      mini_batch_size: '200',
      algorithm_mode: 'randomized',
      extra_components: '4',
    });

    it('finds the top components of the exact decomposition', async () => {
      const passes: number[] = [];
      const events = { ...quiet, pass: ({ pass }: { pass: number }) => passes.push(pass) };
      const fit = await fitPca(batchesOf(data.rows, 200), hp, { events, threads: 1 });
      expect(fit.route.kind).toBe('streaming');
      expect(passes).toEqual([1, 2, 3, 4]);
      const reference = referencePca(data.rows, { count: 2, subtractMean: true });
      for (let i = 0; i < 2; i++) {
        expect(fit.eigenvalues[i]! / reference.values[i]!).toBeCloseTo(1, 4);
        expect(fit.eigenvalues[i]!).toBeLessThanOrEqual(reference.values[i]! * (1 + 1e-12));
        expect(Math.abs(dot2(component(fit, i), reference.vectors[i]!))).toBeGreaterThan(0.999);
      }
      expect(fit.trace / reference.trace).toBeCloseTo(1, 10);
    });

    it('reads the channel again when the records do not fit in memory, to the same model', async () => {
      const kept = await fitPca(batchesOf(data.rows, 200), hp, { events: quiet, threads: 1 });
      let reads = 0;
      const source = batchesOf(data.rows, 200);
      const counted = () => {
        reads++;
        return source();
      };
      const reread = await fitPca(counted, hp, { events: quiet, threads: 1, keepBytes: 0 });
      expect(reads).toBe(4);
      expect(Array.from(reread.components)).toEqual(Array.from(kept.components));
    });
  });
});
