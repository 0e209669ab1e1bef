import type { IncomingHttpHeaders } from 'node:http';
import { AuthenticationError } from '../../core/errors.js';
import type { QueryParameters } from './canonical-request.js';
import { parseCredentialScope } from './credential-scope.js';
import type { CredentialScope } from './credential-scope.js';

/** The only signing algorithm accepted: SigV4 with HMAC-SHA256 (not SigV2, not SigV4a). */
export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** SigV4 caps presigned URLs at one week. */
const MAX_EXPIRES_SECONDS = 7 * 24 * 60 * 60;
const LONG_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNATURE = /^[0-9a-f]{64}$/i;

/** What a request says about its own signature, before anything is verified. */
export interface SignatureClaim {
  readonly kind: 'header' | 'query';
  readonly scope: CredentialScope;
  /** `yyyymmddThhmmssZ`, exactly as it goes into the string to sign. */
  readonly longDate: string;
  readonly signedAt: Date;
  readonly signedHeaders: readonly string[];
  /** Lower-case hex. */
  readonly signature: string;
  /** Presigned URLs only: seconds after `signedAt` during which the URL is valid. */
  readonly expiresSeconds?: number;
}

/**
 * Reads the SigV4 claim from the Authorization header or the presigned query parameters.
 * Throws MissingAuthentication when there is neither and MalformedAuthorization when the
 * claim cannot be parsed or both are present.
 */
export function readSignatureClaim(
  headers: IncomingHttpHeaders,
  query: QueryParameters,
): SignatureClaim {
  const authorization = headers.authorization;
  const hasHeader = typeof authorization === 'string' && authorization !== '';
  const hasQuery =
    'X-Amz-Algorithm' in query || 'X-Amz-Signature' in query || 'X-Amz-Credential' in query;
  if (hasHeader && hasQuery) {
    throw malformed(
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.',
    );
  }
  if (hasHeader) return readHeaderClaim(authorization, headers);
  if (hasQuery) return readQueryClaim(query);
  // AWS CLI v1 still presigns S3 URLs with Signature Version 2 unless told otherwise.
  if ('AWSAccessKeyId' in query && 'Signature' in query) {
    throw malformed(
      'Presigned URL uses Signature Version 2, which is not supported; presign with SigV4 (AWS CLI v1: aws configure set default.s3.signature_version s3v4).',
    );
  }
  throw new AuthenticationError(
    'MissingAuthentication',
    'Request is missing Authentication Token: sign it with AWS Signature Version 4 (Authorization header or presigned URL).',
  );
}

function readHeaderClaim(authorization: string, headers: IncomingHttpHeaders): SignatureClaim {
  const space = authorization.indexOf(' ');
  const algorithm = space === -1 ? authorization : authorization.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw malformed(
      `Authorization header uses '${algorithm.slice(0, 40)}'; only ${ALGORITHM} (Signature Version 4) is supported.`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq !== -1) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = requireField(
    fields.get('Credential'),
    'Authorization header field Credential',
  );
  const signedHeaders = requireField(
    fields.get('SignedHeaders'),
    'Authorization header field SignedHeaders',
  );
  const signature = requireField(fields.get('Signature'), 'Authorization header field Signature');
  const longDate = headerDate(headers);
  return buildClaim({ kind: 'header', credential, longDate, signedHeaders, signature });
}

function readQueryClaim(query: QueryParameters): SignatureClaim {
  const algorithm = queryField(query, 'X-Amz-Algorithm');
  if (algorithm !== ALGORITHM) {
    throw malformed(`X-Amz-Algorithm is '${algorithm}'; only ${ALGORITHM} is supported.`);
  }
  const expires = queryField(query, 'X-Amz-Expires');
  const expiresSeconds = /^\d{1,7}$/.test(expires) ? Number(expires) : NaN;
  if (!(expiresSeconds >= 1 && expiresSeconds <= MAX_EXPIRES_SECONDS)) {
    throw malformed(
      `X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_EXPIRES_SECONDS}; got '${expires}'.`,
    );
  }
  return buildClaim({
    kind: 'query',
    credential: queryField(query, 'X-Amz-Credential'),
    longDate: queryField(query, 'X-Amz-Date'),
    signedHeaders: queryField(query, 'X-Amz-SignedHeaders'),
    signature: queryField(query, 'X-Amz-Signature'),
    expiresSeconds,
  });
}

interface RawClaim {
  readonly kind: SignatureClaim['kind'];
  readonly credential: string;
  readonly longDate: string;
  readonly signedHeaders: string;
  readonly signature: string;
  readonly expiresSeconds?: number;
}

function buildClaim(raw: RawClaim): SignatureClaim {
  const scope = parseCredentialScope(raw.credential);
  if (!scope) {
    throw malformed(
      `Credential '${raw.credential}' is not of the form AKID/yyyymmdd/region/service/aws4_request.`,
    );
  }
  const signedAt = parseLongDate(raw.longDate);
  if (scope.date !== raw.longDate.slice(0, 8)) {
    throw malformed(
      `Credential date ${scope.date} does not match the request date ${raw.longDate}.`,
    );
  }
  const signedHeaders = raw.signedHeaders.split(';').map((name) => name.toLowerCase());
  if (signedHeaders.some((name) => name === '')) {
    throw malformed(`SignedHeaders '${raw.signedHeaders}' has an empty header name.`);
  }
  // SigV4 requires host to be signed; without it a signature could be replayed at any host.
  if (!signedHeaders.includes('host')) {
    throw malformed(`SignedHeaders '${raw.signedHeaders}' must include host.`);
  }
  if (!SIGNATURE.test(raw.signature)) {
    throw malformed('Signature must be 64 hexadecimal characters.');
  }
  return {
    kind: raw.kind,
    scope,
    longDate: raw.longDate,
    signedAt,
    signedHeaders,
    signature: raw.signature.toLowerCase(),
    ...(raw.expiresSeconds === undefined ? {} : { expiresSeconds: raw.expiresSeconds }),
  };
}

/** The request time: x-amz-date, or the HTTP Date header that SigV4 also allows. */
function headerDate(headers: IncomingHttpHeaders): string {
  const amzDate = headers['x-amz-date'];
  if (typeof amzDate === 'string') return amzDate;
  const date = headers.date;
  const parsed = date === undefined ? NaN : Date.parse(date);
  if (Number.isNaN(parsed)) {
    throw malformed('Signed requests need an x-amz-date (or Date) header with the signing time.');
  }
  return new Date(parsed).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

function parseLongDate(longDate: string): Date {
  const match = LONG_DATE.exec(longDate);
  const date = match
    ? new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`)
    : undefined;
  // The round trip rejects dates like month 13 that Date would otherwise roll over.
  if (
    !date ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().replace(/[-:]|\.\d{3}/g, '') !== longDate
  ) {
    throw malformed(`Request date '${longDate}' is not in the form yyyymmddThhmmssZ.`);
  }
  return date;
}

function queryField(query: QueryParameters, name: string): string {
  const value = Object.hasOwn(query, name) ? query[name] : undefined;
  if (Array.isArray(value)) throw malformed(`Query parameter ${name} appears more than once.`);
  return requireField(value, `Query parameter ${name}`);
}

function requireField(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw malformed(`${what} is missing.`);
  return value;
}

function malformed(message: string): AuthenticationError {
  return new AuthenticationError('MalformedAuthorization', message);
}
