import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileObjectStore } from '../../artifacts/file/file-object-store.js';
import { packageModel, packageOutput, readFailureReason } from './package-model.js';

let dir: string;
let root: string;
let store: FileObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plinth-pkg-'));
  root = join(dir, 'algo-1');
  store = new FileObjectStore(join(dir, 'store'));
  await store.createBucket('out');
  await mkdir(join(root, 'model', 'sub'), { recursive: true });
  await mkdir(join(root, 'output', 'data'), { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Downloads an object and lists the tarball's entries with the system tar. */
async function tarEntries(key: string): Promise<string[]> {
  const file = join(dir, 'download.tar.gz');
  const content = await store.getObject('out', key);
  await pipeline(content.body, createWriteStream(file));
  return execFileSync('tar', ['-tzf', file], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .sort();
}

describe('packageModel', () => {
  it('uploads model/ as model.tar.gz with entries relative to model/', async () => {
    await writeFile(join(root, 'model', 'weights.json'), '{"w":[1,2]}');
    await writeFile(join(root, 'model', 'sub', 'extra.bin'), Buffer.alloc(100_000, 7));
    const uri = await packageModel({ root, store, outputUri: 's3://out/job/output/model.tar.gz' });
    expect(uri).toBe('s3://out/job/output/model.tar.gz');
    expect(await tarEntries('job/output/model.tar.gz')).toEqual([
      './',
      './sub/',
      './sub/extra.bin',
      './weights.json',
    ]);
    const extracted = join(dir, 'extracted');
    await mkdir(extracted);
    execFileSync('tar', ['-xzf', join(dir, 'download.tar.gz'), '-C', extracted]);
    expect(await readFile(join(extracted, 'weights.json'), 'utf8')).toBe('{"w":[1,2]}');
  });

  it('adds model.tar.gz to a folder URI', async () => {
    const uri = await packageModel({ root, store, outputUri: 's3://out/job/output/' });
    expect(uri).toBe('s3://out/job/output/model.tar.gz');
    expect(await tarEntries('job/output/model.tar.gz')).toEqual(['./', './sub/']);
  });

  it('stores nothing and says why when tar or the upload fails', async () => {
    await rm(join(root, 'model'), { recursive: true });
    await expect(
      packageModel({ root, store, outputUri: 's3://out/job/model.tar.gz' }),
    ).rejects.toThrow(/Could not upload model.tar.gz to s3:\/\/out\/job\/model.tar.gz: tar of/);
    expect((await store.listObjects('out')).objects).toEqual([]);
    await mkdir(join(root, 'model'));
    await expect(
      packageModel({ root, store, outputUri: 's3://missing-bucket/model.tar.gz' }),
    ).rejects.toThrow(/missing-bucket/);
  });
});

describe('packageOutput', () => {
  it('uploads output/data/ only when the program wrote something there', async () => {
    const outputUri = 's3://out/job/output/output.tar.gz';
    expect(await packageOutput({ root, store, outputUri })).toBeUndefined();
    expect((await store.listObjects('out')).objects).toEqual([]);
    await writeFile(join(root, 'output', 'data', 'report.txt'), 'ok');
    expect(await packageOutput({ root, store, outputUri })).toBe(outputUri);
    expect(await tarEntries('job/output/output.tar.gz')).toEqual(['./', './report.txt']);
  });
});

describe('readFailureReason', () => {
  it('reads output/failure trimmed and cut to 1024 characters', async () => {
    expect(await readFailureReason(root)).toBeUndefined();
    await writeFile(join(root, 'output', 'failure'), '  \n');
    expect(await readFailureReason(root)).toBeUndefined();
    await writeFile(join(root, 'output', 'failure'), '\nValueError: bad label\n');
    expect(await readFailureReason(root)).toBe('ValueError: bad label');
    await writeFile(join(root, 'output', 'failure'), 'x'.repeat(5000));
    expect(await readFailureReason(root)).toBe('x'.repeat(1024));
  });
});
