import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE, buildPrograms } from '../testing/contract-job.js';
import type * as Fit from './fit.js';
import { parseHyperparameters } from './hyperparameters.js';
import { batchesOf, knownCovariance } from './test-data.js';

// Worker threads run compiled JavaScript, so this test drives the compiled package.
beforeAll(buildPrograms, 120_000);

const quiet = { info: () => undefined, batch: () => undefined, pass: () => undefined };

async function compiledFit(): Promise<typeof Fit.fitPca> {
  const url = pathToFileURL(join(PACKAGE, 'dist/pca/fit.js')).href;
  return ((await import(url)) as typeof Fit).fitPca;
}

describe('PCA shards on worker threads', () => {
  it('give exactly the one-thread model, in regular and randomized mode', async () => {
    const fitPca = await compiledFit();
    const sds = Array.from({ length: 120 }, (_, i) => (i < 4 ? 8 - i : 0.5));
    const data = knownCovariance({ count: 1200, sds, mean: sds.map((_, i) => i % 7) }, 17);
    for (const mode of ['regular', 'randomized']) {
      const hp = parseHyperparameters({
        feature_dim: '120',
        num_components: '3',
        mini_batch_size: '50',
        algorithm_mode: mode,
        extra_components: '3',
      });
      const fits = [];
      for (const threads of [1, 2, 3])
        fits.push(await fitPca(batchesOf(data.rows, 50), hp, { events: quiet, threads }));
      expect(fits[0]!.route.kind).toBe(mode === 'regular' ? 'exact' : 'streaming');
      expect(fits.map((fit) => fit.threads)).toEqual([1, 2, 3]);
      for (const fit of fits.slice(1)) {
        expect(Array.from(fit.components)).toEqual(Array.from(fits[0]!.components));
        expect(Array.from(fit.eigenvalues)).toEqual(Array.from(fits[0]!.eigenvalues));
      }
    }
  });
});
