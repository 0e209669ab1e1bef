import type { AuthenticationFailure } from '../../core/errors.js';
import { AuthenticationError } from '../../core/errors.js';
import { ObjectStoreError, type ObjectStoreErrorCode } from '../../artifacts/errors.js';
import { MIN_PART_SIZE } from '../../artifacts/object-store.js';

/** The HTTP status of each S3 error code this API answers with. */
const STATUS = {
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  BadDigest: 400,
  BucketAlreadyExists: 409,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidDigest: 400,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  InvalidRange: 416,
  InvalidRequest: 400,
  InvalidURI: 400,
  KeyTooLongError: 400,
  MalformedXML: 400,
  MetadataTooLarge: 400,
  MethodNotAllowed: 405,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NoSuchUpload: 404,
  NotImplemented: 501,
  PreconditionFailed: 412,
  SignatureDoesNotMatch: 403,
  XAmzContentSHA256Mismatch: 400,
} as const;

/** An S3 error code this API may answer with. */
export type S3ErrorCode = keyof typeof STATUS;

/** An error as S3 reports it: a code, its HTTP status, a message and extra elements of `<Error>`. */
export class S3Error extends Error {
  readonly status: number;

  constructor(
    readonly code: S3ErrorCode,
    message: string,
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'S3Error';
    this.status = STATUS[code];
  }
}

const AUTH_ERRORS: Record<AuthenticationFailure, [S3ErrorCode, string | undefined]> = {
  MissingAuthentication: ['AccessDenied', undefined],
  UnknownAccessKey: [
    'InvalidAccessKeyId',
    'The AWS Access Key Id you provided does not exist in our records.',
  ],
  SignatureMismatch: [
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  ],
  RequestExpired: ['AccessDenied', 'Request has expired'],
  MalformedAuthorization: ['AuthorizationHeaderMalformed', undefined],
};

const STORE_ERRORS: Record<ObjectStoreErrorCode, S3ErrorCode> = {
  NoSuchBucket: 'NoSuchBucket',
  NoSuchKey: 'NoSuchKey',
  BucketNotEmpty: 'BucketNotEmpty',
  BucketAlreadyOwnedByYou: 'BucketAlreadyOwnedByYou',
  BucketAlreadyExists: 'BucketAlreadyExists',
  NoSuchUpload: 'NoSuchUpload',
  InvalidPart: 'InvalidPart',
  InvalidPartOrder: 'InvalidPartOrder',
  EntityTooSmall: 'EntityTooSmall',
  InvalidRange: 'InvalidRange',
  InvalidBucketName: 'InvalidBucketName',
  InvalidObjectKey: 'InvalidArgument',
  InvalidArgument: 'InvalidArgument',
};

const STANDARD_MESSAGES: Partial<Record<S3ErrorCode, string>> = {
  NoSuchBucket: 'The specified bucket does not exist',
  NoSuchKey: 'The specified key does not exist.',
  NoSuchUpload:
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  BucketNotEmpty: 'The bucket you tried to delete is not empty',
  InvalidRange: 'The requested range is not satisfiable',
};

/**
 * The S3 error for anything a handler threw: S3Errors as they are, authentication and object
 * store errors by the tables above, anything else an `InternalError` (undefined is returned
 * so the caller logs it).
 */
export function toS3Error(error: unknown): S3Error | undefined {
  if (error instanceof S3Error) return error;
  if (error instanceof AuthenticationError) {
    const [code, message] = AUTH_ERRORS[error.failure];
    return new S3Error(code, message ?? error.message);
  }
  if (error instanceof ObjectStoreError) return fromStoreError(error);
  return undefined;
}

function fromStoreError(error: ObjectStoreError): S3Error {
  const code = STORE_ERRORS[error.code];
  const message = STANDARD_MESSAGES[code] ?? error.message;
  const fields: Record<string, string> = {};
  const details = error as unknown as Record<string, unknown>;
  if (typeof details.bucket === 'string') fields.BucketName = details.bucket;
  if (typeof details.key === 'string' && error.code === 'NoSuchKey') fields.Key = details.key;
  if (typeof details.uploadId === 'string') fields.UploadId = details.uploadId;
  if (typeof details.partNumber === 'number') fields.PartNumber = String(details.partNumber);
  if (error.code === 'InvalidRange') fields.ActualObjectSize = String(details.objectSize);
  if (error.code === 'EntityTooSmall') {
    fields.ProposedSize = String(details.size);
    fields.MinSizeAllowed = String(MIN_PART_SIZE);
  }
  if (typeof details.argument === 'string' && details.argument)
    fields.ArgumentName = details.argument;
  return new S3Error(code, message, fields);
}
