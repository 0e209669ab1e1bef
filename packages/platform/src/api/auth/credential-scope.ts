import type { IncomingHttpHeaders } from 'node:http';

/** The parts of a SigV4 credential, `AKID/yyyymmdd/region/service/aws4_request`. */
export interface CredentialScope {
  readonly accessKeyId: string;
  /** `yyyymmdd` */
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

const SCOPE_TERMINATOR = 'aws4_request';
// Exact case, as the authenticator reads it: a scope it would not find must not route either.
const QUERY_CREDENTIAL = /[?&]X-Amz-Credential=([^&#]*)/;
const HEADER_CREDENTIAL = /Credential=([^,\s]*)/;

/**
 * Splits a SigV4 credential string into its parts, or returns undefined when it is not one.
 * The access key is everything before the last four parts, so an id containing `/` survives.
 */
export function parseCredentialScope(credential: string): CredentialScope | undefined {
  const parts = credential.split('/');
  if (parts.length < 5 || parts[parts.length - 1] !== SCOPE_TERMINATOR) return undefined;
  const [date, region, service] = parts.slice(-4);
  const accessKeyId = parts.slice(0, -4).join('/');
  if (!accessKeyId || !date || !region || !service) return undefined;
  return { accessKeyId, date, region, service };
}

/**
 * The service a request was signed for (`s3`, `sagemaker`, ...), read from the credential
 * scope of its Authorization header or its `X-Amz-Credential` query parameter. Undefined when
 * the request is unsigned or the scope cannot be parsed. It verifies nothing: the front door
 * uses it only to pick a protocol, and runs it on every request, so it does no hashing.
 */
export function credentialScopeService(
  headers: IncomingHttpHeaders,
  url: string,
): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.length > 0) {
    const match = HEADER_CREDENTIAL.exec(authorization);
    return match?.[1] ? parseCredentialScope(match[1])?.service : undefined;
  }
  if (!url.includes('?')) return undefined;
  const match = QUERY_CREDENTIAL.exec(url);
  if (!match?.[1]) return undefined;
  let credential: string;
  try {
    credential = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  return parseCredentialScope(credential)?.service;
}
