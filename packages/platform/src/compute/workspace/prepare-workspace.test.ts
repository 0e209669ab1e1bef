import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileObjectStore } from '../../artifacts/file/file-object-store.js';
import type { ChannelSpec, WorkspaceSpec } from '../workspace.js';
import { shuffle } from './channel-data.js';
import { prepareWorkspace } from './prepare-workspace.js';

let dir: string;
let store: FileObjectStore;
let root: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plinth-ws-'));
  store = new FileObjectStore(join(dir, 'store'));
  root = join(dir, 'job', 'algo-1');
  await store.createBucket('bkt');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(key: string, text: string): Promise<void> {
  await store.putObject({ bucket: 'bkt', key, body: Readable.from([Buffer.from(text)]) });
}

function channel(name: string, extra: Partial<ChannelSpec> = {}): ChannelSpec {
  return {
    name,
    s3Uri: `s3://bkt/data/${name}`,
    s3DataType: 'S3Prefix',
    distribution: 'FullyReplicated',
    ...extra,
  };
}

function spec(extra: Partial<WorkspaceSpec> = {}): WorkspaceSpec {
  return {
    jobName: 'job',
    root,
    hosts: ['algo-1'],
    currentHost: 'algo-1',
    hyperParameters: {
      epochs: '10',
      lr: '0.1',
      name: '"x"',
      plain: 'abc',
      sagemaker_region: '"r"',
    },
    channels: [channel('train', { contentType: 'text/csv' })],
    instanceType: 'ml.m5.large',
    cpus: 2,
    environment: { MY_VAR: 'mine', SM_MODEL_DIR: '/not/allowed' },
    ...extra,
  };
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(join(root, path), 'utf8'));
}

async function files(path: string): Promise<string[]> {
  const entries = await readdir(join(root, path), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(join(root, path).length + 1))
    .sort();
}

