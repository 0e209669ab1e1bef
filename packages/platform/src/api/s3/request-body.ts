import { createHash, type Hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { ChecksumAlgorithm, ObjectChecksum } from '../../artifacts/object-store.js';
import { AwsChunkedDecoder } from './aws-chunked.js';
import {
  algorithmOfHeader,
  CHECKSUM_HEADERS,
  createChecksummer,
  type Checksummer,
} from './checksums.js';
import type { S3Context } from './s3-context.js';
import { S3Error } from './s3-errors.js';

/** Largest single PUT or part, as S3. */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 3;

/** A request body being read: the user's bytes, checked against what the client declared. */
export interface RequestBody {
  /** Decoded bytes; errors at the end (before ending) if a digest or the length does not match. */
  readonly stream: Readable;
  /** The number of user bytes, when the client declared it. */
  readonly length?: number;
  /** The checksum the client sent in a header or trailer, once `stream` has ended. */
  checksum(): ObjectChecksum | undefined;
}

/**
 * Opens the body of an S3 request as a stream of the user's bytes: removes `aws-chunked`
 * framing, enforces `maxBytes`, and verifies whatever the client declared — the hex
 * `x-amz-content-sha256`, `Content-MD5`, an `x-amz-checksum-*` header or trailer, the decoded
 * length — so a store writing from it never commits bytes the client did not send.
 */
export function openRequestBody(context: S3Context, maxBytes = MAX_OBJECT_BYTES): RequestBody {
  const headers = context.request.headers;
  const sha256 = header(headers, 'x-amz-content-sha256');
  const encoding = header(headers, 'content-encoding') ?? '';
  const chunked =
    sha256?.startsWith('STREAMING-') === true || /(^|,)\s*aws-chunked\s*(,|$)/i.test(encoding);
  const length = declaredLength(headers, chunked);
  if (length !== undefined && length > maxBytes) {
    throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: String(length),
      MaxSizeAllowed: String(maxBytes),
    });
  }
  const decoder = chunked ? new AwsChunkedDecoder() : undefined;
  const expectations: Expectations = {
    length,
    maxBytes,
    sha256: sha256 && /^[0-9a-f]{64}$/i.test(sha256) && !chunked ? sha256.toLowerCase() : undefined,
    md5: contentMd5(headers),
    checksum: declaredChecksum(headers),
    trailers: decoder?.trailers,
  };
  const verifier = new BodyVerifier(expectations);
  // The store may not be reading yet when the client goes away; its reader sees the error later
  // through the stream's state. Without a listener the error would crash the process.
  verifier.on('error', () => {});
  const raw = context.request.raw;
  if (decoder) {
    raw.pipe(decoder).pipe(verifier);
    decoder.on('error', (error) => verifier.destroy(error));
  } else {
    raw.pipe(verifier);
  }
  raw.on('error', (error) => verifier.destroy(error));
  raw.on('close', () => {
    if (!raw.complete)
      verifier.destroy(
        new S3Error(
          'IncompleteBody',
          'The client closed the connection before the end of the body.',
        ),
      );
  });
  return {
    stream: verifier,
    ...(length !== undefined ? { length } : {}),
    checksum: () => verifier.checksum,
  };
}

/** Reads a small body (an XML document) whole, with the same checks. */
export async function readSmallBody(context: S3Context, maxBytes: number): Promise<string> {
  const body = openRequestBody(context, maxBytes);
  const chunks: Buffer[] = [];
  for await (const chunk of body.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

interface Expectations {
  readonly length: number | undefined;
  readonly maxBytes: number;
  readonly sha256: string | undefined;
  readonly md5: string | undefined;
  readonly checksum: { algorithm: ChecksumAlgorithm; value?: string } | undefined;
  readonly trailers: ReadonlyMap<string, string> | undefined;
}

/** Passes bytes through, hashing them, and fails at the end if anything declared does not match. */
class BodyVerifier extends Transform {
  checksum: ObjectChecksum | undefined;
  private bytes = 0;
  private readonly sha256: Hash | undefined;
  private readonly md5: Hash | undefined;
  private readonly checksummer: Checksummer | undefined;

  constructor(private readonly expect: Expectations) {
    super();
    this.sha256 = expect.sha256 ? createHash('sha256') : undefined;
    this.md5 = expect.md5 ? createHash('md5') : undefined;
    this.checksummer = expect.checksum ? createChecksummer(expect.checksum.algorithm) : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.expect.maxBytes) {
      callback(
        new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'),
      );
      return;
    }
    this.sha256?.update(chunk);
    this.md5?.update(chunk);
    this.checksummer?.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.mismatch());
  }

  private mismatch(): S3Error | null {
    const { length, sha256, md5, checksum, trailers } = this.expect;
    if (length !== undefined && this.bytes !== length) {
      return new S3Error(
        'IncompleteBody',
        'You did not provide the number of bytes specified by the Content-Length HTTP header.',
      );
    }
    const computedSha = this.sha256?.digest('hex');
    if (sha256 && computedSha !== sha256) {
      return new S3Error(
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        {
          ClientComputedContentSHA256: sha256,
          S3ComputedContentSHA256: computedSha ?? '',
        },
      );
    }
    if (md5 && this.md5?.digest('base64') !== md5) {
      return new S3Error(
        'BadDigest',
        'The Content-MD5 you specified did not match what we received.',
      );
    }
    if (checksum && this.checksummer) {
      const value = checksum.value ?? trailers?.get(CHECKSUM_HEADERS[checksum.algorithm]);
      const computed = this.checksummer.digest().toString('base64');
      if (value !== undefined && value !== computed) {
        return new S3Error(
          'BadDigest',
          `The ${checksum.algorithm} you specified did not match the calculated checksum.`,
        );
      }
      this.checksum = { algorithm: checksum.algorithm, value: computed };
    }
    return null;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function declaredLength(headers: IncomingHttpHeaders, chunked: boolean): number | undefined {
  const text = chunked
    ? header(headers, 'x-amz-decoded-content-length')
    : header(headers, 'content-length');
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text)) {
    throw new S3Error(
      'InvalidArgument',
      `Invalid ${chunked ? 'x-amz-decoded-content-length' : 'Content-Length'}: '${text}'.`,
    );
  }
  return Number(text);
}

function contentMd5(headers: IncomingHttpHeaders): string | undefined {
  const value = header(headers, 'content-md5');
  if (value === undefined) return undefined;
  if (Buffer.from(value, 'base64').length !== 16) {
    throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.');
  }
  return value;
}

/** The algorithm (and value, unless it comes as a trailer) of the client's additional checksum. */
function declaredChecksum(
  headers: IncomingHttpHeaders,
): { algorithm: ChecksumAlgorithm; value?: string } | undefined {
  const trailer = header(headers, 'x-amz-trailer');
  const fromTrailer = trailer ? algorithmOfHeader(trailer) : undefined;
  if (fromTrailer) return { algorithm: fromTrailer };
  for (const [algorithm, name] of Object.entries(CHECKSUM_HEADERS) as [
    ChecksumAlgorithm,
    string,
  ][]) {
    const value = header(headers, name);
    if (value !== undefined) return { algorithm, value };
  }
  return undefined;
}
