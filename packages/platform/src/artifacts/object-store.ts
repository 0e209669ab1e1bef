import type { Readable } from 'node:stream';

/** A bucket and when it was created. */
export interface BucketInfo {
  readonly name: string;
  readonly creationDate: Date;
}

/** S3's additional checksum algorithms (`x-amz-checksum-*`). */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

/** A checksum a client supplied for an object: the algorithm and the base64 digest. */
export interface ObjectChecksum {
  readonly algorithm: ChecksumAlgorithm;
  readonly value: string;
}

/** Standard HTTP headers S3 keeps with an object ("system-defined metadata") and returns on GET. */
export interface ObjectHeaders {
  readonly cacheControl?: string;
  readonly contentDisposition?: string;
  readonly contentEncoding?: string;
  readonly contentLanguage?: string;
  readonly expires?: string;
}

/** What is written with an object besides its bytes. */
export interface ObjectWriteOptions {
  /** Defaults to `binary/octet-stream`, as S3. */
  readonly contentType?: string;
  /** User metadata (`x-amz-meta-<name>`), names in lower case. */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly headers?: ObjectHeaders;
}

/** Input of `ObjectStore.putObject`. */
export interface PutObjectInput extends ObjectWriteOptions {
  readonly bucket: string;
  readonly key: string;
  /** The object's bytes, read once to the end; if it errors nothing is stored. */
  readonly body: Readable;
  /** The body's length when known. Backends that must declare it up front (S3) spool the body otherwise. */
  readonly contentLength?: number;
  /**
   * A checksum to keep with the object. A function is called once the body has been read to the
   * end, because S3 clients send it as a trailer after the bytes (aws-chunked encoding).
   */
  readonly checksum?: ObjectChecksum | (() => ObjectChecksum | undefined);
}

/** The outcome of writing an object. */
export interface PutObjectResult {
  /** Quoted, as S3: `"<md5 hex>"`, or `"<hex>-<parts>"` for multipart uploads. */
  readonly etag: string;
  readonly size: number;
}

/** What a listing says about an object. */
export interface ObjectSummary {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: Date;
}

/** Everything known about an object except its bytes. */
export interface ObjectInfo extends ObjectSummary {
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly headers: ObjectHeaders;
  readonly checksum?: ObjectChecksum;
}

/** `{ start, end? }` (inclusive, end defaults to the last byte) or the last `suffixLength` bytes. */
export type ByteRange =
  { readonly start: number; readonly end?: number } | { readonly suffixLength: number };

/** An object being read: its description, the bytes returned and, for a range, which ones. */
export interface ObjectContent extends ObjectInfo {
  readonly body: Readable;
  /** Inclusive byte positions returned when a range was asked for. */
  readonly range?: { readonly start: number; readonly end: number };
  /** Number of bytes in `body`. */
  readonly contentLength: number;
}

/** Input of `ObjectStore.listObjects`. Keys come back in UTF-8 binary order, as S3. */
export interface ListObjectsOptions {
  readonly prefix?: string;
  /** Keys whose remainder after `prefix` contains it are rolled up into one common prefix. */
  readonly delimiter?: string;
  /** List only keys (and common prefixes) after this one. */
  readonly startAfter?: string;
  /** The `nextContinuationToken` of a previous page; takes precedence over `startAfter`. */
  readonly continuationToken?: string;
  /** Keys plus common prefixes per page, 0 to 1000; defaults to 1000. */
  readonly maxKeys?: number;
}

/** One page of a listing. */
export interface ListObjectsPage {
  readonly objects: readonly ObjectSummary[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  /** Present when `isTruncated`: pass it back to get the next page. */
  readonly nextContinuationToken?: string;
  /** The last key or common prefix of this page (what ListObjects v1 calls NextMarker). */
  readonly lastEntry?: string;
}

/** One uploaded part of a multipart upload. */
export interface PartInfo {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** A part as named by the client when completing an upload. */
export interface CompletedPart {
  readonly partNumber: number;
  /** Quoted or not; compared without the quotes. */
  readonly etag: string;
}

/** Identifies a multipart upload. */
export interface UploadRef {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
}

/** Input of `ObjectStore.uploadPart`. */
export interface UploadPartInput extends UploadRef {
  /** 1 to 10000. */
  readonly partNumber: number;
  readonly body: Readable;
  readonly contentLength?: number;
}

/** Smallest size of every part but the last, as S3. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** Largest part number, as S3. */
export const MAX_PART_NUMBER = 10_000;
/** Longest key in bytes of UTF-8, as S3. */
export const MAX_KEY_BYTES = 1024;
/** Default and largest page of a listing, as S3. */
export const MAX_LIST_KEYS = 1000;

/**
 * Where Plinth keeps objects (training data, model artifacts, outputs): S3's data model of
 * buckets holding keyed byte streams with metadata, multipart uploads included. Adapters:
 * local files (the default) and S3 itself. Failures are `ObjectStoreError`s (artifacts/errors).
 */
export interface ObjectStore {
  /** Creates a bucket; `BucketAlreadyOwnedByYou` if it exists, `InvalidBucketName` if misnamed. */
  createBucket(bucket: string): Promise<void>;
  bucketExists(bucket: string): Promise<boolean>;
  /** All buckets, sorted by name. */
  listBuckets(): Promise<BucketInfo[]>;
  /** Deletes an empty bucket (and any unfinished multipart uploads in it); `BucketNotEmpty` otherwise. */
  deleteBucket(bucket: string): Promise<void>;

  /** Writes (or replaces) an object atomically: readers see the old or the new bytes, never a mix. */
  putObject(input: PutObjectInput): Promise<PutObjectResult>;
  /** Opens an object for reading, whole or a byte range; the caller must consume or destroy `body`. */
  getObject(bucket: string, key: string, options?: { range?: ByteRange }): Promise<ObjectContent>;
  headObject(bucket: string, key: string): Promise<ObjectInfo>;
  /** Deletes an object; deleting one that does not exist succeeds, as S3. */
  deleteObject(bucket: string, key: string): Promise<void>;
  /**
   * Copies an object. Without `replace` the copy keeps the source's content type, metadata,
   * headers and checksum; with it, those given in `replace` are used instead.
   */
  copyObject(
    source: { bucket: string; key: string },
    target: { bucket: string; key: string },
    replace?: ObjectWriteOptions,
  ): Promise<ObjectSummary>;
  listObjects(bucket: string, options?: ListObjectsOptions): Promise<ListObjectsPage>;

  /** Starts a multipart upload and returns its id. */
  createMultipartUpload(bucket: string, key: string, options?: ObjectWriteOptions): Promise<string>;
  /** Stores one part (replacing an earlier one with the same number) and returns its quoted ETag. */
  uploadPart(input: UploadPartInput): Promise<{ etag: string; size: number }>;
  /** The parts uploaded so far, by part number. */
  listParts(upload: UploadRef): Promise<PartInfo[]>;
  /**
   * Joins the named parts, in ascending part-number order, into the object and ends the upload.
   * `InvalidPart`, `InvalidPartOrder` and `EntityTooSmall` as S3; the upload stays open then.
   */
  completeMultipartUpload(
    upload: UploadRef,
    parts: readonly CompletedPart[],
  ): Promise<PutObjectResult>;
  /** Ends the upload and discards its parts; `NoSuchUpload` if it is not open. */
  abortMultipartUpload(upload: UploadRef): Promise<void>;
}
