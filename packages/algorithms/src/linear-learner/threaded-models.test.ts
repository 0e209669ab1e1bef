import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { PACKAGE, buildPrograms } from '../testing/contract-job.js';
import { parseHyperparameters } from './hyperparameters.js';
import type { PreparedBatch } from './linear-model.js';
import { planModels, trainingSettings } from './plans.js';

import type * as Groups from './model-group.js';

// Worker threads run compiled JavaScript, so this test drives the compiled package.
beforeAll(buildPrograms, 120_000);

function batch(rows: number, dim: number, seed: number): PreparedBatch {
  const random = createRandom(seed);
  const x = Float64Array.from({ length: rows * dim }, () => 2 * random() - 1);
  const labels = Float64Array.from({ length: rows }, (_, r) =>
    x[r * dim]! + random() > 0.5 ? 1 : 0,
  );
  return { x, labels, weights: new Float64Array(rows).fill(1), rows };
}

describe('threaded model groups', () => {
  it('train each model in worker threads exactly as one thread does', async () => {
    const url = pathToFileURL(join(PACKAGE, 'dist/linear-learner/model-group.js')).href;
    const { createModelGroup } = (await import(url)) as typeof Groups;
    const hp = parseHyperparameters({ predictor_type: 'binary_classifier', num_models: '7' });
    const dim = 5;
    const plans = planModels(hp, createRandom(1));
    const group = (threads: number) =>
      createModelGroup({
        settings: trainingSettings(hp, dim),
        plans,
        random: createRandom(2),
        threads,
        batchRows: 64,
      });
    const one = group(1);
    const three = group(3);
    expect(three.constructor.name).toBe('ThreadedModels'); // not silently the one-thread group
    try {
      const lossesOne = new Float64Array(plans.length);
      const lossesThree = new Float64Array(plans.length);
      for (let step = 0; step < 20; step++) {
        const data = batch(step % 2 ? 64 : 50, dim, step);
        one.step(data, lossesOne);
        three.step(data, lossesThree);
      }
      expect(Array.from(lossesThree)).toEqual(Array.from(lossesOne));
      const weights = (g: typeof one) => g.functions().map((fn) => [...fn.weights, ...fn.bias]);
      expect(weights(three)).toEqual(weights(one));
      expect(lossesOne.every((loss) => loss > 0 && Number.isFinite(loss))).toBe(true);
    } finally {
      await Promise.all([one.close(), three.close()]);
    }
  });
});
