import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import type { SparseBatch } from '../data/sparse-batch.js';
import { PACKAGE, buildPrograms } from '../testing/contract-job.js';
import type * as Fit from './fit.js';
import { parseHyperparameters } from './hyperparameters.js';

// Worker threads run compiled JavaScript, so this test drives the compiled package.
beforeAll(buildPrograms, 120_000);

/** Random sparse rows over `dim` features, some repeating a feature within a batch. */
function data(options: {
  batches: number;
  rows: number;
  dim: number;
  most: number;
}): SparseBatch[] {
  const random = createRandom(17);
  return Array.from({ length: options.batches }, () => {
    const offsets = [0];
    const indices: number[] = [];
    const values: number[] = [];
    const labels: number[] = [];
    for (let r = 0; r < options.rows; r++) {
      const n = 1 + Math.floor(random() * options.most);
      for (let j = 0; j < n; j++) {
        indices.push(Math.floor(random() * options.dim));
        values.push(random() * 2 - 1);
      }
      offsets.push(indices.length);
      labels.push(random() < 0.4 ? 1 : 0);
    }
    return {
      rows: options.rows,
      dim: options.dim,
      offsets: Int32Array.from(offsets),
      indices: Int32Array.from(indices),
      values: Float32Array.from(values),
      labels: Float32Array.from(labels),
    };
  });
}

describe('threaded training steps', () => {
  it('train exactly the model one thread trains, whatever the thread count', async () => {
    const url = pathToFileURL(join(PACKAGE, 'dist/factorization-machines/fit.js')).href;
    const { fitFm } = (await import(url)) as typeof Fit;
    const hp = parseHyperparameters({
      feature_dim: '300',
      num_factors: '5',
      predictor_type: 'binary_classifier',
      epochs: '3',
      mini_batch_size: '64',
      factors_lr: '0.01',
      clip_gradient: '0.002',
    });
    // The last batches have more entries than the shared batch's first arrays hold (8 a row).
    const batches = [
      ...data({ batches: 10, rows: 64, dim: 300, most: 6 }),
      ...data({ batches: 2, rows: 64, dim: 300, most: 40 }),
    ];
    const fit = (threads: number) =>
      fitFm(
        {
          hp,
          train: async function* () {
            yield* batches;
          },
          random: createRandom(8),
          threads,
        },
        () => undefined,
      );
    const one = await fit(1);
    for (const threads of [2, 3]) {
      const many = await fit(threads);
      expect(Array.from(many.factors)).toEqual(Array.from(one.factors));
      expect(Array.from(many.linear)).toEqual(Array.from(one.linear));
      expect(many.bias[0]).toBe(one.bias[0]);
    }
    // Training moved the weights away from their initial draw.
    const initial = await fitFm(
      {
        hp: { ...hp, epochs: 0 },
        train: async function* () {},
        random: createRandom(8),
        threads: 1,
      },
      () => undefined,
    );
    expect(Array.from(one.factors)).not.toEqual(Array.from(initial.factors));
  });
});
