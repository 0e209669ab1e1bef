import type { HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import type {
  ChecksumAlgorithm,
  ObjectChecksum,
  ObjectHeaders,
  ObjectInfo,
  ObjectWriteOptions,
} from '../object-store.js';

const CHECKSUM_FIELDS = {
  CRC32: 'ChecksumCRC32',
  CRC32C: 'ChecksumCRC32C',
  CRC64NVME: 'ChecksumCRC64NVME',
  SHA1: 'ChecksumSHA1',
  SHA256: 'ChecksumSHA256',
} as const satisfies Record<ChecksumAlgorithm, string>;

type ChecksumField = (typeof CHECKSUM_FIELDS)[ChecksumAlgorithm];

/** The SDK input fields that send a known checksum (S3 then verifies it). */
export function checksumFields(
  checksum: ObjectChecksum | undefined,
): Partial<Record<ChecksumField, string>> {
  return checksum ? { [CHECKSUM_FIELDS[checksum.algorithm]]: checksum.value } : {};
}

/** The SDK input fields of an object's content type, metadata and standard headers. */
export function writeParams(options: ObjectWriteOptions): {
  ContentType: string;
  Metadata?: Record<string, string>;
  CacheControl?: string;
  ContentDisposition?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  Expires?: Date;
} {
  const headers = options.headers ?? {};
  const expires = headers.expires ? new Date(headers.expires) : undefined;
  return {
    // As S3 itself: an object stored without a type is binary/octet-stream (the SDK would send application/octet-stream).
    ContentType: options.contentType ?? 'binary/octet-stream',
    ...(options.metadata ? { Metadata: { ...options.metadata } } : {}),
    ...(headers.cacheControl ? { CacheControl: headers.cacheControl } : {}),
    ...(headers.contentDisposition ? { ContentDisposition: headers.contentDisposition } : {}),
    ...(headers.contentEncoding ? { ContentEncoding: headers.contentEncoding } : {}),
    ...(headers.contentLanguage ? { ContentLanguage: headers.contentLanguage } : {}),
    ...(expires && !Number.isNaN(expires.getTime()) ? { Expires: expires } : {}),
  };
}

/** The object description in a HeadObject or GetObject answer (ContentLength = whole object). */
export function toObjectInfo(
  key: string,
  out: Omit<HeadObjectCommandOutput, '$metadata'>,
): ObjectInfo {
  const headers: ObjectHeaders = {
    ...(out.CacheControl ? { cacheControl: out.CacheControl } : {}),
    ...(out.ContentDisposition ? { contentDisposition: out.ContentDisposition } : {}),
    ...(out.ContentEncoding ? { contentEncoding: out.ContentEncoding } : {}),
    ...(out.ContentLanguage ? { contentLanguage: out.ContentLanguage } : {}),
    ...(out.ExpiresString ? { expires: out.ExpiresString } : {}),
  };
  const checksum = readChecksum(out);
  return {
    key,
    size: out.ContentLength ?? 0,
    etag: out.ETag ?? '',
    lastModified: out.LastModified ?? new Date(0),
    contentType: out.ContentType ?? 'binary/octet-stream',
    metadata: out.Metadata ?? {},
    headers,
    ...(checksum ? { checksum } : {}),
  };
}

function readChecksum(out: Partial<Record<ChecksumField, string>>): ObjectChecksum | undefined {
  for (const [algorithm, field] of Object.entries(CHECKSUM_FIELDS) as [
    ChecksumAlgorithm,
    ChecksumField,
  ][]) {
    const value = out[field];
    if (value) return { algorithm, value };
  }
  return undefined;
}

/** Parses `Content-Range: bytes <start>-<end>/<total>`. */
export function contentRange(
  header: string | undefined,
): { start: number; end: number; total: number } | undefined {
  const match = header ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header) : null;
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), total: Number(match[3]) };
}

/** Decodes a key listed with `encoding-type=url` (S3 writes a space as `+`). */
export function decodeListed(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}
