import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { describeListingContract } from './contract/listing.suite.js';
import { describeMultipartContract } from './contract/multipart.suite.js';
import {
  bodyOf as body,
  bucketWith as makeBucket,
  expectCode,
  keysOf as listKeys,
  md5Etag,
  readAll,
  uniqueBucket,
  type ContractTarget,
} from './contract/suite-helpers.js';
import type { ObjectStore } from './object-store.js';

export type { ContractTarget } from './contract/suite-helpers.js';

/** Registers the contract tests for the adapter `name`. */
export function describeObjectStoreContract(name: string, target: ContractTarget): void {
  describe(`ObjectStore contract: ${name}`, () => {
    const store = (): ObjectStore => target.store();
    const bucketWith = (objects: Record<string, string> = {}): Promise<string> =>
      makeBucket(store(), objects);
    const keysOf = (bucket: string, options = {}): Promise<string[]> =>
      listKeys(store(), bucket, options);

    it('creates, lists, finds and deletes buckets', async () => {
      const bucket = uniqueBucket();
      expect(await store().bucketExists(bucket)).toBe(false);
      await store().createBucket(bucket);
      expect(await store().bucketExists(bucket)).toBe(true);
      const listed = (await store().listBuckets()).find((b) => b.name === bucket);
      expect(listed?.creationDate).toBeInstanceOf(Date);
      expect(Math.abs(Date.now() - listed!.creationDate.getTime())).toBeLessThan(60_000);
      await expectCode(store().createBucket(bucket), 'BucketAlreadyOwnedByYou');
      await store().deleteBucket(bucket);
      expect(await store().bucketExists(bucket)).toBe(false);
      await expectCode(store().deleteBucket(bucket), 'NoSuchBucket');
    });

    it('rejects invalid bucket names', async () => {
      for (const bad of [
        'ab',
        'UPPER',
        '-dash',
        'a..b',
        '192.168.1.1',
        '.hidden',
        'x'.repeat(64),
        'a_b',
      ]) {
        await expectCode(store().createBucket(bad), 'InvalidBucketName');
      }
    });

    it('refuses to delete a bucket that holds an object', async () => {
      const bucket = await bucketWith({ 'deep/inside/k': 'x' });
      await expectCode(store().deleteBucket(bucket), 'BucketNotEmpty');
      await store().deleteObject(bucket, 'deep/inside/k');
      await store().deleteBucket(bucket);
      expect(await store().bucketExists(bucket)).toBe(false);
    });

    it('stores bytes, content type, metadata and headers and returns them', async () => {
      const bucket = await bucketWith();
      const data = randomBytes(70_000);
      const put = await store().putObject({
        bucket,
        key: 'dir/file.bin',
        body: body(data),
        contentLength: data.length,
        contentType: 'application/x-test',
        metadata: { owner: 'alice', 'run-id': '42' },
        headers: { contentDisposition: 'attachment; filename="f.bin"', cacheControl: 'no-cache' },
      });
      expect(put).toEqual({ etag: md5Etag(data), size: data.length });
      const got = await store().getObject(bucket, 'dir/file.bin');
      expect(await readAll(got.body)).toEqual(data);
      expect(got).toMatchObject({
        key: 'dir/file.bin',
        size: data.length,
        contentLength: data.length,
        etag: md5Etag(data),
        contentType: 'application/x-test',
        metadata: { owner: 'alice', 'run-id': '42' },
        headers: { contentDisposition: 'attachment; filename="f.bin"', cacheControl: 'no-cache' },
      });
      expect(Math.abs(Date.now() - got.lastModified.getTime())).toBeLessThan(60_000);
      const head = await store().headObject(bucket, 'dir/file.bin');
      expect(head).toMatchObject({
        size: data.length,
        etag: md5Etag(data),
        contentType: 'application/x-test',
      });
    });

    it('defaults the content type and accepts an empty object and an unknown length', async () => {
      const bucket = await bucketWith();
      await store().putObject({ bucket, key: 'empty', body: body('') });
      const got = await store().getObject(bucket, 'empty');
      expect((await readAll(got.body)).length).toBe(0);
      expect(got).toMatchObject({ size: 0, contentType: 'binary/octet-stream', etag: md5Etag('') });
    });

    it('reports missing buckets and keys', async () => {
      const bucket = await bucketWith();
      await expectCode(store().getObject(bucket, 'nope'), 'NoSuchKey');
      await expectCode(store().headObject(bucket, 'nope'), 'NoSuchKey');
      const missing = uniqueBucket();
      await expectCode(store().getObject(missing, 'k'), 'NoSuchBucket');
      await expectCode(store().headObject(missing, 'k'), 'NoSuchBucket');
      await expectCode(
        store().putObject({ bucket: missing, key: 'k', body: body('x'), contentLength: 1 }),
        'NoSuchBucket',
      );
      await expectCode(store().listObjects(missing), 'NoSuchBucket');
    });

    it('reads byte ranges as S3 does', async () => {
      const bucket = await bucketWith({ r: '0123456789' });
      const read = async (
        range: Parameters<ObjectStore['getObject']>[2],
      ): Promise<[string, unknown]> => {
        const got = await store().getObject(bucket, 'r', range);
        return [await text(got.body), got.range];
      };
      expect(await read({ range: { start: 2, end: 5 } })).toEqual(['2345', { start: 2, end: 5 }]);
      expect(await read({ range: { start: 7 } })).toEqual(['789', { start: 7, end: 9 }]);
      expect(await read({ range: { suffixLength: 3 } })).toEqual(['789', { start: 7, end: 9 }]);
      expect(await read({ range: { suffixLength: 50 } })).toEqual([
        '0123456789',
        { start: 0, end: 9 },
      ]);
      expect(await read({ range: { start: 8, end: 500 } })).toEqual(['89', { start: 8, end: 9 }]);
      const ranged = await store().getObject(bucket, 'r', { range: { start: 1, end: 2 } });
      expect({ size: ranged.size, contentLength: ranged.contentLength }).toEqual({
        size: 10,
        contentLength: 2,
      });
      await readAll(ranged.body);
      await expectCode(store().getObject(bucket, 'r', { range: { start: 10 } }), 'InvalidRange');
    });

    it('replaces on overwrite and deletes idempotently', async () => {
      const bucket = await bucketWith({ k: 'first' });
      await store().putObject({ bucket, key: 'k', body: body('second!'), contentLength: 7 });
      expect(await text((await store().getObject(bucket, 'k')).body)).toBe('second!');
      await store().deleteObject(bucket, 'k');
      await store().deleteObject(bucket, 'k');
      await store().deleteObject(bucket, 'never/was');
      await expectCode(store().getObject(bucket, 'k'), 'NoSuchKey');
      expect(await keysOf(bucket)).toEqual([]);
    });

    it('leaves no object behind when the body fails midway', async () => {
      const bucket = await bucketWith({ kept: 'old' });
      const failing = (): Readable =>
        Readable.from(
          (async function* () {
            yield Buffer.alloc(64 * 1024, 1);
            throw new Error('client went away');
          })(),
        );
      await expect(
        store().putObject({ bucket, key: 'new', body: failing(), contentLength: 128 * 1024 }),
      ).rejects.toThrow();
      await expect(
        store().putObject({ bucket, key: 'kept', body: failing(), contentLength: 128 * 1024 }),
      ).rejects.toThrow();
      await expectCode(store().headObject(bucket, 'new'), 'NoSuchKey');
      expect(await text((await store().getObject(bucket, 'kept')).body)).toBe('old');
    });

    it('keeps a checksum known only after the body was read', async () => {
      const bucket = await bucketWith();
      const data = Buffer.from('checksummed bytes');
      const value = Buffer.from(crc32(data).toString(16).padStart(8, '0'), 'hex').toString(
        'base64',
      );
      await store().putObject({
        bucket,
        key: 'c',
        body: body(data),
        contentLength: data.length,
        checksum: () => ({ algorithm: 'CRC32', value }),
      });
      expect((await store().headObject(bucket, 'c')).checksum).toEqual({
        algorithm: 'CRC32',
        value,
      });
    });

    it('copies objects, keeping or replacing their metadata', async () => {
      const bucket = await bucketWith();
      const other = await bucketWith();
      await store().putObject({
        bucket,
        key: 'src',
        body: body('payload'),
        contentLength: 7,
        contentType: 'text/plain',
        metadata: { a: '1' },
      });
      const copied = await store().copyObject(
        { bucket, key: 'src' },
        { bucket: other, key: 'dst/copy' },
      );
      expect(copied).toMatchObject({ key: 'dst/copy', size: 7, etag: md5Etag('payload') });
      expect(await store().headObject(other, 'dst/copy')).toMatchObject({
        contentType: 'text/plain',
        metadata: { a: '1' },
      });
      await store().copyObject(
        { bucket, key: 'src' },
        { bucket, key: 'src' },
        { contentType: 'text/csv', metadata: { b: '2' } },
      );
      const replaced = await store().headObject(bucket, 'src');
      expect(replaced).toMatchObject({ contentType: 'text/csv', metadata: { b: '2' }, size: 7 });
      expect(await text((await store().getObject(bucket, 'src')).body)).toBe('payload');
      await expectCode(
        store().copyObject({ bucket, key: 'missing' }, { bucket, key: 'x' }),
        'NoSuchKey',
      );
    });

    it('stores an object and objects below its key side by side, with any key shape', async () => {
      const keys = [
        'a',
        'a/b',
        'a/b/c',
        '../x',
        './y',
        'a/../../z',
        'a//b',
        '/leading',
        'trailing/',
        '.',
        '..',
        '%2e%2e/enc',
        'back\\slash',
        'sp ace+plus&amp=eq?q#h',
        'ünï/çødé/日本語/😀',
        'ctrl\u0001\r\nchars',
        'L'.repeat(300) + '/' + 'é'.repeat(200),
        `${'x'.repeat(250)}/end`,
      ];
      const bucket = await bucketWith(Object.fromEntries(keys.map((k) => [k, `value of ${k}`])));
      for (const key of keys) {
        expect(await text((await store().getObject(bucket, key)).body)).toBe(`value of ${key}`);
      }
      const sorted = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      expect(await keysOf(bucket)).toEqual(sorted);
      await store().deleteObject(bucket, 'a');
      expect(await text((await store().getObject(bucket, 'a/b')).body)).toBe('value of a/b');
    });

    describeListingContract(store);
    describeMultipartContract(store);
  });
}
