import { ValidationError } from '../core/errors.js';
import { bucketNameProblem } from './bucket-names.js';

/** A bucket and a key (or key prefix; may be empty) named by an `s3://bucket/key` URI. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/**
 * Parses `s3://bucket/key/with/any chars`. As in SageMaker and the AWS CLI the key is taken
 * literally (no percent-decoding) and may be empty (`s3://bucket` or `s3://bucket/`).
 * Throws `ValidationError` naming `field` when the URI is not an S3 URI with a valid bucket.
 */
export function parseS3Uri(uri: string, field = 'S3Uri'): S3Location {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/s.exec(uri);
  if (!match) {
    throw new ValidationError(`${field} must look like s3://bucket/key, got '${uri}'.`, field);
  }
  const bucket = match[1] ?? '';
  const problem = bucketNameProblem(bucket);
  if (problem) {
    throw new ValidationError(
      `${field} names an invalid bucket '${bucket}': it ${problem}.`,
      field,
    );
  }
  return { bucket, key: match[2] ?? '' };
}

/** The `s3://bucket/key` URI of a location. */
export function formatS3Uri(location: S3Location): string {
  return `s3://${location.bucket}/${location.key}`;
}
