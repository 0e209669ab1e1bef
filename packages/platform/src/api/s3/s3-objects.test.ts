import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3TestServer, type S3TestServer, failure } from './s3-test-server.js';

let server: S3TestServer;
let s3: S3Client;
const Bucket = 'objects';

beforeAll(async () => {
  server = await startS3TestServer();
  s3 = server.client();
  await s3.send(new CreateBucketCommand({ Bucket }));
});

afterAll(async () => {
  await server.close();
});

const md5 = (data: Buffer | string): string => `"${createHash('md5').update(data).digest('hex')}"`;

async function getBytes(Key: string, extra: { Range?: string } = {}): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket, Key, ...extra }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

describe('S3 API: objects', () => {
  it('puts, gets and heads an object with metadata', async () => {
    const data = randomBytes(300_000);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'dir/data.bin',
        Body: data,
        ContentType: 'application/x-plinth',
        Metadata: { purpose: 'test', 'run-id': '7' },
        ContentDisposition: 'attachment',
      }),
    );
    expect(put.ETag).toBe(md5(data));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'dir/data.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
    expect(got).toMatchObject({
      ContentType: 'application/x-plinth',
      ContentLength: data.length,
      ETag: md5(data),
      Metadata: { purpose: 'test', 'run-id': '7' },
      ContentDisposition: 'attachment',
      AcceptRanges: 'bytes',
    });
    expect(got.LastModified).toBeInstanceOf(Date);
    expect(got.$metadata.requestId).toBeTruthy();
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'dir/data.bin' }));
    expect(head).toMatchObject({
      ContentLength: data.length,
      ETag: md5(data),
      ContentType: 'application/x-plinth',
    });
  });

  it('decodes aws-chunked streaming uploads and keeps their trailing checksum', async () => {
    const data = randomBytes(200_000);
    // A stream body makes the SDK send aws-chunked with an x-amz-checksum-crc32 trailer.
    const put = await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'streamed',
        Body: Readable.from([data.subarray(0, 70_000), data.subarray(70_000)]),
        ContentLength: data.length,
      }),
    );
    expect(put.ETag).toBe(md5(data));
    expect(put.ChecksumCRC32).toBeTruthy();
    expect((await getBytes('streamed')).equals(data)).toBe(true);
    const withChecksum = await s3.send(
      new HeadObjectCommand({ Bucket, Key: 'streamed', ChecksumMode: 'ENABLED' }),
    );
    expect(withChecksum.ChecksumCRC32).toBe(put.ChecksumCRC32);
    const withoutMode = await s3.send(new HeadObjectCommand({ Bucket, Key: 'streamed' }));
    expect(withoutMode.ChecksumCRC32).toBeUndefined();
    // The SDK validates the returned checksum against the bytes it read.
    const validated = await s3.send(
      new GetObjectCommand({ Bucket, Key: 'streamed', ChecksumMode: 'ENABLED' }),
    );
    expect(Buffer.from(await validated.Body!.transformToByteArray()).equals(data)).toBe(true);
    for (const ChecksumAlgorithm of ['CRC32C', 'SHA256', 'SHA1', 'CRC64NVME'] as const) {
      const out = await s3.send(
        new PutObjectCommand({
          Bucket,
          Key: `sum-${ChecksumAlgorithm}`,
          Body: Readable.from([data]),
          ContentLength: data.length,
          ChecksumAlgorithm,
        }),
      );
      expect(out.ETag).toBe(md5(data));
      const checked = await s3.send(
        new GetObjectCommand({ Bucket, Key: `sum-${ChecksumAlgorithm}`, ChecksumMode: 'ENABLED' }),
      );
      expect(Buffer.from(await checked.Body!.transformToByteArray()).equals(data)).toBe(true);
    }
  });

  it('serves byte ranges and conditional requests', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'digits', Body: '0123456789' }));
    expect((await getBytes('digits', { Range: 'bytes=2-5' })).toString()).toBe('2345');
    expect((await getBytes('digits', { Range: 'bytes=-3' })).toString()).toBe('789');
    expect((await getBytes('digits', { Range: 'bytes=6-' })).toString()).toBe('6789');
    const ranged = await s3.send(
      new GetObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=0-0' }),
    );
    expect(ranged).toMatchObject({
      ContentRange: 'bytes 0-0/10',
      ContentLength: 1,
      $metadata: { httpStatusCode: 206 },
    });
    await ranged.Body!.transformToString();
    expect(
      await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=10-' }))),
    ).toEqual({
      name: 'InvalidRange',
      status: 416,
    });
    const etag = md5('0123456789');
    expect(
      await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'digits', IfNoneMatch: etag }))),
    ).toMatchObject({ status: 304 });
    expect(
      await failure(
        s3.send(
          new GetObjectCommand({
            Bucket,
            Key: 'digits',
            IfModifiedSince: new Date(Date.now() + 60_000),
          }),
        ),
      ),
    ).toMatchObject({ status: 304 });
    expect(
      await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'digits', IfMatch: '"nope"' }))),
    ).toEqual({
      name: 'PreconditionFailed',
      status: 412,
    });
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket, Key: 'digits', IfMatch: etag }))).ETag,
    ).toBe(etag);
    expect(
      await failure(
        s3.send(new PutObjectCommand({ Bucket, Key: 'digits', Body: 'x', IfNoneMatch: '*' })),
      ),
    ).toEqual({
      name: 'PreconditionFailed',
      status: 412,
    });
  });

  it('deletes objects, one or many, and reports missing keys', async () => {
    for (const Key of ['d/1', 'd/2', 'd/3'])
      await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'd/1' }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'd/1' }));
    expect(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'd/1' })))).toEqual({
      name: 'NoSuchKey',
      status: 404,
    });
    expect(await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'd/1' })))).toEqual({
      name: 'NotFound',
      status: 404,
    });
    const many = await s3.send(
      new DeleteObjectsCommand({
        Bucket,
        Delete: { Objects: [{ Key: 'd/2' }, { Key: 'd/3' }, { Key: 'never & <was>' }] },
      }),
    );
    expect(many.Deleted?.map((d) => d.Key)).toEqual(['d/2', 'd/3', 'never & <was>']);
    expect(many.Errors ?? []).toEqual([]);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'd/4', Body: 'x' }));
    const quiet = await s3.send(
      new DeleteObjectsCommand({ Bucket, Delete: { Quiet: true, Objects: [{ Key: 'd/4' }] } }),
    );
    expect(quiet.Deleted ?? []).toEqual([]);
    expect(await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'd/4' })))).toMatchObject({
      status: 404,
    });
    expect(
      await failure(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' }))),
    ).toEqual({
      name: 'NoSuchBucket',
      status: 404,
    });
  });

  it('copies objects with COPY and REPLACE metadata directives', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'src dir/ü+1.txt',
        Body: 'copy me',
        ContentType: 'text/plain',
        Metadata: { a: '1' },
      }),
    );
    const copied = await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'copies/one',
        CopySource: `${Bucket}/${encodeURIComponent('src dir/ü+1.txt')}`,
      }),
    );
    expect(copied.CopyObjectResult?.ETag).toBe(md5('copy me'));
    expect(copied.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    expect(await s3.send(new HeadObjectCommand({ Bucket, Key: 'copies/one' }))).toMatchObject({
      ContentType: 'text/plain',
      Metadata: { a: '1' },
    });
    await s3.send(
      new CopyObjectCommand({
        Bucket,
        Key: 'copies/two',
        CopySource: `/${Bucket}/src%20dir/%C3%BC%2B1.txt`,
        MetadataDirective: 'REPLACE',
        ContentType: 'text/csv',
        Metadata: { b: '2' },
      }),
    );
    const two = await s3.send(new HeadObjectCommand({ Bucket, Key: 'copies/two' }));
    expect(two).toMatchObject({ ContentType: 'text/csv', Metadata: { b: '2' } });
    expect(
      await failure(
        s3.send(
          new CopyObjectCommand({ Bucket, Key: 'copies/one', CopySource: `${Bucket}/copies/one` }),
        ),
      ),
    ).toEqual({
      name: 'InvalidRequest',
      status: 400,
    });
    expect(
      await failure(
        s3.send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource: `${Bucket}/missing` })),
      ),
    ).toEqual({
      name: 'NoSuchKey',
      status: 404,
    });
  });

  it('round-trips keys of any shape', async () => {
    const keys = [
      'a',
      'a/b',
      'sp ace',
      'plus+sign',
      'pct%25%2e%2e',
      'ünïcødé/日本/😀',
      'q?x=1&y#h',
      '../up',
      './dot/.',
      'a//b',
      'trailing/',
    ];
    for (const Key of keys)
      await s3.send(new PutObjectCommand({ Bucket, Key: `shapes/${Key}`, Body: Key }));
    for (const Key of keys) expect((await getBytes(`shapes/${Key}`)).toString()).toBe(Key);
  });
});
