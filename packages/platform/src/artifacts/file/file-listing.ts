import { InvalidArgumentError } from '../errors.js';
import {
  MAX_LIST_KEYS,
  type ListObjectsOptions,
  type ListObjectsPage,
  type ObjectSummary,
} from '../object-store.js';
import { walkKeys, type WalkBounds, type WalkedKey } from './list-walk.js';

/** Reads what a listing shows of one key, or undefined if it vanished meanwhile. */
export type DescribeKey = (found: WalkedKey) => Promise<ObjectSummary | undefined>;

/** How many sidecars a page reads at once. */
const DESCRIBE_CONCURRENCY = 32;

/**
 * One page of a listing of the bucket folder `bucketDir`, as S3's ListObjectsV2: keys and
 * common prefixes merged in UTF-8 order, `maxKeys` of them, with a token that resumes after the
 * last. Only the keys on the page are described (stat + sidecar).
 */
export async function listPage(
  bucketDir: string,
  options: ListObjectsOptions,
  describe: DescribeKey,
): Promise<ListObjectsPage> {
  const prefix = options.prefix ?? '';
  const delimiter = options.delimiter === '' ? undefined : options.delimiter;
  const maxKeys = options.maxKeys ?? MAX_LIST_KEYS;
  if (!Number.isInteger(maxKeys) || maxKeys < 0) {
    throw new InvalidArgumentError('MaxKeys must be a non-negative integer.', 'MaxKeys');
  }
  const after =
    options.continuationToken !== undefined
      ? decodeToken(options.continuationToken)
      : options.startAfter || undefined;
  const bounds: WalkBounds = { prefix, after };
  // Resuming after a common prefix: none of the keys it rolled up may come back.
  if (
    after !== undefined &&
    delimiter !== undefined &&
    commonPrefixOf(after, prefix, delimiter) === after
  ) {
    bounds.skipPrefix = after;
  }
  const limit = Math.min(maxKeys, MAX_LIST_KEYS);
  const found: WalkedKey[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let isTruncated = false;
  if (limit > 0) {
    for await (const walked of walkKeys(bucketDir, '', bounds)) {
      const common =
        delimiter === undefined ? undefined : commonPrefixOf(walked.key, prefix, delimiter);
      if (found.length + commonPrefixes.length === limit) {
        isTruncated = true;
        break;
      }
      if (common === undefined) {
        found.push(walked);
        last = walked.key;
      } else {
        commonPrefixes.push(common);
        last = common;
        bounds.skipPrefix = common;
      }
    }
  }
  const objects = await describeAll(found, describe);
  return {
    objects,
    commonPrefixes,
    isTruncated,
    ...(isTruncated && last !== undefined ? { nextContinuationToken: encodeToken(last) } : {}),
    ...(last !== undefined ? { lastEntry: last } : {}),
  };
}

/** The common prefix `key` rolls up into, or undefined when it is listed as itself. */
export function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

async function describeAll(
  found: readonly WalkedKey[],
  describe: DescribeKey,
): Promise<ObjectSummary[]> {
  const results: (ObjectSummary | undefined)[] = new Array<ObjectSummary | undefined>(found.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < found.length) {
      const index = next++;
      const walked = found[index];
      if (walked) results[index] = await describe(walked);
    }
  };
  await Promise.all(Array.from({ length: Math.min(DESCRIBE_CONCURRENCY, found.length) }, worker));
  return results.filter((r): r is ObjectSummary => r !== undefined);
}

const TOKEN_PREFIX = 'p1:';

function encodeToken(after: string): string {
  return Buffer.from(TOKEN_PREFIX + after, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(token)
    ? Buffer.from(token, 'base64url').toString('utf8')
    : '';
  if (!text.startsWith(TOKEN_PREFIX)) {
    throw new InvalidArgumentError(
      'The continuation token provided is incorrect.',
      'ContinuationToken',
    );
  }
  return text.slice(TOKEN_PREFIX.length);
}
