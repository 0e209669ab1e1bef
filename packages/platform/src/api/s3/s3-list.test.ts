import {
  CreateBucketCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3TestServer, type S3TestServer } from './s3-test-server.js';

let server: S3TestServer;
let s3: S3Client;
const Bucket = 'listing';
/** More than one page of 1000: 1050 under `many/`, a few elsewhere. */
const MANY = Array.from({ length: 1050 }, (_, i) => `many/${String(i).padStart(5, '0')}.txt`);
const OTHERS = ['top.txt', 'dir/a/1', 'dir/a/2', 'dir/b/1', 'dir/c', 'zeta'];

beforeAll(async () => {
  server = await startS3TestServer();
  s3 = server.client();
  await s3.send(new CreateBucketCommand({ Bucket }));
  const keys = [...MANY, ...OTHERS];
  // Seeded through the store, 64 at a time, to keep this file to a few seconds: what is under
  // test is the listing protocol (PutObject has its own tests).
  for (let i = 0; i < keys.length; i += 64) {
    await Promise.all(
      keys
        .slice(i, i + 64)
        .map((key) => server.store.putObject({ bucket: Bucket, key, body: Readable.from(['x']) })),
    );
  }
}, 120_000);

afterAll(async () => {
  await server.close();
});

describe('S3 API: listing', () => {
  it('pages ListObjectsV2 over more than 1000 keys with continuation tokens', async () => {
    const first = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'many/' }));
    expect(first).toMatchObject({
      KeyCount: 1000,
      MaxKeys: 1000,
      IsTruncated: true,
      Prefix: 'many/',
    });
    expect(first.NextContinuationToken).toBeTruthy();
    const second = await s3.send(
      new ListObjectsV2Command({
        Bucket,
        Prefix: 'many/',
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    expect(second).toMatchObject({
      KeyCount: 50,
      IsTruncated: false,
      ContinuationToken: first.NextContinuationToken,
    });
    expect(second.NextContinuationToken).toBeUndefined();
    const keys = [...(first.Contents ?? []), ...(second.Contents ?? [])].map((c) => c.Key);
    expect(keys).toEqual(MANY);
    expect(first.Contents?.[0]).toMatchObject({
      Size: 1,
      StorageClass: 'STANDARD',
      ETag: '"9dd4e461268c8034f5c8564e155c67a6"',
    });
  });

  it('rolls keys up into common prefixes with a delimiter', async () => {
    const top = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/' }));
    expect(top.Contents?.map((c) => c.Key)).toEqual(['top.txt', 'zeta']);
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/', 'many/']);
    expect(top).toMatchObject({ KeyCount: 4, Delimiter: '/' });
    const dir = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'dir/', Delimiter: '/' }));
    expect(dir.Contents?.map((c) => c.Key)).toEqual(['dir/c']);
    expect(dir.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/a/', 'dir/b/']);
    // Paging two entries at a time still yields each prefix once.
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket, Delimiter: '/', MaxKeys: 2, ContinuationToken: token }),
      );
      seen.push(
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!),
        ...(page.Contents ?? []).map((c) => c.Key!),
      );
      token = page.NextContinuationToken;
    } while (token);
    expect(seen.sort()).toEqual(['dir/', 'many/', 'top.txt', 'zeta']);
  });

  it('starts after a key and honours max-keys', async () => {
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket, StartAfter: 'many/01045.txt', MaxKeys: 3 }),
    );
    expect(out.Contents?.map((c) => c.Key)).toEqual([
      'many/01046.txt',
      'many/01047.txt',
      'many/01048.txt',
    ]);
    expect(out).toMatchObject({
      StartAfter: 'many/01045.txt',
      IsTruncated: true,
      KeyCount: 3,
      MaxKeys: 3,
    });
  });

  it('pages ListObjects v1 with markers', async () => {
    const first = await s3.send(new ListObjectsCommand({ Bucket, Prefix: 'dir/', MaxKeys: 2 }));
    expect(first.Contents?.map((c) => c.Key)).toEqual(['dir/a/1', 'dir/a/2']);
    expect(first.IsTruncated).toBe(true);
    expect(first.Contents?.[0]?.Owner?.ID).toBeTruthy();
    const next = await s3.send(
      new ListObjectsCommand({ Bucket, Prefix: 'dir/', Marker: 'dir/a/2' }),
    );
    expect(next.Contents?.map((c) => c.Key)).toEqual(['dir/b/1', 'dir/c']);
    expect(next.IsTruncated).toBe(false);
    const delimited = await s3.send(new ListObjectsCommand({ Bucket, Delimiter: '/', MaxKeys: 1 }));
    expect(delimited.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/']);
    expect(delimited.NextMarker).toBe('dir/');
    const after = await s3.send(
      new ListObjectsCommand({ Bucket, Delimiter: '/', Marker: delimited.NextMarker }),
    );
    expect(after.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['many/']);
  });

  it('url-encodes listed keys when asked, as the AWS CLI asks', async () => {
    const weird = 'enc/sp ace+plus&amp<lt>\r\nctrl\u0001é';
    await s3.send(new PutObjectCommand({ Bucket, Key: weird, Body: 'x' }));
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket, Prefix: 'enc/', EncodingType: 'url' }),
    );
    expect(out.EncodingType).toBe('url');
    const listed = out.Contents?.[0]?.Key ?? '';
    expect(listed).not.toContain(' ');
    expect(decodeURIComponent(listed.replace(/\+/g, ' '))).toBe(weird);
    expect(out.Prefix).toBe('enc/');
  });
});
