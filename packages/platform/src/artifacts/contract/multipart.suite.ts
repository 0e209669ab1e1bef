import { createHash, randomBytes } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { expect, it } from 'vitest';
import type { ObjectStore } from '../object-store.js';
import { bodyOf as body, expectCode, md5Etag, readAll, uniqueBucket } from './suite-helpers.js';

/** Multipart uploads: part of the ObjectStore contract. */
export function describeMultipartContract(store: () => ObjectStore): void {
  const MiB = 1024 * 1024;

  it('assembles a multipart upload with the multipart ETag', async () => {
    const bucket = uniqueBucket();
    await store().createBucket(bucket);
    const id = await store().createMultipartUpload(bucket, 'big/object', {
      contentType: 'application/zip',
      metadata: { m: 'v' },
    });
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(1000)];
    const ref = { bucket, key: 'big/object', uploadId: id };
    const etags: string[] = [];
    // Out of order, and part 2 twice: the last upload of a part number wins.
    for (const n of [3, 2, 1, 2]) {
      const data = parts[n - 1]!;
      const result = await store().uploadPart({
        ...ref,
        partNumber: n,
        body: body(data),
        contentLength: data.length,
      });
      expect(result).toEqual({ etag: md5Etag(data), size: data.length });
      etags[n - 1] = result.etag;
    }
    const listed = await store().listParts(ref);
    expect(listed.map((p) => [p.partNumber, p.etag, p.size])).toEqual(
      parts.map((p, i) => [i + 1, md5Etag(p), p.length]),
    );
    const completed = await store().completeMultipartUpload(
      ref,
      etags.map((etag, i) => ({ partNumber: i + 1, etag })),
    );
    const md5s = createHash('md5');
    for (const p of parts) md5s.update(createHash('md5').update(p).digest());
    expect(completed).toEqual({ etag: `"${md5s.digest('hex')}-3"`, size: 10 * MiB + 1000 });
    const got = await store().getObject(bucket, 'big/object');
    expect((await readAll(got.body)).equals(Buffer.concat(parts))).toBe(true);
    expect(got).toMatchObject({
      contentType: 'application/zip',
      metadata: { m: 'v' },
      etag: completed.etag,
    });
    await expectCode(store().listParts(ref), 'NoSuchUpload');
  });

  it('checks multipart completions as S3 does', async () => {
    const bucket = uniqueBucket();
    await store().createBucket(bucket);
    const ref = { bucket, key: 'k', uploadId: await store().createMultipartUpload(bucket, 'k') };
    const small = await store().uploadPart({
      ...ref,
      partNumber: 1,
      body: body('tiny'),
      contentLength: 4,
    });
    const last = await store().uploadPart({
      ...ref,
      partNumber: 2,
      body: body('end'),
      contentLength: 3,
    });
    await expectCode(
      store().completeMultipartUpload(ref, [
        { partNumber: 2, etag: last.etag },
        { partNumber: 1, etag: small.etag },
      ]),
      'InvalidPartOrder',
    );
    await expectCode(
      store().completeMultipartUpload(ref, [{ partNumber: 1, etag: md5Etag('other') }]),
      'InvalidPart',
    );
    await expectCode(
      store().completeMultipartUpload(ref, [{ partNumber: 7, etag: small.etag }]),
      'InvalidPart',
    );
    await expectCode(
      store().completeMultipartUpload(ref, [
        { partNumber: 1, etag: small.etag },
        { partNumber: 2, etag: last.etag },
      ]),
      'EntityTooSmall',
    );
    // A single small part is fine: only non-final parts have a minimum size.
    const one = await store().completeMultipartUpload(ref, [
      { partNumber: 1, etag: small.etag.replace(/"/g, '') },
    ]);
    expect(one.size).toBe(4);
    expect(await text((await store().getObject(bucket, 'k')).body)).toBe('tiny');
  });

  it('aborts uploads and rejects unknown ones', async () => {
    const bucket = uniqueBucket();
    await store().createBucket(bucket);
    const ref = { bucket, key: 'k', uploadId: await store().createMultipartUpload(bucket, 'k') };
    await store().uploadPart({ ...ref, partNumber: 1, body: body('abc'), contentLength: 3 });
    await store().abortMultipartUpload(ref);
    await expectCode(store().listParts(ref), 'NoSuchUpload');
    await expectCode(store().abortMultipartUpload(ref), 'NoSuchUpload');
    await expectCode(
      store().uploadPart({ ...ref, partNumber: 1, body: body('x'), contentLength: 1 }),
      'NoSuchUpload',
    );
    const unknown = { bucket, key: 'k', uploadId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    await expectCode(
      store().completeMultipartUpload(unknown, [{ partNumber: 1, etag: md5Etag('x') }]),
      'NoSuchUpload',
    );
    await expectCode(store().headObject(bucket, 'k'), 'NoSuchKey');
  });
}
