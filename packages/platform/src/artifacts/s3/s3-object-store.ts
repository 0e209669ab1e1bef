import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { assertValidBucketName } from '../bucket-names.js';
import { NoSuchBucketError, NoSuchKeyError } from '../errors.js';
import { assertValidKey, compareUtf8 } from '../keys.js';
import type {
  BucketInfo,
  ByteRange,
  CompletedPart,
  ListObjectsOptions,
  ListObjectsPage,
  ObjectContent,
  ObjectInfo,
  ObjectStore,
  ObjectSummary,
  ObjectWriteOptions,
  PartInfo,
  PutObjectInput,
  PutObjectResult,
  UploadPartInput,
  UploadRef,
} from '../object-store.js';
import { sendGuarded, withKnownLength } from './known-length.js';
import {
  checksumFields,
  contentRange,
  decodeListed,
  toObjectInfo,
  writeParams,
} from './s3-mapping.js';
import { S3Multipart } from './s3-multipart.js';
import { callS3, type ErrorSubject } from './s3-store-errors.js';

/**
 * The object store over Amazon S3 or any S3-compatible service, through the caller's
 * `S3Client` (which decides endpoint, region, credentials and path-style addressing).
 */
export class S3ObjectStore implements ObjectStore {
  private readonly multipart: S3Multipart;

  constructor(private readonly client: S3Client) {
    this.multipart = new S3Multipart(client, (bucket, key) => this.headObject(bucket, key));
  }

  async createBucket(bucket: string): Promise<void> {
    assertValidBucketName(bucket);
    await this.call({ bucket }, () =>
      this.client.send(new CreateBucketCommand({ Bucket: bucket })),
    );
  }

