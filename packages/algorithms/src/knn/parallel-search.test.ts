import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../common/random.js';
import { PACKAGE, buildPrograms } from '../testing/contract-job.js';
import { buildIndex } from './build-index.js';
import { openIndex } from './open-index.js';
import { createSearcher } from './searcher.js';

import type * as Parallel from './parallel-search.js';

// Worker threads run compiled JavaScript, so this test drives the compiled package.
beforeAll(buildPrograms, 120_000);

describe('ParallelSearch', () => {
  it.each(['faiss.Flat', 'faiss.IVFFlat', 'faiss.IVFPQ'] as const)(
    'answers a large %s batch in two threads exactly as one thread does',
    async (type) => {
      const url = pathToFileURL(join(PACKAGE, 'dist/knn/parallel-search.js')).href;
      const { ParallelSearch } = (await import(url)) as typeof Parallel;
      const random = createRandom(1);
      const dim = 8;
      const points = Float32Array.from({ length: 3000 * dim }, () => random());
      const queries = Float32Array.from({ length: 501 * dim }, () => random());
      const { index } = buildIndex(points, {
        type,
        similarity: 'l2',
        probe: 'l2',
        dim,
        nlists: 20,
        nprobe: 5,
        m: 4,
        random: createRandom(2),
      });
      const open = openIndex(index, 2);
      const parallel = new ParallelSearch(open, 2);
      try {
        const two = await parallel.search(queries, 501, 10);
        const one = createSearcher(openIndex(index, 1), 0)(queries, 501, 10);
        expect(two.ids).toEqual(one.ids);
        expect(two.scores).toEqual(one.scores);
      } finally {
        await parallel.close();
      }
    },
  );
});
