import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileObjectStore } from '../../artifacts/file/file-object-store.js';
import { unpackTarGzObject } from '../archive/unpack-object.js';
import { InstalledPrograms } from '../local/builtin-programs.js';
import { LocalExecutor } from '../local/local-executor.js';
import { startModelInstance } from './model-instance.js';

const executor = new LocalExecutor({ baseEnv: { PATH: process.env.PATH, HOME: tmpdir() } });
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plinth-serving-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A k-means model.tar.gz with two centers, in an object store, as training leaves it. */
async function storedKMeansModel(): Promise<{ store: FileObjectStore; uri: string }> {
  const modelDir = join(dir, 'trained');
  await mkdir(modelDir);
  const model = {
    format: 'plinth-kmeans',
    version: 1,
    k: 2,
    feature_dim: 2,
    centers: [
      [0, 0],
      [10, 10],
    ],
  };
  await writeFile(join(modelDir, 'model.json'), JSON.stringify(model));
  const tarball = join(dir, 'model.tar.gz');
  expect(spawnSync('tar', ['-czf', tarball, '-C', modelDir, '.']).status).toBe(0);
  const store = new FileObjectStore(join(dir, 'store'));
  await store.createBucket('models');
  await store.putObject({
    bucket: 'models',
    key: 'km/model.tar.gz',
    body: Readable.from([await readFile(tarball)]),
  });
  return { store, uri: 's3://models/km/model.tar.gz' };
}

describe('startModelInstance', () => {
  it('serves a built-in model from its model.tar.gz on the inference contract', async () => {
    const { store, uri } = await storedKMeansModel();
    const root = join(dir, 'instance-1');
    await unpackTarGzObject(store, { uri, dir: join(root, 'model'), what: 'the model' });
    const program = new InstalledPrograms().server('kmeans');
    const instance = await startModelInstance(executor, {
      name: 'ep/AllTraffic/1',
      ...program,
      root,
      env: {},
      logFile: join(dir, 'instance-1.log'),
    });
    try {
      const response = await fetch(`${instance.url}/invocations`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv', Accept: 'application/json' },
        body: '0.5,0.5\n9,9\n',
      });
      expect(response.status).toBe(200);
      const { predictions } = (await response.json()) as {
        predictions: { closest_cluster: number }[];
      };
      expect(predictions.map((p) => p.closest_cluster)).toEqual([0, 1]);
    } finally {
      await instance.process.stop(5_000);
    }
    expect((await instance.process.exited).code).not.toBeNull();
  });

  it('says so when the server exits before it answers /ping, or never answers', async () => {
    const spec = { root: dir, env: {}, logFile: join(dir, 'bad.log'), command: process.execPath };
    await expect(
      startModelInstance(executor, { ...spec, name: 'ep/v/1', args: ['-e', 'process.exit(3)'] }),
    ).rejects.toThrow('The model server ep/v/1 exited (code 3) before it answered GET /ping');
    const silent = ['-e', 'setInterval(() => {}, 1000)'];
    await expect(
      startModelInstance(executor, {
        ...spec,
        name: 'ep/v/2',
        args: silent,
        startupTimeoutMs: 500,
      }),
    ).rejects.toThrow('did not answer GET /ping with 200 within 1 s');
  });

  it('names the model it could not unpack', async () => {
    const store = new FileObjectStore(join(dir, 'store'));
    await store.createBucket('models');
    await expect(
      unpackTarGzObject(store, {
        uri: 's3://models/missing.tar.gz',
        dir: join(dir, 'm'),
        what: 'the model',
      }),
    ).rejects.toThrow(/^Could not unpack the model s3:\/\/models\/missing.tar.gz: /);
  });
});
