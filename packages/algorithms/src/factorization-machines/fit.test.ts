import { describe, expect, it } from 'vitest';
import { HyperparameterError } from '../common/errors.js';
import { createRandom } from '../common/random.js';
import { DataFormatError } from '../data/errors.js';
import type { SparseBatch } from '../data/sparse-batch.js';
import { type EpochSummary, fitFm } from './fit.js';
import { parseHyperparameters } from './hyperparameters.js';
import { FmMetrics } from './metrics.js';
import { scoreBatch } from './score.js';

/** Rows of two one-hot groups (a of `groups`, b of `groups`; columns a and groups + b). */
function pairs(options: { rows: number; groups: number; seed: number }): {
  a: Int32Array;
  b: Int32Array;
} {
  const random = createRandom(options.seed);
  const a = new Int32Array(options.rows);
  const b = new Int32Array(options.rows);
  for (let r = 0; r < options.rows; r++) {
    a[r] = Math.floor(random() * options.groups);
    b[r] = Math.floor(random() * options.groups);
  }
  return { a, b };
}

/** The pairs as CSR batches (value 1 at columns a and groups + b) with the given labels. */
function batches(
  data: { a: Int32Array; b: Int32Array; labels: Float32Array; groups: number },
  size: number,
): SparseBatch[] {
  const out: SparseBatch[] = [];
  for (let start = 0; start < data.a.length; start += size) {
    const rows = Math.min(size, data.a.length - start);
    const offsets = Int32Array.from({ length: rows + 1 }, (_, r) => 2 * r);
    const indices = new Int32Array(2 * rows);
    for (let r = 0; r < rows; r++) {
      indices[2 * r] = data.a[start + r]!;
      indices[2 * r + 1] = data.groups + data.b[start + r]!;
    }
    out.push({
      rows,
      dim: 2 * data.groups,
      offsets,
      indices,
      values: new Float32Array(2 * rows).fill(1),
      labels: data.labels.slice(start, start + rows),
    });
  }
  return out;
}

async function train(
  values: Record<string, string>,
  data: SparseBatch[],
): Promise<{ weights: Awaited<ReturnType<typeof fitFm>>; epochs: EpochSummary[] }> {
  const hp = parseHyperparameters(values);
  const epochs: EpochSummary[] = [];
  const weights = await fitFm(
    {
      hp,
      train: async function* () {
        yield* data;
      },
      random: createRandom(5),
      threads: 1,
    },
    (summary) => epochs.push(summary),
  );
  return { weights, epochs };
}

function evaluate(
  weights: Awaited<ReturnType<typeof fitFm>>,
  data: { batches: SparseBatch[]; type: 'binary_classifier' | 'regressor' },
): Record<string, number> {
  const metrics = new FmMetrics(data.type);
  for (const batch of data.batches)
    metrics.add(scoreBatch(weights, batch), batch.labels!, batch.rows);
  return Object.fromEntries(metrics.report('test').map((m) => [m.name, m.value]));
}

