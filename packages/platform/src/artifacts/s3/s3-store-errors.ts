import {
  BucketAlreadyExistsError,
  BucketAlreadyOwnedByYouError,
  BucketNotEmptyError,
  EntityTooSmallError,
  InvalidArgumentError,
  InvalidBucketNameError,
  InvalidObjectKeyError,
  InvalidPartError,
  InvalidPartOrderError,
  InvalidRangeError,
  NoSuchBucketError,
  NoSuchKeyError,
  NoSuchUploadError,
  type ObjectStoreError,
} from '../errors.js';

/** What the S3 call was about, to fill in the fields of the error it may turn into. */
export interface ErrorSubject {
  readonly bucket?: string;
  readonly key?: string;
  readonly uploadId?: string;
}

/**
 * Turns an error from `@aws-sdk/client-s3` into the port's error with the same meaning, or
 * returns it unchanged (network failures, access denied...). A HEAD's 404 carries no code and
 * arrives as `NotFound`; `notFound` says what it means for the call at hand.
 */
export function toStoreError(
  error: unknown,
  subject: ErrorSubject,
  notFound?: () => Error,
): unknown {
  if (!(error instanceof Error)) return error;
  const fields = error as unknown as Record<string, unknown>;
  const bucket = subject.bucket ?? '';
  const key = subject.key ?? '';
  const mapped: ObjectStoreError | Error | undefined = (() => {
    switch (error.name) {
      case 'NoSuchBucket':
        return new NoSuchBucketError(bucket);
      case 'NoSuchKey':
        return new NoSuchKeyError(bucket, key);
      case 'NotFound':
        return notFound?.();
      case 'BucketNotEmpty':
        return new BucketNotEmptyError(bucket);
      case 'BucketAlreadyOwnedByYou':
        return new BucketAlreadyOwnedByYouError(bucket);
      case 'BucketAlreadyExists':
        return new BucketAlreadyExistsError(bucket);
      case 'NoSuchUpload':
        return new NoSuchUploadError(subject.uploadId ?? '');
      case 'InvalidPart':
        return new InvalidPartError(error.message);
      case 'InvalidPartOrder':
        return new InvalidPartOrderError();
      case 'EntityTooSmall':
        return new EntityTooSmallError(
          Number(fields.PartNumber ?? 0),
          Number(fields.ProposedSize ?? 0),
        );
      case 'InvalidRange':
        return new InvalidRangeError(Number(fields.ActualObjectSize ?? 0));
      case 'InvalidBucketName':
        return new InvalidBucketNameError(bucket, 'is rejected by the S3 service');
      case 'KeyTooLongError':
        return new InvalidObjectKeyError(key, 'it is too long');
      case 'InvalidArgument':
        return new InvalidArgumentError(
          error.message,
          typeof fields.ArgumentName === 'string' ? fields.ArgumentName : '',
        );
      default:
        return undefined;
    }
  })();
  return mapped ?? error;
}

/**
 * Runs one S3 call and turns its failure into the port's error. `notFound` resolves a HEAD's
 * bare 404, which does not say whether the bucket or the key is missing.
 */
export async function callS3<T>(
  subject: ErrorSubject,
  send: () => Promise<T>,
  notFound?: () => Promise<Error>,
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const resolved =
      notFound && (error as Error).name === 'NotFound' ? await notFound() : undefined;
    throw resolved ?? toStoreError(error, subject);
  }
}
