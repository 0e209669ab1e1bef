import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileObjectStore } from '../../artifacts/file/file-object-store.js';
import { downloadPrefix } from './channel-data.js';
import { FolderSync } from './folder-sync.js';

let dir: string;
let store: FileObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plinth-ckpt-'));
  store = new FileObjectStore(join(dir, 'store'));
  await store.createBucket('bkt');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function keys(): Promise<string[]> {
  return (await store.listObjects('bkt', { prefix: 'ckpt/' })).objects.map((o) => o.key);
}

describe('FolderSync and downloadPrefix', () => {
  it('uploads new and changed files only, and restores them into another folder', async () => {
    const local = join(dir, 'run-1');
    await mkdir(join(local, 'epoch'), { recursive: true });
    await writeFile(join(local, 'state.json'), '{"epoch":1}');
    await writeFile(join(local, 'epoch', '1.bin'), 'one');
    const sync = new FolderSync(store, { uri: 's3://bkt/ckpt', dir: local });
    expect(await sync.sync()).toBe(2);
    expect(await sync.sync()).toBe(0);
    await writeFile(join(local, 'state.json'), '{"epoch":22}');
    expect(await sync.stop()).toBe(1);
    expect(await keys()).toEqual(['ckpt/epoch/1.bin', 'ckpt/state.json']);

    const resumed = join(dir, 'run-2');
    expect(
      await downloadPrefix(store, {
        uri: 's3://bkt/ckpt',
        dir: resumed,
        label: 'CheckpointConfig',
      }),
    ).toBe(2);
    expect(await readFile(join(resumed, 'state.json'), 'utf8')).toBe('{"epoch":22}');
    expect(await readFile(join(resumed, 'epoch', '1.bin'), 'utf8')).toBe('one');
  });

  it('restores nothing, without failing, when no checkpoints were saved yet', async () => {
    expect(
      await downloadPrefix(store, {
        uri: 's3://bkt/none/',
        dir: join(dir, 'x'),
        label: 'CheckpointConfig',
      }),
    ).toBe(0);
  });

  it('says which setting is wrong when the checkpoint bucket does not exist', async () => {
    await expect(
      downloadPrefix(store, {
        uri: 's3://missing/ckpt',
        dir: join(dir, 'x'),
        label: 'CheckpointConfig',
      }),
    ).rejects.toThrow(/Could not read s3:\/\/missing\/ckpt for CheckpointConfig/);
  });
});