describe('fitFm', () => {
  it('recovers a planted factorization machine: test RMSE near the noise level', async () => {
    const groups = 30;
    const k = 3;
    const noise = 0.1;
    const random = createRandom(11);
    const gauss = (): number =>
      Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const w = Float64Array.from({ length: 2 * groups }, () => 0.5 * gauss());
    const v = Float64Array.from({ length: 2 * groups * k }, () => gauss());
    const planted = (a: number, b: number): number => {
      let dot = 0;
      for (let f = 0; f < k; f++) dot += v[a * k + f]! * v[(groups + b) * k + f]!;
      return 1 + w[a]! + w[groups + b]! + dot;
    };
    const make = (rows: number, seed: number, noisy: boolean) => {
      const { a, b } = pairs({ rows, groups, seed });
      const labels = Float32Array.from({ length: rows }, (_, r) => {
        return planted(a[r]!, b[r]!) + (noisy ? noise * gauss() : 0);
      });
      return batches({ a, b, labels, groups }, 100);
    };
    const { weights, epochs } = await train(
      {
        feature_dim: String(2 * groups),
        num_factors: String(k),
        predictor_type: 'regressor',
        epochs: '40',
        mini_batch_size: '100',
        bias_lr: '0.05',
        linear_lr: '0.02',
        factors_lr: '0.02',
        factors_init_sigma: '0.1',
        bias_wd: '0',
        linear_wd: '0',
        factors_wd: '0',
      },
      make(8000, 1, true),
    );
    // Noise-free test labels: what remains is the model's own error, well under the noise.
    const test = make(2000, 2, false);
    const rmse = evaluate(weights, { batches: test, type: 'regressor' })['test rmse']!;
    expect(rmse).toBeLessThan(noise);
    // Predicting the mean would be off by the labels' spread, ten times more.
    const labels = test.flatMap((batch) => Array.from(batch.labels!));
    const mean = labels.reduce((sum, y) => sum + y, 0) / labels.length;
    const spread = Math.sqrt(labels.reduce((sum, y) => sum + (y - mean) ** 2, 0) / labels.length);
    expect(spread).toBeGreaterThan(10 * rmse);
    // The last epoch's training RMSE (noisy labels) ends near the noise level.
    expect(epochs.at(-1)!.metrics.report('train')[0]!.value).toBeLessThan(1.5 * noise);
  });

  it('learns an XOR of two categorical features that a linear model cannot', async () => {
    const groups = 10;
    const make = (rows: number, seed: number) => {
      const { a, b } = pairs({ rows, groups, seed });
      const labels = Float32Array.from({ length: rows }, (_, r) => (a[r]! % 2) ^ (b[r]! % 2));
      return batches({ a, b, labels, groups }, 50);
    };
    const values = {
      feature_dim: String(2 * groups),
      num_factors: '4',
      predictor_type: 'binary_classifier',
      epochs: '30',
      mini_batch_size: '50',
      linear_lr: '0.02',
      factors_lr: '0.05',
      factors_init_sigma: '0.1',
    };
    const test = make(1000, 4);
    const fm = await train(values, make(4000, 3));
    const fmTest = evaluate(fm.weights, { batches: test, type: 'binary_classifier' });
    expect(fmTest['test binary_classification_accuracy']).toBeGreaterThan(0.98);
    expect(fmTest['test binary_f_1.000']).toBeGreaterThan(0.98);
    expect(fmTest['test binary_classification_cross_entropy']).toBeLessThan(0.1);
    // Frozen zero factors leave a linear model, which cannot beat a coin on XOR.
    const linear = await train(
      { ...values, factors_lr: '0', factors_init_method: 'constant', factors_init_value: '0' },
      make(4000, 3),
    );
    const linearTest = evaluate(linear.weights, { batches: test, type: 'binary_classifier' });
    expect(linearTest['test binary_classification_accuracy']).toBeLessThan(0.6);
    expect(linear.weights.factors.every((f) => f === 0)).toBe(true);
  });

  it('gives the same model for the same data and hyperparameters', async () => {
    const { a, b } = pairs({ rows: 300, groups: 5, seed: 9 });
    const labels = Float32Array.from({ length: 300 }, (_, r) => (a[r]! + b[r]!) % 2);
    const data = batches({ a, b, labels, groups: 5 }, 40);
    const values = { feature_dim: '10', num_factors: '2', predictor_type: 'binary_classifier' };
    const first = await train(values, data);
    const second = await train(values, data);
    expect(Array.from(second.weights.factors)).toEqual(Array.from(first.weights.factors));
    expect(Array.from(second.weights.linear)).toEqual(Array.from(first.weights.linear));
  });

  it('says how much memory feature_dim × num_factors needs when it cannot be had', async () => {
    const values = { feature_dim: '2147483647', num_factors: '1000', predictor_type: 'regressor' };
    await expect(train(values, [])).rejects.toThrow(
      new HyperparameterError(
        "feature_dim=2147483647 × num_factors=1000 needs about 32032.0 GiB for the weights and Adam's moments, more than this host could allocate",
      ).message,
    );
  });

  it('rejects a label a binary classifier cannot take, naming the record', async () => {
    const { a, b } = pairs({ rows: 10, groups: 2, seed: 1 });
    const labels = new Float32Array(10);
    labels[7] = 2;
    const data = batches({ a, b, labels, groups: 2 }, 4);
    await expect(
      train({ feature_dim: '4', num_factors: '2', predictor_type: 'binary_classifier' }, data),
    ).rejects.toThrow(
      new DataFormatError(
        "The 'train' channel's record 8 has the label 2; predictor_type=binary_classifier needs labels 0 or 1.",
      ),
    );
  });
});
