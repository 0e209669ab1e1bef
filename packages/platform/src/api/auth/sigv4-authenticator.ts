import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AccessKey } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import { AuthenticationError } from '../../core/errors.js';
import type { Authenticator, Principal, SignedRequest } from './authenticator.js';
import { buildCanonicalRequest, parseRequestTarget } from './canonical-request.js';
import type { RequestTarget } from './canonical-request.js';
import { ALGORITHM, readSignatureClaim } from './sigv4-claim.js';
import type { SignatureClaim } from './sigv4-claim.js';

/** AWS's own tolerance for clock skew between client and server. */
export const DEFAULT_MAX_SKEW_SECONDS = 900;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const CONTENT_SHA256 = 'x-amz-content-sha256';
const ANONYMOUS: Principal = Object.freeze({ accessKeyId: 'anonymous' });

/** Options of `createSigV4Authenticator`. */
export interface SigV4AuthenticatorOptions {
  readonly keys: readonly AccessKey[];
  readonly clock: Clock;
  /** How far x-amz-date may be from the clock, either way. Default 900 (15 minutes). */
  readonly maxSkewSeconds?: number;
}

/**
 * An `Authenticator` that verifies AWS Signature Version 4, in the Authorization header or
 * in a presigned URL, against the configured keys. Any region is accepted; the service is
 * the one the client put in its credential scope. With no keys it lets everything through.
 */
export function createSigV4Authenticator(options: SigV4AuthenticatorOptions): Authenticator {
  const secrets = new Map<string, string>();
  for (const key of options.keys) {
    if (!secrets.has(key.accessKeyId)) secrets.set(key.accessKeyId, key.secretAccessKey);
  }
  if (secrets.size === 0) {
    return { enabled: false, authenticate: () => ANONYMOUS };
  }
  const maxSkewMs = (options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS) * 1000;
  return {
    enabled: true,
    authenticate(request: SignedRequest): Principal {
      const target = parseRequestTarget(request.url);
      const claim = readSignatureClaim(request.headers, target.query);
      const secret = secrets.get(claim.scope.accessKeyId);
      if (secret === undefined) {
        throw new AuthenticationError(
          'UnknownAccessKey',
          `The AWS Access Key Id you provided does not exist in our records: ${claim.scope.accessKeyId}.`,
        );
      }
      checkTime(claim, options.clock.now(), maxSkewMs);
      verifySignature({ request, target, claim }, secret);
      return { accessKeyId: claim.scope.accessKeyId };
    },
  };
}

function checkTime(claim: SignatureClaim, now: Date, maxSkewMs: number): void {
  const signedAt = claim.signedAt.getTime();
  if (claim.expiresSeconds !== undefined) {
    const expiresAt = signedAt + claim.expiresSeconds * 1000;
    if (now.getTime() > expiresAt) {
      throw new AuthenticationError(
        'RequestExpired',
        `Request has expired: the presigned URL was valid until ${new Date(expiresAt).toISOString()} and it is now ${now.toISOString()}.`,
      );
    }
    // A URL dated in the future is not valid yet; allow the same skew as for headers.
    if (signedAt - now.getTime() > maxSkewMs) {
      throw new AuthenticationError(
        'RequestExpired',
        `Request is not valid yet: X-Amz-Date ${claim.longDate} is in the future.`,
      );
    }
    return;
  }
  if (Math.abs(now.getTime() - signedAt) > maxSkewMs) {
    throw new AuthenticationError(
      'RequestExpired',
      `Signature expired: the request time ${claim.longDate} is more than ${maxSkewMs / 1000} seconds from the server time ${now.toISOString()}.`,
    );
  }
}

interface Verification {
  readonly request: SignedRequest;
  readonly target: RequestTarget;
  readonly claim: SignatureClaim;
}

function verifySignature({ request, target, claim }: Verification, secret: string): void {
  const absent = claim.signedHeaders.find((name) => request.headers[name] === undefined);
  if (absent !== undefined) {
    throw mismatch(`the signed header '${absent}' is not in the request`);
  }
  const { date, region, service } = claim.scope;
  const canonicalRequest = buildCanonicalRequest({
    method: request.method,
    target,
    headers: request.headers,
    signedHeaders: claim.signedHeaders,
    payloadHash: payloadHashFor(request, target, claim),
    service,
  });
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, claim.longDate, scope, sha256Hex(canonicalRequest)].join('\n');
  // Hashing is done with node:crypto rather than smithy because smithy's Hash is
  // Promise-based and `authenticate` is synchronous; the formula is the spec's, unchanged.
  let key = hmac(`AWS4${secret}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'));
  const provided = Buffer.from(claim.signature);
  if (expected.length !== provided.length || !timingSafeEqual(expected, provided)) {
    throw mismatch();
  }
}

/**
 * The hashed payload the client signed. Header auth uses what the caller measured or the
 * client declared. For `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` that literal is signed into the
 * seed (header) signature, which is all this verifies: per-chunk signatures are not checked,
 * so who sent a streamed upload is proven but its chunks are not authenticated one by one.
 */
function payloadHashFor(
  request: SignedRequest,
  target: RequestTarget,
  claim: SignatureClaim,
): string {
  if (claim.kind === 'header') return request.payloadHash;
  // Presigned: smithy hoists an x-amz-content-sha256 header into the query, keeping the
  // caller's spelling (s3-request-presigner: X-Amz-Content-Sha256), and signs its value.
  // S3 presigners without it (botocore) sign UNSIGNED-PAYLOAD, as S3 requires.
  const name = Object.keys(target.query).find((key) => key.toLowerCase() === CONTENT_SHA256);
  const declared = name === undefined ? undefined : target.query[name];
  if (typeof declared === 'string') return declared;
  return claim.scope.service === 's3' ? UNSIGNED_PAYLOAD : request.payloadHash;
}

function mismatch(detail?: string): AuthenticationError {
  const base =
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
  return new AuthenticationError('SignatureMismatch', detail ? `${base} (${detail})` : base);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
