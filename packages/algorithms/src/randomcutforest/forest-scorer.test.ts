import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { PACKAGE, buildPrograms } from '../testing/contract-job.js';
import { buildForest } from './forest.js';
import { ReservoirSampler } from './reservoir.js';
import { scoreRows } from './score.js';
import { prepareScoring } from './scoring-forest.js';

import type * as Scorer from './forest-scorer.js';

// Worker threads run compiled JavaScript, so this test drives the compiled package.
beforeAll(buildPrograms, 120_000);

describe('ForestScorer', () => {
  it('scores on worker threads exactly as on one thread, in blocks and in chunks', async () => {
    const url = pathToFileURL(join(PACKAGE, 'dist/randomcutforest/forest-scorer.js')).href;
    const { ForestScorer, MIN_ROWS_PER_THREAD } = (await import(url)) as typeof Scorer;
    const random = createRandom(8);
    const dim = 5;
    const rows = 3 * MIN_ROWS_PER_THREAD + 17;
    const data = Float32Array.from({ length: rows * dim }, () => random());
    const sampler = new ReservoirSampler({ trees: 50, size: 64, dim, seed: 2 });
    sampler.add({ features: data, rows, dim });
    const forest = prepareScoring(buildForest(sampler.samples()));
    const alone = new Float64Array(rows);
    scoreRows(forest, data, alone);
    const scorer = new ForestScorer(forest, { threads: 3, chunkRows: 300 });
    try {
      // Workers that have not started are not used; wait for them.
      await scorer.started();
      expect(scorer.readyWorkers).toBe(2);
      const threaded = new Float64Array(rows);
      scorer.score(data, threaded);
      expect(threaded).toEqual(alone);
      const few = new Float64Array(10);
      scorer.score(data, few);
      expect(few).toEqual(alone.subarray(0, 10));
    } finally {
      await scorer.close();
    }
  });
});
