import { readdir, rm, mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectCode, md5Etag } from '../contract/suite-helpers.js';
import { FileObjectStore } from './file-object-store.js';
import { decodeEntry, keyToPathComponents } from './key-paths.js';

const ATTACKS = [
  '..',
  '../escape',
  '../../../../../../tmp/plinth-escape',
  '/etc/passwd',
  '//double/leading',
  'a/../../..',
  './.././..',
  '...',
  '.meta/x',
  '%2e%2e/%2E%2E/x',
  '%2F..%2F..%2Fx',
  '..%2f..%2fx',
  '..\\..\\windows',
  'nul\u0000byte',
  'C:\\Windows\\system32',
  '%',
  '%%2F',
  'x%2F',
  'x%+',
  '%41',
  'seg/'.repeat(200),
  'long-'.repeat(204),
  '\u202e\u200b/zero width',
];

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const dirent of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, dirent.name);
    out.push(path);
    if (dirent.isDirectory()) out.push(...(await allFiles(path)));
  }
  return out;
}

describe('FileObjectStore key safety', () => {
  let outer: string;
  let root: string;
  let store: FileObjectStore;

  beforeEach(async () => {
    outer = await mkdtemp(join(tmpdir(), 'plinth-escape-'));
    root = join(outer, 'root');
    store = new FileObjectStore(root);
    await store.createBucket('victim');
    await store.createBucket('bucket');
  });

  afterEach(async () => {
    await rm(outer, { recursive: true, force: true });
  });

  it('keeps every hostile key inside its bucket folder and gives it back exactly', async () => {
    for (const key of ATTACKS) {
      await store.putObject({ bucket: 'bucket', key, body: Readable.from([Buffer.from(key)]) });
    }
    // Nothing outside the root; nothing in another bucket; every data file below bucket/.
    expect(await readdir(outer)).toEqual(['root']);
    expect(await readdir(join(root, 'victim'))).toEqual([]);
    for (const path of await allFiles(root)) {
      const top = relative(root, path).split(sep)[0];
      expect(['bucket', '.meta', '.buckets', '.tmp', '.uploads', 'victim']).toContain(top);
    }
    for (const key of ATTACKS) {
      const got = await store.getObject('bucket', key);
      expect(await text(got.body)).toBe(key);
      expect(got.etag).toBe(md5Etag(key));
    }
    const listed: string[] = [];
    let token: string | undefined;
    do {
      const page = await store.listObjects('bucket', { continuationToken: token, maxKeys: 7 });
      listed.push(...page.objects.map((o) => o.key));
      token = page.nextContinuationToken;
    } while (token);
    expect(listed).toEqual(
      [...ATTACKS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
    for (const key of ATTACKS) await store.deleteObject('bucket', key);
    expect(await readdir(join(root, 'bucket'))).toEqual([]);
    await store.deleteBucket('bucket');
  });

  it('rejects keys S3 rejects or no file system can hold', async () => {
    const put = (key: string): Promise<unknown> =>
      store.putObject({ bucket: 'bucket', key, body: Readable.from([]) });
    await expectCode(put(''), 'InvalidObjectKey');
    await expectCode(put('k'.repeat(1025)), 'InvalidObjectKey');
    await expectCode(put('é'.repeat(513)), 'InvalidObjectKey');
    await expectCode(put('lone \ud800 surrogate'), 'InvalidObjectKey');
    await expectCode(put('/'.repeat(1000)), 'InvalidObjectKey');
    await expectCode(store.getObject('bucket', '../../x'), 'NoSuchKey');
    expect(await readdir(join(root, 'bucket'))).toEqual([]);
  });

  it('rejects bucket names that could name another folder', async () => {
    for (const bucket of ['..', '.meta', '.tmp', 'a/b', '../victim', 'Victim', '']) {
      await expectCode(store.createBucket(bucket), 'InvalidBucketName');
      expect(await store.bucketExists(bucket)).toBe(false);
      await expectCode(store.getObject(bucket, 'k'), 'NoSuchBucket');
    }
  });

  it('maps keys to canonical names and ignores names it did not write', () => {
    expect(keyToPathComponents('a/b')).toEqual(['a%2F', 'b']);
    expect(keyToPathComponents('../.')).toEqual(['%2E%2E%2F', '%2E']);
    expect(keyToPathComponents('a//')).toEqual(['a%2F', '%%2F', '%']);
    expect(keyToPathComponents('100%\\')).toEqual(['100%25%5C']);
    const long = keyToPathComponents('y'.repeat(600));
    expect(long.length).toBe(3);
    expect(long.every((c) => Buffer.byteLength(c) <= 255)).toBe(true);
    expect(decodeEntry('plain-dir', true)).toBeUndefined();
    expect(decodeEntry('%2e', false)).toBeUndefined();
    expect(decodeEntry('%zz', false)).toBeUndefined();
    expect(decodeEntry('%2E%2E', false)).toEqual({ kind: 'file', piece: '..' });
  });

  it('recomputes the ETag when a crash left a sidecar that describes other bytes', async () => {
    await store.putObject({
      bucket: 'bucket',
      key: 'k',
      body: Readable.from([Buffer.from('old')]),
      contentType: 'text/plain',
    });
    // As if a writer renamed new bytes into place and died before writing their sidecar.
    await writeFile(join(root, 'bucket', 'k'), 'new bytes');
    expect(await store.headObject('bucket', 'k')).toMatchObject({
      etag: md5Etag('new bytes'),
      size: 9,
    });
    // A leftover temp file and a folder made by hand are not objects.
    await writeFile(join(root, '.tmp', 'leftover'), 'partial');
    await mkdir(join(root, 'bucket', 'handmade'));
    expect((await store.listObjects('bucket')).objects.map((o) => o.key)).toEqual(['k']);
  });
});
