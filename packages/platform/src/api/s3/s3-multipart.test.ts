import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3TestServer, type S3TestServer, failure } from './s3-test-server.js';

let server: S3TestServer;
let s3: S3Client;
const Bucket = 'multipart';
const MiB = 1024 * 1024;

beforeAll(async () => {
  server = await startS3TestServer();
  s3 = server.client();
  await s3.send(new CreateBucketCommand({ Bucket }));
});

afterAll(async () => {
  await server.close();
});

const md5 = (data: Buffer): Buffer => createHash('md5').update(data).digest();

describe('S3 API: multipart uploads', () => {
  it('uploads ~12 MiB in three streamed parts and assembles them', async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(2 * MiB + 123)];
    const Key = 'models/model.tar.gz';
    const created = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket,
        Key,
        ContentType: 'application/gzip',
        Metadata: { job: 'train-1' },
      }),
    );
    const UploadId = created.UploadId!;
    expect(created).toMatchObject({ Bucket, Key });
    const etags: string[] = [];
    for (const [index, data] of parts.entries()) {
      // Streams go out aws-chunked with a CRC32 trailer, as the SDK's upload helpers send them.
      const out = await s3.send(
        new UploadPartCommand({
          Bucket,
          Key,
          UploadId,
          PartNumber: index + 1,
          Body: Readable.from([data.subarray(0, 1_000_000), data.subarray(1_000_000)]),
          ContentLength: data.length,
        }),
      );
      expect(out.ETag).toBe(`"${md5(data).toString('hex')}"`);
      etags.push(out.ETag!);
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual(
      parts.map((p, i) => [i + 1, etags[i], p.length]),
    );
    const page = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId, MaxParts: 2 }));
    expect(page).toMatchObject({ IsTruncated: true, NextPartNumberMarker: '2' });
    const completed = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    const expected = `"${createHash('md5')
      .update(Buffer.concat(parts.map(md5)))
      .digest('hex')}-3"`;
    expect(completed).toMatchObject({ Bucket, Key, ETag: expected });
    expect(completed.Location).toContain(`/${Bucket}/models/model.tar.gz`);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(got).toMatchObject({
      ETag: expected,
      ContentType: 'application/gzip',
      Metadata: { job: 'train-1' },
    });
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(
      true,
    );
    // Nothing of the upload is left behind.
    expect(await readdir(join(server.root, '.uploads', Bucket))).toEqual([]);
  });

  it('copies a part from an existing object by range', async () => {
    const source = randomBytes(6 * MiB);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'source.bin', Body: source }));
    const Key = 'copied.bin';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const first = await s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key,
        UploadId,
        PartNumber: 1,
        CopySource: `${Bucket}/source.bin`,
        CopySourceRange: `bytes=0-${5 * MiB - 1}`,
      }),
    );
    const second = await s3.send(
      new UploadPartCopyCommand({
        Bucket,
        Key,
        UploadId,
        PartNumber: 2,
        CopySource: `${Bucket}/source.bin`,
        CopySourceRange: `bytes=${5 * MiB}-${6 * MiB - 1}`,
      }),
    );
    expect(first.CopyPartResult?.ETag).toBe(
      `"${md5(source.subarray(0, 5 * MiB)).toString('hex')}"`,
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: first.CopyPartResult!.ETag },
            { PartNumber: 2, ETag: second.CopyPartResult!.ETag },
          ],
        },
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(source)).toBe(true);
  });

  it('reports the errors S3 reports', async () => {
    const Key = 'errors';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const small = await s3.send(
      new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: 'small' }),
    );
    const last = await s3.send(
      new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: 'last' }),
    );
    const complete = (Parts: { PartNumber: number; ETag?: string }[]): Promise<unknown> =>
      s3.send(
        new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } }),
      );
    expect(
      await failure(
        complete([
          { PartNumber: 1, ETag: small.ETag },
          { PartNumber: 2, ETag: last.ETag },
        ]),
      ),
    ).toEqual({
      name: 'EntityTooSmall',
      status: 400,
    });
    expect(
      await failure(
        complete([
          { PartNumber: 2, ETag: last.ETag },
          { PartNumber: 1, ETag: small.ETag },
        ]),
      ),
    ).toEqual({
      name: 'InvalidPartOrder',
      status: 400,
    });
    expect(
      await failure(complete([{ PartNumber: 1, ETag: '"0123456789abcdef0123456789abcdef"' }])),
    ).toEqual({
      name: 'InvalidPart',
      status: 400,
    });
    expect(
      await failure(
        s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 10001, Body: 'x' })),
      ),
    ).toEqual({
      name: 'InvalidArgument',
      status: 400,
    });
    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
    expect(await failure(s3.send(new ListPartsCommand({ Bucket, Key, UploadId })))).toEqual({
      name: 'NoSuchUpload',
      status: 404,
    });
    expect(
      await failure(s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }))),
    ).toEqual({
      name: 'NoSuchUpload',
      status: 404,
    });
    expect(await failure(complete([{ PartNumber: 1, ETag: small.ETag }]))).toEqual({
      name: 'NoSuchUpload',
      status: 404,
    });
    expect(
      await failure(
        s3.send(
          new UploadPartCommand({ Bucket, Key, UploadId: '../../etc', PartNumber: 1, Body: 'x' }),
        ),
      ),
    ).toEqual({
      name: 'NoSuchUpload',
      status: 404,
    });
    expect(await failure(s3.send(new HeadObjectCommand({ Bucket, Key })))).toMatchObject({
      status: 404,
    });
  });
});
