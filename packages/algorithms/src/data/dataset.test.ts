import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { FeatureBatch } from './batch.js';
import { listChannelFiles } from './channel-files.js';
import { readDataset, type ReadDatasetOptions } from './dataset.js';
import { parseInferenceRows } from './inference.js';
import { encodeDenseRecords, encodeSparseRecord } from './record-encode.js';
import { writeRecordIO } from './recordio.js';

async function channel(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-channel-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

async function readAll(
  options: ReadDatasetOptions,
): Promise<{ features: number[]; labels?: number[]; dims: number[] }> {
  const batches: FeatureBatch[] = [];
  for await (const batch of readDataset(options)) batches.push(batch);
  const labels = batches.every((b) => b.labels)
    ? batches.flatMap((b) => Array.from(b.labels!))
    : undefined;
  return {
    features: batches.flatMap((b) => Array.from(b.features)),
    dims: batches.map((b) => b.dim),
    ...(labels && { labels }),
  };
}

describe('listChannelFiles', () => {
  it('lists files in sub-folders in a stable code-unit order', async () => {
    const dir = await channel({ 'b.csv': '', 'a/z.csv': '', 'B.csv': '', 'a/y/x.csv': '' });
    const files = await listChannelFiles(dir);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'B.csv',
      'a/y/x.csv',
      'a/z.csv',
      'b.csv',
    ]);
  });
});

describe('readDataset', () => {
  it('reads every CSV file of a channel, gunzipping compressed ones', async () => {
    const dir = await channel({
      'part-0.csv': '1,1,2\n',
      'part-1.csv.gz': gzipSync('0,3,4\n'),
      'part-2.csv': gzipSync('1,5,6\n'), // gzip without the suffix
    });
    expect(await readAll({ path: dir, contentType: 'text/csv' })).toEqual({
      features: [1, 2, 3, 4, 5, 6],
      labels: [1, 0, 1],
      dims: [2, 2, 2],
    });
  });

  it('honours label_size=0 and rejects a file with a different width', async () => {
    const dir = await channel({ 'a.csv': '1,2\n', 'b.csv': '3,4,5\n' });
    await expect(readAll({ path: dir, contentType: 'text/csv; label_size=0' })).rejects.toThrow(
      `${join(dir, 'b.csv')}, line 1: expected 2 columns (2 features, no label) but found 3.`,
    );
    expect(
      await readAll({ files: [join(dir, 'a.csv')], contentType: 'text/csv;label_size=0' }),
    ).toEqual({
      features: [1, 2],
      dims: [2],
    });
  });

  it('reads RecordIO-protobuf files, dense and sparse, with labels', async () => {
    const dir = await channel({
      'a.rec': encodeDenseRecords([[1, 2, 3]], [7]),
      'b.rec.gz': gzipSync(
        writeRecordIO([encodeSparseRecord({ keys: [2], values: [9], dim: 3 }, 8)]),
      ),
    });
    expect(
      await readAll({ path: dir, contentType: 'application/x-recordio-protobuf', batchSize: 1 }),
    ).toEqual({
      features: [1, 2, 3, 0, 0, 9],
      labels: [7, 8],
      dims: [3, 3],
    });
  });

  it('requires labels on RecordIO records when the algorithm needs them', async () => {
    const dir = await channel({ 'a.rec': encodeDenseRecords([[1, 2]]) });
    await expect(
      readAll({ path: dir, contentType: 'application/x-recordio-protobuf', labelSize: 1 }),
    ).rejects.toThrow(`${join(dir, 'a.rec')}: record 1: has no label`);
  });

  it('names the corrupt gzip file and the unsupported content type', async () => {
    const good = gzipSync('1,2\n'.repeat(1000));
    const dir = await channel({ 'a.csv.gz': good.subarray(0, 40) });
    await expect(readAll({ path: dir })).rejects.toThrow(
      `${join(dir, 'a.csv.gz')}: the file looks gzip-compressed`,
    );
    await expect(readAll({ path: dir, contentType: 'application/parquet' })).rejects.toThrow(
      "Content type 'application/parquet' is not supported by this algorithm.",
    );
  });

  it('rejects an empty channel directory', async () => {
    const dir = await channel({});
    await expect(readAll({ path: dir })).rejects.toThrow('contains no files');
  });
});

describe('parseInferenceRows', () => {
  it('reads each supported request content type', async () => {
    const expected = [
      [1, 2],
      [3, 4],
    ];
    const asRows = async (body: Buffer | string, type: string): Promise<number[][]> =>
      (await parseInferenceRows(Buffer.from(body), type)).map((r) => Array.from(r));
    expect(await asRows('1,2\n3,4\n', 'text/csv')).toEqual(expected);
    expect(await asRows('{"features":[1,2]}\n{"features":[3,4]}', 'application/jsonlines')).toEqual(
      expected,
    );
    expect(
      await asRows('{"instances":[{"features":[1,2]},{"features":[3,4]}]}', 'application/json'),
    ).toEqual(expected);
    expect(await asRows(encodeDenseRecords(expected), 'application/x-recordio-protobuf')).toEqual(
      expected,
    );
    await expect(asRows('x', 'text/plain')).rejects.toThrow(
      'application/json, application/jsonlines',
    );
  });
});
