import { fileURLToPath } from 'node:url';
import { FileObjectStore } from './file/file-object-store.js';
import type { ObjectStore } from './object-store.js';

/** Where the S3 adapter connects when the store URL is `s3://`. */
export interface OpenObjectStoreOptions {
  /** An S3-compatible endpoint (MinIO, another Plinth); empty or absent for AWS S3 itself. */
  readonly s3Endpoint?: string;
  readonly region: string;
}

/**
 * Opens the object store a URL names: `file:///abs/dir` keeps buckets as folders under that
 * directory, `s3://` uses S3 (credentials from the usual AWS chain) or, with `s3Endpoint`, an
 * S3-compatible service addressed path-style. Anything else throws. The S3 SDK is loaded only
 * when used: it is most of a second's start-up cost that the default install does not need.
 */
export async function openObjectStore(
  url: string,
  options: OpenObjectStoreOptions,
): Promise<ObjectStore> {
  if (url.startsWith('file:')) return new FileObjectStore(fileURLToPath(url));
  if (url.startsWith('s3:')) {
    const [{ S3Client }, { S3ObjectStore }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('./s3/s3-object-store.js'),
    ]);
    const endpoint = options.s3Endpoint || undefined;
    const client = new S3Client({
      region: options.region,
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    });
    return new S3ObjectStore(client);
  }
  throw new Error(`Unsupported object store URL '${url}': use file:///absolute/dir or s3://.`);
}
