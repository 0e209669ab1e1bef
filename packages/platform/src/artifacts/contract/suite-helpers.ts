import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import type { ObjectStoreErrorCode } from '../errors.js';
import type { ObjectStore } from '../object-store.js';

/** The contract every `ObjectStore` adapter must meet; run by each adapter's test file. */
export interface ContractTarget {
  /** A store to test; buckets created by one test are never reused by another. */
  readonly store: () => ObjectStore;
}

let bucketCounter = 0;
/** A bucket name no other test uses. */
export function uniqueBucket(): string {
  return `t-${process.pid}-${Date.now().toString(36)}-${bucketCounter++}`;
}

/** Reads a stream to a Buffer. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The S3 ETag of bytes stored in one piece. */
export function md5Etag(bytes: Buffer | string): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}

/** Expects `promise` to reject with an ObjectStoreError of `code`. */
export async function expectCode(
  promise: Promise<unknown>,
  code: ObjectStoreErrorCode,
): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

/** A body stream of the given bytes. */
export const bodyOf = (data: Buffer | string): Readable => Readable.from([Buffer.from(data)]);

/** A new bucket holding `objects` (key -> text). */
export async function bucketWith(
  store: ObjectStore,
  objects: Record<string, string> = {},
): Promise<string> {
  const bucket = uniqueBucket();
  await store.createBucket(bucket);
  for (const [key, value] of Object.entries(objects)) {
    await store.putObject({
      bucket,
      key,
      body: bodyOf(value),
      contentLength: Buffer.byteLength(value),
    });
  }
  return bucket;
}

/** The keys of the first page of a listing. */
export async function keysOf(store: ObjectStore, bucket: string, options = {}): Promise<string[]> {
  return (await store.listObjects(bucket, options)).objects.map((o) => o.key);
}
