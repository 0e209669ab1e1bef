import { describe, expect, it } from 'vitest';
import type { FeatureBatch } from '../data/index.js';
import { type FitEvents, fitKMeans, scoreKMeans } from './fit.js';
import { parseHyperparameters } from './hyperparameters.js';
import type { Centers } from './kernels.js';
import { createRandom } from '../common/random.js';

const TRUE_CENTERS = [
  [0, 0, 0],
  [20, 0, 0],
  [0, 20, 0],
  [0, 0, 20],
  [20, 20, 20],
];
const DIM = 3;

/** Well-separated Gaussian blobs (sd 1), shuffled, as row-major float32. */
function blobs(perCenter: number): { points: Float32Array; rows: number } {
  const random = createRandom(42);
  const gaussian = (): number =>
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const rows = perCenter * TRUE_CENTERS.length;
  const order = Array.from({ length: rows }, (_, i) => i).sort(() => random() - 0.5);
  const points = new Float32Array(rows * DIM);
  order.forEach((slot, i) => {
    const center = TRUE_CENTERS[i % TRUE_CENTERS.length]!;
    for (let j = 0; j < DIM; j++) points[slot * DIM + j] = center[j]! + gaussian();
  });
  return { points, rows };
}

function source(data: { points: Float32Array; rows: number }, batchSize: number) {
  return async function* (): AsyncGenerator<FeatureBatch> {
    for (let start = 0; start < data.rows; start += batchSize) {
      const rows = Math.min(batchSize, data.rows - start);
      yield { features: data.points.subarray(start * DIM, (start + rows) * DIM), rows, dim: DIM };
    }
  };
}

const quiet: FitEvents = { info: () => undefined, epoch: () => undefined };

function centerRows(centers: Centers): number[][] {
  return Array.from({ length: centers.count }, (_, c) =>
    Array.from(centers.values.subarray(c * DIM, (c + 1) * DIM)),
  );
}

describe('fitKMeans', () => {
  const data = blobs(400);
  const hp = parseHyperparameters({
    k: '5',
    feature_dim: '3',
    mini_batch_size: '250',
    epochs: '2',
  });

  it('finds the centers of well-separated blobs', async () => {
    const fitted = await fitKMeans(source(data, 250), hp, quiet);
    expect(fitted.centers.count).toBe(5);
    expect(fitted.streamingCenters).toBe(50); // k x auto factor 10
    const found = centerRows(fitted.centers);
    for (const truth of TRUE_CENTERS) {
      const nearest = Math.min(...found.map((c) => Math.hypot(...c.map((v, j) => v - truth[j]!))));
      expect(nearest).toBeLessThan(0.3);
    }
  });

  it('has far lower inertia than k random records taken as centers', async () => {
    const fitted = await fitKMeans(source(data, 250), hp, quiet);
    const fittedScore = await scoreKMeans(source(data, 250)(), fitted.centers);
    // The first k records (the data is shuffled): what random initialization alone would give.
    const random: Centers = {
      values: Float64Array.from(data.points.subarray(0, 5 * DIM)),
      count: 5,
      dim: DIM,
    };
    const randomScore = await scoreKMeans(source(data, 250)(), random);
    expect(fittedScore.records).toBe(2000);
    // Each coordinate has variance 1, so the true clustering's msd is about 3.
    expect(fittedScore.ssd / fittedScore.records).toBeLessThan(3.3);
    expect(fittedScore.ssd).toBeLessThan(randomScore.ssd / 2);
  });

  it('is deterministic for the same data and hyperparameters', async () => {
    const a = await fitKMeans(source(data, 250), hp, quiet);
    const b = await fitKMeans(source(data, 250), hp, quiet);
    expect(Array.from(a.centers.values)).toEqual(Array.from(b.centers.values));
  });

  it('reports every epoch and works with kmeans++ init and decay', async () => {
    const epochs: number[] = [];
    const events: FitEvents = { info: () => undefined, epoch: (e) => epochs.push(e.epoch) };
    const other = parseHyperparameters({
      k: '5',
      feature_dim: '3',
      mini_batch_size: '100',
      epochs: '3',
      init_method: 'kmeans++',
      half_life_time_size: '500',
      extra_center_factor: '2',
    });
    const fitted = await fitKMeans(source(data, 100), other, events);
    expect(epochs).toEqual([1, 2, 3]);
    const score = await scoreKMeans(source(data, 100)(), fitted.centers);
    expect(score.ssd / score.records).toBeLessThan(3.3);
  });

  it('fails clearly when there are fewer records than k', async () => {
    const tiny = parseHyperparameters({ k: '10', feature_dim: '3' });
    const few = { points: data.points.subarray(0, 4 * DIM), rows: 4 };
    await expect(fitKMeans(source(few, 2), tiny, quiet)).rejects.toThrow(
      'The train channel has 4 records, fewer than k=10',
    );
  });
});
