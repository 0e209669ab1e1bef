import type { IncomingHttpHeaders } from 'node:http';
import type {
  ByteRange,
  ObjectHeaders,
  ObjectInfo,
  ObjectWriteOptions,
} from '../../artifacts/object-store.js';
import { CHECKSUM_HEADERS } from './checksums.js';
import type { S3Context } from './s3-context.js';
import { S3Error } from './s3-errors.js';

/** Largest total size of user metadata names and values, as S3. */
const MAX_METADATA_BYTES = 2 * 1024;

const STORED_HEADERS: readonly [keyof ObjectHeaders, string][] = [
  ['cacheControl', 'cache-control'],
  ['contentDisposition', 'content-disposition'],
  ['contentEncoding', 'content-encoding'],
  ['contentLanguage', 'content-language'],
  ['expires', 'expires'],
];

/** The GetObject query parameters that override a response header (used by presigned links). */
const RESPONSE_OVERRIDES: readonly [string, string][] = [
  ['response-content-type', 'content-type'],
  ['response-content-language', 'content-language'],
  ['response-expires', 'expires'],
  ['response-cache-control', 'cache-control'],
  ['response-content-disposition', 'content-disposition'],
  ['response-content-encoding', 'content-encoding'],
];

/** Content type, user metadata (`x-amz-meta-*`) and stored headers of a PUT or CreateMultipartUpload. */
export function writeOptionsFromHeaders(headers: IncomingHttpHeaders): ObjectWriteOptions {
  const metadata: Record<string, string> = {};
  let metadataBytes = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('x-amz-meta-') || value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : value;
    metadata[name.slice('x-amz-meta-'.length)] = text;
    metadataBytes += name.length - 'x-amz-meta-'.length + Buffer.byteLength(text);
  }
  if (metadataBytes > MAX_METADATA_BYTES) {
    throw new S3Error(
      'MetadataTooLarge',
      'Your metadata headers exceed the maximum allowed metadata size.',
      {
        Size: String(metadataBytes),
        MaxSizeAllowed: String(MAX_METADATA_BYTES),
      },
    );
  }
  const stored: Record<string, string> = {};
  for (const [field, name] of STORED_HEADERS) {
    let value = single(headers[name]);
    // aws-chunked describes this request's framing, not the object: S3 does not keep it.
    if (field === 'contentEncoding' && value !== undefined) {
      value =
        value
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v && v.toLowerCase() !== 'aws-chunked')
          .join(',') || undefined;
    }
    if (value !== undefined) stored[field] = value;
  }
  const contentType = single(headers['content-type']);
  return { ...(contentType ? { contentType } : {}), metadata, headers: stored };
}

/**
 * Sets the headers S3 sends with an object on GET and HEAD. The checksum is sent only when the
 * client asked (`x-amz-checksum-mode: ENABLED`) and the whole object is returned, since it
 * describes the whole object.
 */
export function setObjectHeaders(context: S3Context, info: ObjectInfo, ranged: boolean): void {
  const reply = context.reply;
  reply.header('last-modified', info.lastModified.toUTCString());
  reply.header('etag', info.etag);
  reply.header('accept-ranges', 'bytes');
  reply.header('content-type', info.contentType);
  for (const [field, name] of STORED_HEADERS) {
    const value = info.headers[field];
    if (value !== undefined) reply.header(name, value);
  }
  for (const [name, value] of Object.entries(info.metadata))
    reply.header(`x-amz-meta-${name}`, value);
  const checksumMode = single(context.request.headers['x-amz-checksum-mode']);
  if (info.checksum && !ranged && checksumMode?.toUpperCase() === 'ENABLED') {
    reply.header(CHECKSUM_HEADERS[info.checksum.algorithm], info.checksum.value);
    reply.header('x-amz-checksum-type', 'FULL_OBJECT');
  }
  for (const [parameter, name] of RESPONSE_OVERRIDES) {
    const value = context.query.get(parameter);
    if (value !== null) reply.header(name, value);
  }
}

/**
 * Parses a `Range` header. As S3, a header it cannot use (not bytes, several ranges, bad
 * numbers) is ignored and the whole object is returned.
 */
export function parseRange(value: string | undefined): ByteRange | undefined {
  const match = value ? /^bytes=(\d*)-(\d*)$/.exec(value.trim()) : null;
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') return { suffixLength: Number(last) };
  if (last === '') return { start: Number(first) };
  if (Number(last) < Number(first)) return undefined;
  return { start: Number(first), end: Number(last) };
}

/**
 * Evaluates `If-Match`, `If-Unmodified-Since`, `If-None-Match` and `If-Modified-Since` as
 * HTTP (and S3) do: 412 when a precondition fails, 304 when the client's copy is current.
 */
export function checkConditions(headers: IncomingHttpHeaders, info: ObjectInfo): 200 | 304 | 412 {
  const modified = Math.floor(info.lastModified.getTime() / 1000);
  const ifMatch = single(headers['if-match']);
  const ifUnmodifiedSince = httpDate(headers['if-unmodified-since']);
  if (ifMatch !== undefined) {
    if (!etagListMatches(ifMatch, info.etag)) return 412;
  } else if (ifUnmodifiedSince !== undefined && modified > ifUnmodifiedSince) {
    return 412;
  }
  const ifNoneMatch = single(headers['if-none-match']);
  const ifModifiedSince = httpDate(headers['if-modified-since']);
  if (ifNoneMatch !== undefined) {
    if (etagListMatches(ifNoneMatch, info.etag)) return 304;
  } else if (ifModifiedSince !== undefined && modified <= ifModifiedSince) {
    return 304;
  }
  return 200;
}

/** Whether an `If-Match`/`If-None-Match` list names `etag` (or is `*`). */
export function etagListMatches(list: string, etag: string): boolean {
  const bare = etag.replace(/^"|"$/g, '');
  return list.split(',').some((item) => {
    const candidate = item.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return candidate === '*' || candidate === bare;
  });
}

function httpDate(value: string | string[] | undefined): number | undefined {
  const text = single(value);
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : Math.floor(time / 1000);
}

/** The first value of a header. */
export function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
