// Objects in Plinth's S3 API through the real @aws-sdk/client-s3: uploads, reads and listings
// the benchmarks use to feed jobs and check what they wrote.
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';

/** Bucket and key of an `s3://bucket/key` URI. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri) ?? [];
  if (!bucket || key === undefined) throw new Error(`not an S3 URI: ${uri}`);
  return { bucket, key };
}

export async function createBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Puts bytes (or a local file's bytes) at `s3://bucket/key`; returns the URI. */
export async function putObject(
  s3: S3Client,
  uri: string,
  body: { file: string } | { bytes: Uint8Array | string },
): Promise<string> {
  const { bucket, key } = parseS3Uri(uri);
  const bytes = 'file' in body ? await readFile(body.file) : body.bytes;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
  return uri;
}

export async function getBytes(s3: S3Client, uri: string): Promise<Uint8Array> {
  const { bucket, key } = parseS3Uri(uri);
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return object.Body!.transformToByteArray();
}

export async function getText(s3: S3Client, uri: string): Promise<string> {
  return Buffer.from(await getBytes(s3, uri)).toString('utf8');
}

/** An object in a listing. */
export interface Listed {
  readonly key: string;
  readonly lastModified: Date;
}

/** Every object under `s3://bucket/prefix`, all pages of ListObjectsV2. */
export async function listObjects(s3: S3Client, prefixUri: string): Promise<Listed[]> {
  const { bucket, key: prefix } = parseS3Uri(prefixUri);
  const found: Listed[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) found.push({ key: o.Key!, lastModified: o.LastModified! });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return found;
}
