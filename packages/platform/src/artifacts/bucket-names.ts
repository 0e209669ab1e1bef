import { InvalidBucketNameError } from './errors.js';

/**
 * Why `name` is not a valid S3 bucket name (general purpose buckets), or undefined when it is:
 * 3-63 characters of lower-case letters, digits, dots and hyphens, starting and ending with a
 * letter or digit, no `..`, not shaped like an IP address, none of S3's reserved affixes.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be between 3 and 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name))
    return 'may only contain lower-case letters, digits, dots and hyphens';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name))
    return 'must start and end with a letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent dots';
  if (name.includes('.-') || name.includes('-.')) return 'must not contain a dot next to a hyphen';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'must not be formatted as an IP address';
  if (name.startsWith('xn--') || name.startsWith('sthree-'))
    return 'must not start with a reserved prefix';
  if (
    name.endsWith('-s3alias') ||
    name.endsWith('--ol-s3') ||
    name.endsWith('.mrap') ||
    name.endsWith('--x-s3')
  ) {
    return 'must not end with a reserved suffix';
  }
  return undefined;
}

/** Throws `InvalidBucketNameError` unless `name` is a valid bucket name. */
export function assertValidBucketName(name: string): void {
  const problem = bucketNameProblem(name);
  if (problem) throw new InvalidBucketNameError(name, problem);
}
