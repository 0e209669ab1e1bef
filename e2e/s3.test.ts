import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from './support/clients.js';
import { startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';

const MiB = 1024 * 1024;

/** A request with the path exactly as given: fetch would resolve `..` segments first. */
function rawRequest(
  url: string,
  { method, path, body }: { method: string; path: string; body?: string },
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function listFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('S3-compatible objects through @aws-sdk/client-s3', () => {
  let plinth: PlinthProcess;
  let s3: S3Client;

  beforeAll(async () => {
    plinth = await startPlinthProcess();
    s3 = s3Client(plinth.url);
    await s3.send(new CreateBucketCommand({ Bucket: 'data' }));
  });
  afterAll(async () => plinth?.stop());

  it('runs a bucket lifecycle', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'short-lived' }));
    await s3.send(new HeadBucketCommand({ Bucket: 'short-lived' }));
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets!.map((b) => b.Name)).toEqual(expect.arrayContaining(['data', 'short-lived']));
    await s3.send(new PutObjectCommand({ Bucket: 'short-lived', Key: 'k', Body: 'v' }));
    await expect(s3.send(new DeleteBucketCommand({ Bucket: 'short-lived' }))).rejects.toMatchObject(
      { name: 'BucketNotEmpty' },
    );
    await s3.send(new DeleteObjectCommand({ Bucket: 'short-lived', Key: 'k' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'short-lived' }));
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'short-lived' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
    await expect(
      s3.send(new PutObjectCommand({ Bucket: 'short-lived', Key: 'k', Body: 'v' })),
    ).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('round-trips objects with metadata, ranges, copies and deletes', async () => {
    const body = randomBytes(300_000);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'data',
        Key: 'train/part 1 é.csv',
        Body: body,
        ContentType: 'text/csv',
        Metadata: { origin: 'e2e' },
      }),
    );
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: 'data', Key: 'train/part 1 é.csv' }),
    );
    expect(head).toMatchObject({
      ContentLength: body.length,
      ContentType: 'text/csv',
      Metadata: { origin: 'e2e' },
      ETag: put.ETag,
    });

    const whole = await s3.send(
      new GetObjectCommand({ Bucket: 'data', Key: 'train/part 1 é.csv' }),
    );
    expect(Buffer.from(await whole.Body!.transformToByteArray()).equals(body)).toBe(true);
    const range = await s3.send(
      new GetObjectCommand({ Bucket: 'data', Key: 'train/part 1 é.csv', Range: 'bytes=100-199' }),
    );
    expect(range.ContentRange).toBe(`bytes 100-199/${body.length}`);
    expect(
      Buffer.from(await range.Body!.transformToByteArray()).equals(body.subarray(100, 200)),
    ).toBe(true);

    await s3.send(
      new CopyObjectCommand({
        Bucket: 'data',
        Key: 'copy.csv',
        CopySource: encodeURIComponent('data/train/part 1 é.csv'),
      }),
    );
    const copied = await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'copy.csv' }));
    expect(Buffer.from(await copied.Body!.transformToByteArray()).equals(body)).toBe(true);

    const deleted = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'data',
        Delete: { Objects: [{ Key: 'copy.csv' }, { Key: 'never-was' }] },
      }),
    );
    expect(deleted.Deleted!.map((d) => d.Key).sort()).toEqual(['copy.csv', 'never-was']);
    await expect(
      s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'copy.csv' })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('lists with prefix, delimiter and continuation tokens', async () => {
    const keys = Array.from(
      { length: 25 },
      (_, i) => `list/${i % 2 ? 'odd' : 'even'}/${String(i).padStart(2, '0')}.txt`,
    );
    await Promise.all(
      keys.map((Key) => s3.send(new PutObjectCommand({ Bucket: 'data', Key, Body: Key }))),
    );
    const folders = await s3.send(
      new ListObjectsV2Command({ Bucket: 'data', Prefix: 'list/', Delimiter: '/' }),
    );
    expect(folders.CommonPrefixes!.map((p) => p.Prefix)).toEqual(['list/even/', 'list/odd/']);
    const seen: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: s3, pageSize: 7 },
      { Bucket: 'data', Prefix: 'list/' },
    )) {
      expect(page.KeyCount).toBeLessThanOrEqual(7);
      seen.push(...page.Contents!.map((o) => o.Key!));
    }
    expect(seen).toEqual([...keys].sort());
  });

  it('assembles a multipart upload and refuses a wrong one', async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(MiB)];
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'data', Key: 'big.bin' }),
    );
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      etags.push(
        (
          await s3.send(
            new UploadPartCommand({
              Bucket: 'data',
              Key: 'big.bin',
              UploadId,
              PartNumber: i + 1,
              Body: part,
            }),
          )
        ).ETag!,
      );
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'data',
        Key: 'big.bin',
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'big.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(
      true,
    );

    const { UploadId: other } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'data', Key: 'other.bin' }),
    );
    await expect(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'data',
          Key: 'other.bin',
          UploadId: other,
          MultipartUpload: { Parts: [{ ETag: '"nope"', PartNumber: 1 }] },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidPart' });
    await s3.send(
      new AbortMultipartUploadCommand({ Bucket: 'data', Key: 'other.bin', UploadId: other }),
    );
    await expect(
      s3.send(
        new UploadPartCommand({
          Bucket: 'data',
          Key: 'other.bin',
          UploadId: other,
          PartNumber: 1,
          Body: 'x',
        }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchUpload' });
  });

  it('never lets a key or bucket escape the object store', async () => {
    const attempts = [
      ['PUT', '/data/../../escaped.txt'],
      ['PUT', '/data/..%2F..%2Fescaped.txt'],
      ['PUT', '/data/%2e%2e/%2e%2e/escaped.txt'],
      ['PUT', '/../escaped.txt'],
      ['PUT', '/data/..\\..\\escaped.txt'],
      ['PUT', '/data/a/../../../escaped.txt'],
      ['PUT', '/data/a/../../../../escaped.txt'],
      ['GET', '/data/../../../../etc/passwd'],
      ['GET', '/..%2F..%2Fetc/passwd'],
    ] as const;
    for (const [method, path] of attempts) {
      const res = await rawRequest(plinth.url, {
        method,
        path,
        body: method === 'PUT' ? 'escaped!' : undefined,
      });
      expect(res.text, `${method} ${path}`).not.toContain('root:');
      if (res.status >= 400)
        expect(res.text, `${method} ${path}`).toMatch(/<Error><Code>\w+<\/Code>/);
    }
    // Whatever was accepted is a key inside a bucket: nothing named "escaped" lies outside the
    // object store, nor loose in the store's root beside the bucket folders.
    const objectsRoot = join(plinth.dataDir, 'objects');
    const strays = [
      ...readdirSync(dirname(plinth.dataDir)).filter((name) => name.includes('escaped')),
      ...listFilesUnder(plinth.dataDir).filter(
        (f) => f.includes('escaped') && !f.startsWith(`${objectsRoot}/`),
      ),
      ...readdirSync(objectsRoot).filter((name) => name.includes('escaped')),
    ];
    expect(strays).toEqual([]);
    // The server is still serving.
    expect((await s3.send(new ListBucketsCommand({}))).Buckets!.length).toBeGreaterThan(0);
  });
});
