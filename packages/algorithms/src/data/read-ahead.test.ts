import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE, buildPrograms } from '../testing/contract-job.js';
import type { FeatureBatch } from './batch.js';
import { readDataset } from './dataset.js';
import type * as ReadAhead from './read-ahead.js';

// The reader's worker runs compiled JavaScript, so this test drives the compiled package.
beforeAll(buildPrograms, 120_000);

async function compiled(): Promise<typeof ReadAhead> {
  return (await import(
    pathToFileURL(join(PACKAGE, 'dist/data/read-ahead.js')).href
  )) as typeof ReadAhead;
}

async function file(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'plinth-read-ahead-')), 'train.csv');
  await writeFile(path, text);
  return path;
}

async function rows(batches: AsyncIterable<FeatureBatch>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const b of batches) out.push([...b.features, ...(b.labels ?? [])]);
  return out;
}

describe('readDatasetAhead', () => {
  it('yields the batches readDataset yields, in order', async () => {
    const { readDatasetAhead } = await compiled();
    const lines = Array.from({ length: 1000 }, (_, i) => `${i % 2},${i},${i / 4}\n`).join('');
    const options = { path: await file(lines), batchSize: 64 };
    const ahead = await rows(readDatasetAhead(options));
    expect(ahead).toEqual(await rows(readDataset(options)));
    expect(ahead).toHaveLength(Math.ceil(1000 / 64));
  });

  it('fails with the data error and message the reader gives, not an internal error', async () => {
    const { readDatasetAhead } = await compiled();
    const path = await file('1,2,3\n'.repeat(500) + '1,x,3\n');
    const failure = await rows(readDatasetAhead({ path, batchSize: 10 })).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'DataFormatError', code: 'DataFormatError' });
    expect((failure as Error).message).toBe(
      `${path}, line 501, column 2: 'x' is not a number. CSV for built-in algorithms must be all numbers, with no header row and the label in the first column.`,
    );
  });
});
