import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { assertValidKey } from '../keys.js';
import type {
  CompletedPart,
  ObjectInfo,
  ObjectWriteOptions,
  PartInfo,
  PutObjectResult,
  UploadPartInput,
  UploadRef,
} from '../object-store.js';
import { sendGuarded, withKnownLength } from './known-length.js';
import { writeParams } from './s3-mapping.js';
import { callS3 } from './s3-store-errors.js';

/** The multipart half of `S3ObjectStore`. */
export class S3Multipart {
  constructor(
    private readonly client: S3Client,
    private readonly head: (bucket: string, key: string) => Promise<ObjectInfo>,
  ) {}

  async create(bucket: string, key: string, options: ObjectWriteOptions = {}): Promise<string> {
    assertValidKey(key);
    const out = await callS3({ bucket, key }, () =>
      this.client.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...writeParams(options) }),
      ),
    );
    return out.UploadId ?? '';
  }

  async uploadPart(input: UploadPartInput): Promise<{ etag: string; size: number }> {
    const sized = await withKnownLength(input.body, input.contentLength);
    try {
      const out = await callS3(input, () =>
        sendGuarded(sized.body, (body, abortSignal) =>
          this.client.send(
            new UploadPartCommand({
              Bucket: input.bucket,
              Key: input.key,
              UploadId: input.uploadId,
              PartNumber: input.partNumber,
              Body: body,
              ContentLength: sized.length,
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

  async listParts(upload: UploadRef): Promise<PartInfo[]> {
    const parts: PartInfo[] = [];
    let marker: string | undefined;
    do {
      const out = await callS3(upload, () =>
        this.client.send(
          new ListPartsCommand({
            Bucket: upload.bucket,
            Key: upload.key,
            UploadId: upload.uploadId,
            PartNumberMarker: marker,
          }),
        ),
      );
      for (const p of out.Parts ?? []) {
        parts.push({
          partNumber: p.PartNumber ?? 0,
          etag: p.ETag ?? '',
          size: p.Size ?? 0,
          lastModified: p.LastModified ?? new Date(0),
        });
      }
      marker = out.IsTruncated ? out.NextPartNumberMarker : undefined;
    } while (marker);
    return parts;
  }

  async complete(upload: UploadRef, parts: readonly CompletedPart[]): Promise<PutObjectResult> {
    const out = await callS3(upload, () =>
      this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: upload.bucket,
          Key: upload.key,
          UploadId: upload.uploadId,
          MultipartUpload: {
            Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
          },
        }),
      ),
    );
    const completed = await this.head(upload.bucket, upload.key);
    return { etag: out.ETag ?? completed.etag, size: completed.size };
  }

  async abort(upload: UploadRef): Promise<void> {
    await callS3(upload, () =>
      this.client.send(
        new AbortMultipartUploadCommand({
          Bucket: upload.bucket,
          Key: upload.key,
          UploadId: upload.uploadId,
        }),
      ),
    );
  }
}