  async bucketExists(bucket: string): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
        ?.httpStatusCode;
      if (
        status === 404 ||
        (error as Error).name === 'NotFound' ||
        (error as Error).name === 'NoSuchBucket'
      )
        return false;
      throw error;
    }
  }

  async listBuckets(): Promise<BucketInfo[]> {
    const buckets: BucketInfo[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(new ListBucketsCommand({ ContinuationToken: token }));
      for (const b of out.Buckets ?? [])
        buckets.push({ name: b.Name ?? '', creationDate: b.CreationDate ?? new Date(0) });
      token = out.ContinuationToken;
    } while (token);
    return buckets.sort((a, b) => compareUtf8(a.name, b.name));
  }

  async deleteBucket(bucket: string): Promise<void> {
    await this.call({ bucket }, () =>
      this.client.send(new DeleteBucketCommand({ Bucket: bucket })),
    );
  }

  async putObject(input: PutObjectInput): Promise<PutObjectResult> {
    assertValidKey(input.key);
    const sized = await withKnownLength(input.body, input.contentLength);
    try {
      const checksum = typeof input.checksum === 'function' ? undefined : input.checksum;
      const out = await this.call(input, () =>
        sendGuarded(sized.body, (body, abortSignal) =>
          this.client.send(
            new PutObjectCommand({
              Bucket: input.bucket,
              Key: input.key,
              Body: body,
              ContentLength: sized.length,
              ...writeParams(input),
              ...checksumFields(checksum),
            }),
            { abortSignal },
          ),
        ),
      );
      return { etag: out.ETag ?? '', size: sized.length };
    } finally {
      await sized.release();
    }
  }

  async getObject(
    bucket: string,
    key: string,
    options: { range?: ByteRange } = {},
  ): Promise<ObjectContent> {
    const subject = { bucket, key };
    const out = await this.call(
      subject,
      () =>
        this.client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: key,
            Range: rangeHeader(options.range),
            ChecksumMode: 'ENABLED',
          }),
        ),
      () => this.notFound(subject),
    );
    const range = contentRange(out.ContentRange);
    const info = toObjectInfo(key, { ...out, ContentLength: range?.total ?? out.ContentLength });
    const body = out.Body instanceof Readable ? out.Body : Readable.from([]);
    return {
      ...info,
      body,
      contentLength: out.ContentLength ?? 0,
      ...(options.range && range ? { range: { start: range.start, end: range.end } } : {}),
    };
  }

  async headObject(bucket: string, key: string): Promise<ObjectInfo> {
    const subject = { bucket, key };
    const out = await this.call(
      subject,
      () =>
        this.client.send(
          new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }),
        ),
      () => this.notFound(subject),
    );
    return toObjectInfo(key, out);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.call({ bucket, key }, () =>
      this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })),
    );
  }

  async copyObject(
    source: { bucket: string; key: string },
    target: { bucket: string; key: string },
    replace?: ObjectWriteOptions,
  ): Promise<ObjectSummary> {
    assertValidKey(target.key);
    const copySource = `${source.bucket}/${source.key.split('/').map(encodeURIComponent).join('/')}`;
    await this.call(source, () =>
      this.client.send(
        new CopyObjectCommand({
          Bucket: target.bucket,
          Key: target.key,
          CopySource: copySource,
          MetadataDirective: replace ? 'REPLACE' : 'COPY',
          ...(replace ? writeParams(replace) : {}),
        }),
      ),
    );
    // CopyObject does not tell the size; one HEAD does.
    const copied = await this.headObject(target.bucket, target.key);
    return {
      key: target.key,
      size: copied.size,
      etag: copied.etag,
      lastModified: copied.lastModified,
    };
  }

  async listObjects(bucket: string, options: ListObjectsOptions = {}): Promise<ListObjectsPage> {
    const out = await this.call({ bucket }, () =>
      this.client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: options.prefix || undefined,
          Delimiter: options.delimiter || undefined,
          StartAfter: options.startAfter || undefined,
          ContinuationToken: options.continuationToken,
          MaxKeys: options.maxKeys,
          // Keys may hold characters XML 1.0 cannot carry; URL encoding brings them back intact.
          EncodingType: 'url',
        }),
      ),
    );
    const objects = (out.Contents ?? []).map((o) => ({
      key: decodeListed(o.Key ?? ''),
      size: o.Size ?? 0,
      etag: o.ETag ?? '',
      lastModified: o.LastModified ?? new Date(0),
    }));
    const commonPrefixes = (out.CommonPrefixes ?? []).map((p) => decodeListed(p.Prefix ?? ''));
    const lastKey = objects.at(-1)?.key;
    const lastPrefix = commonPrefixes.at(-1);
    const lastEntry =
      lastKey === undefined
        ? lastPrefix
        : lastPrefix === undefined || compareUtf8(lastKey, lastPrefix) > 0
          ? lastKey
          : lastPrefix;
    return {
      objects,
      commonPrefixes,
      isTruncated: out.IsTruncated ?? false,
      ...(out.IsTruncated && out.NextContinuationToken
        ? { nextContinuationToken: out.NextContinuationToken }
        : {}),
      ...(lastEntry !== undefined ? { lastEntry } : {}),
    };
  }

  createMultipartUpload(
    bucket: string,
    key: string,
    options?: ObjectWriteOptions,
  ): Promise<string> {
    return this.multipart.create(bucket, key, options);
  }

  uploadPart(input: UploadPartInput): Promise<{ etag: string; size: number }> {
    return this.multipart.uploadPart(input);
  }

  listParts(upload: UploadRef): Promise<PartInfo[]> {
    return this.multipart.listParts(upload);
  }

  completeMultipartUpload(
    upload: UploadRef,
    parts: readonly CompletedPart[],
  ): Promise<PutObjectResult> {
    return this.multipart.complete(upload, parts);
  }

  abortMultipartUpload(upload: UploadRef): Promise<void> {
    return this.multipart.abort(upload);
  }

  private call<T>(
    subject: ErrorSubject,
    send: () => Promise<T>,
    notFound?: () => Promise<Error>,
  ): Promise<T> {
    return callS3(subject, send, notFound);
  }

  /** A HEAD's 404 does not say whether the bucket or the key is missing: ask. */
  private async notFound(subject: { bucket: string; key: string }): Promise<Error> {
    return (await this.bucketExists(subject.bucket))
      ? new NoSuchKeyError(subject.bucket, subject.key)
      : new NoSuchBucketError(subject.bucket);
  }
}

function rangeHeader(range: ByteRange | undefined): string | undefined {
  if (!range) return undefined;
  if ('suffixLength' in range) return `bytes=-${range.suffixLength}`;
  return `bytes=${range.start}-${range.end ?? ''}`;
}
