/**
 * Errors of the object store port. Each carries a stable `code` named after the S3 error it
 * corresponds to, so the S3 API maps them one to one and services can tell them apart
 * without knowing which backend is in use.
 */
export type ObjectStoreErrorCode =
  | 'NoSuchBucket'
  | 'NoSuchKey'
  | 'BucketNotEmpty'
  | 'BucketAlreadyOwnedByYou'
  | 'BucketAlreadyExists'
  | 'NoSuchUpload'
  | 'InvalidPart'
  | 'InvalidPartOrder'
  | 'EntityTooSmall'
  | 'InvalidRange'
  | 'InvalidBucketName'
  | 'InvalidObjectKey'
  | 'InvalidArgument';

/** Base class of every error an `ObjectStore` throws on purpose. */
export abstract class ObjectStoreError extends Error {
  abstract readonly code: ObjectStoreErrorCode;
}

/** The bucket does not exist. */
export class NoSuchBucketError extends ObjectStoreError {
  readonly code = 'NoSuchBucket';
  constructor(readonly bucket: string) {
    super(`The specified bucket does not exist: ${bucket}`);
    this.name = 'NoSuchBucketError';
  }
}

/** The object does not exist in the bucket. */
export class NoSuchKeyError extends ObjectStoreError {
  readonly code = 'NoSuchKey';
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super(`The specified key does not exist: ${bucket}/${key}`);
    this.name = 'NoSuchKeyError';
  }
}

/** A bucket can only be deleted once it holds no objects. */
export class BucketNotEmptyError extends ObjectStoreError {
  readonly code = 'BucketNotEmpty';
  constructor(readonly bucket: string) {
    super(`The bucket you tried to delete is not empty: ${bucket}`);
    this.name = 'BucketNotEmptyError';
  }
}

/** The bucket to create exists already and belongs to the caller. */
export class BucketAlreadyOwnedByYouError extends ObjectStoreError {
  readonly code = 'BucketAlreadyOwnedByYou';
  constructor(readonly bucket: string) {
    super(
      `Your previous request to create the named bucket succeeded and you already own it: ${bucket}`,
    );
    this.name = 'BucketAlreadyOwnedByYouError';
  }
}

/** The bucket name is taken by another account (only a shared backend such as AWS S3 says so). */
export class BucketAlreadyExistsError extends ObjectStoreError {
  readonly code = 'BucketAlreadyExists';
  constructor(readonly bucket: string) {
    super(`The requested bucket name is not available: ${bucket}`);
    this.name = 'BucketAlreadyExistsError';
  }
}

/** The multipart upload does not exist: never created, already completed, or aborted. */
export class NoSuchUploadError extends ObjectStoreError {
  readonly code = 'NoSuchUpload';
  constructor(readonly uploadId: string) {
    super(`The specified multipart upload does not exist: ${uploadId}`);
    this.name = 'NoSuchUploadError';
  }
}

/** A part named in a multipart completion was not uploaded, or its ETag does not match. */
export class InvalidPartError extends ObjectStoreError {
  readonly code = 'InvalidPart';
  constructor(
    message: string,
    readonly partNumber?: number,
  ) {
    super(message);
    this.name = 'InvalidPartError';
  }
}

/** The parts of a multipart completion are not in ascending part-number order. */
export class InvalidPartOrderError extends ObjectStoreError {
  readonly code = 'InvalidPartOrder';
  constructor() {
    super('The list of parts was not in ascending order. Parts must be ordered by part number.');
    this.name = 'InvalidPartOrderError';
  }
}

/** A part other than the last of a multipart upload is smaller than the 5 MiB minimum. */
export class EntityTooSmallError extends ObjectStoreError {
  readonly code = 'EntityTooSmall';
  constructor(
    readonly partNumber: number,
    readonly size: number,
  ) {
    super(
      `Your proposed upload is smaller than the minimum allowed object size: part ${partNumber} has ${size} bytes and only the last part may be smaller than 5 MiB.`,
    );
    this.name = 'EntityTooSmallError';
  }
}

/** The requested byte range starts at or beyond the end of the object. */
export class InvalidRangeError extends ObjectStoreError {
  readonly code = 'InvalidRange';
  constructor(readonly objectSize: number) {
    super(`The requested range is not satisfiable: the object has ${objectSize} bytes.`);
    this.name = 'InvalidRangeError';
  }
}

/** The bucket name breaks S3's naming rules. */
export class InvalidBucketNameError extends ObjectStoreError {
  readonly code = 'InvalidBucketName';
  constructor(
    readonly bucket: string,
    readonly rule: string,
  ) {
    super(`The specified bucket is not valid: '${bucket}' ${rule}.`);
    this.name = 'InvalidBucketNameError';
  }
}

/** The object key is empty, too long, or cannot be stored by this backend. */
export class InvalidObjectKeyError extends ObjectStoreError {
  readonly code = 'InvalidObjectKey';
  constructor(
    readonly key: string,
    readonly rule: string,
  ) {
    super(`The object key is not valid: ${rule}.`);
    this.name = 'InvalidObjectKeyError';
  }
}

/** Another argument (part number, page size, token) is out of range or malformed. */
export class InvalidArgumentError extends ObjectStoreError {
  readonly code = 'InvalidArgument';
  constructor(
    message: string,
    readonly argument: string,
  ) {
    super(message);
    this.name = 'InvalidArgumentError';
  }
}

/** Whether `error` is an `ObjectStoreError` with the given code. */
export function isObjectStoreError(
  error: unknown,
  code?: ObjectStoreErrorCode,
): error is ObjectStoreError {
  return error instanceof ObjectStoreError && (code === undefined || error.code === code);
}