describe('prepareWorkspace', () => {
  it('writes the three config files as SageMaker does', async () => {
    await put('data/train/a.csv', '1,2\n');
    const compressed = channel('train', { contentType: 'text/csv', compressionType: 'Gzip' });
    await prepareWorkspace(spec({ channels: [compressed] }), store);
    expect(await readJson('input/config/hyperparameters.json')).toEqual(spec().hyperParameters);
    expect(await readJson('input/config/inputdataconfig.json')).toEqual({
      train: {
        ContentType: 'text/csv',
        TrainingInputMode: 'File',
        S3DistributionType: 'FullyReplicated',
        RecordWrapperType: 'None',
        CompressionType: 'Gzip',
      },
    });
    expect(await readJson('input/config/resourceconfig.json')).toEqual({
      current_host: 'algo-1',
      current_group_name: 'homogeneousCluster',
      current_instance_type: 'ml.m5.large',
      hosts: ['algo-1'],
      instance_groups: [
        {
          instance_group_name: 'homogeneousCluster',
          instance_type: 'ml.m5.large',
          hosts: ['algo-1'],
        },
      ],
      network_interface_name: 'eth0',
    });
    for (const empty of ['model', 'output/data', 'output/intermediate', 'checkpoints']) {
      expect(await readdir(join(root, empty))).toEqual([]);
    }
  });

  it('downloads every object under a prefix, keeping key paths below it', async () => {
    await put('data/train/a.csv', 'a');
    await put('data/train/sub/deeper/b.csv', 'b');
    await put('data/train/folder/', '');
    await put('data/trainless/x.csv', 'not mine');
    const ws = spec({ channels: [channel('train', { s3Uri: 's3://bkt/data/train/' })] });
    await prepareWorkspace(ws, store);
    expect(await files('input/data/train')).toEqual(['a.csv', 'sub/deeper/b.csv']);
    expect(await readFile(join(root, 'input/data/train/sub/deeper/b.csv'), 'utf8')).toBe('b');
  });

  it('downloads a single object named by the URI under its own name', async () => {
    await put('data/one/file.csv', 'only');
    const ws = spec({ channels: [channel('train', { s3Uri: 's3://bkt/data/one/file.csv' })] });
    await prepareWorkspace(ws, store);
    expect(await files('input/data/train')).toEqual(['file.csv']);
  });

  it('downloads the objects a manifest lists', async () => {
    await put('m/p/k1.csv', 'one');
    await put('m/p/dir/k2.csv', 'two');
    await put('m/p/unlisted.csv', 'no');
    await put(
      'manifest.json',
      JSON.stringify([{ prefix: 's3://bkt/m/p/' }, 'k1.csv', 'dir/k2.csv']),
    );
    const manifest = channel('train', {
      s3Uri: 's3://bkt/manifest.json',
      s3DataType: 'ManifestFile',
    });
    await prepareWorkspace(spec({ channels: [manifest] }), store);
    expect(await files('input/data/train')).toEqual(['dir/k2.csv', 'k1.csv']);
  });

  it('gives each host every N-th object in key order when sharded by key', async () => {
    for (const n of [0, 1, 2, 3, 4]) await put(`data/train/part-${n}`, String(n));
    const sharded = channel('train', { distribution: 'ShardedByS3Key' });
    const hosts = ['algo-1', 'algo-2'];
    const first = spec({ hosts, channels: [sharded] });
    await prepareWorkspace(first, store);
    expect(await files('input/data/train')).toEqual(['part-0', 'part-2', 'part-4']);
    root = join(dir, 'job', 'algo-2');
    await prepareWorkspace({ ...first, root, currentHost: 'algo-2' }, store);
    expect(await files('input/data/train')).toEqual(['part-1', 'part-3']);
  });

  it('shuffles the objects with ShuffleConfig.Seed before sharding, the same way on every host', async () => {
    for (let i = 0; i < 8; i++) await put(`data/train/part-${i}`, String(i));
    const hosts = ['algo-1', 'algo-2'];
    const shuffled = channel('train', { distribution: 'ShardedByS3Key', shuffleSeed: 7 });
    const first = spec({ hosts, channels: [shuffled] });
    await prepareWorkspace(first, store);
    const mine = await files('input/data/train');
    root = join(dir, 'job', 'algo-2');
    await prepareWorkspace({ ...first, root, currentHost: 'algo-2' }, store);
    const theirs = await files('input/data/train');
    // Together the hosts get every object once, but not the every-other split key order gives.
    expect([...mine, ...theirs].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `part-${i}`));
    expect(mine).not.toEqual(['part-0', 'part-2', 'part-4', 'part-6']);
    expect(shuffle([1, 2, 3, 4, 5, 6, 7, 8], 7)).toEqual(shuffle([1, 2, 3, 4, 5, 6, 7, 8], 7));
    expect(shuffle([1, 2, 3, 4, 5, 6, 7, 8], 7)).not.toEqual(shuffle([1, 2, 3, 4, 5, 6, 7, 8], 8));
  });

  it('fails with a FailureReason when a channel has no objects or no bucket', async () => {
    await expect(prepareWorkspace(spec(), store)).rejects.toThrow(
      "No objects found under s3://bkt/data/train for channel 'train'.",
    );
    const missing = channel('train', { s3Uri: 's3://nobucket/x' });
    await expect(prepareWorkspace(spec({ channels: [missing] }), store)).rejects.toThrow(
      /Could not read s3:\/\/nobucket\/x for channel 'train':.*bucket does not exist/,
    );
  });

  it('rejects channel names and keys that would write outside the channel folder', async () => {
    await put('data/train/a.csv', 'a');
    for (const name of ['..', 'a/b', '', 'x'.repeat(65)]) {
      await expect(prepareWorkspace(spec({ channels: [channel(name)] }), store)).rejects.toThrow(
        /channel name/,
      );
    }
    await put('m/p/secret', 'no');
    await put(
      'manifest.json',
      JSON.stringify([{ prefix: 's3://bkt/m/p/' }, '../../../../escaped']),
    );
    const manifest = channel('train', {
      s3Uri: 's3://bkt/manifest.json',
      s3DataType: 'ManifestFile',
    });
    await expect(prepareWorkspace(spec({ channels: [manifest] }), store)).rejects.toThrow(
      /cannot be a file path inside the channel folder/,
    );
    expect(existsSync(join(root, '..', 'escaped'))).toBe(false);
  });

  it('returns the environment the training toolkit sets', async () => {
    await put('data/train/a.csv', 'a');
    await put('data/eval/b.csv', 'b');
    const ws = spec({ channels: [channel('train'), channel('eval')] });
    const { env } = await prepareWorkspace(ws, store);
    expect(env).toMatchObject({
      MY_VAR: 'mine',
      SM_MODEL_DIR: join(root, 'model'),
      SM_CHANNELS: '["eval","train"]',
      SM_CHANNEL_TRAIN: join(root, 'input/data/train'),
      SM_CHANNEL_EVAL: join(root, 'input/data/eval'),
      SM_HP_EPOCHS: '10',
      SM_HP_LR: '0.1',
      SM_HP_NAME: 'x',
      SM_HP_PLAIN: 'abc',
      SM_HOSTS: '["algo-1"]',
      SM_CURRENT_HOST: 'algo-1',
      SM_NUM_CPUS: '2',
      SM_NUM_GPUS: '0',
      SM_INPUT_DIR: join(root, 'input'),
      SM_INPUT_CONFIG_DIR: join(root, 'input/config'),
      SM_OUTPUT_DIR: join(root, 'output'),
      SM_OUTPUT_DATA_DIR: join(root, 'output/data'),
      SM_OUTPUT_INTERMEDIATE_DIR: join(root, 'output/intermediate'),
      PLINTH_ML_ROOT: root,
    });
    expect(JSON.parse(env.SM_HPS!)).toEqual({ epochs: 10, lr: 0.1, name: 'x', plain: 'abc' });
    expect(env.SM_HP_SAGEMAKER_REGION).toBeUndefined();
    expect(JSON.parse(env.SM_RESOURCE_CONFIG!)).toEqual(
      await readJson('input/config/resourceconfig.json'),
    );
    expect(JSON.parse(env.SM_INPUT_DATA_CONFIG!)).toEqual(
      await readJson('input/config/inputdataconfig.json'),
    );
    expect(JSON.parse(env.SM_TRAINING_ENV!)).toMatchObject({
      job_name: 'job',
      channel_input_dirs: { train: join(root, 'input/data/train') },
      hyperparameters: { epochs: 10 },
    });
  });
});
