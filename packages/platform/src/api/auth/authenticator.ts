import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** What a protocol handler knows about a request when it asks for it to be authenticated. */
export interface SignedRequest {
  readonly method: string;
  /** Path and query exactly as received (before any internal routing rewrite). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /**
   * Hex SHA-256 of the body, or the `x-amz-content-sha256` value the client sent
   * (`UNSIGNED-PAYLOAD`, `STREAMING-...`) where the body is streamed.
   */
  readonly payloadHash: string;
}

/** Who signed a request. `anonymous` when no keys are configured. */
export interface Principal {
  readonly accessKeyId: string;
}

/**
 * Checks a request's AWS Signature Version 4 (Authorization header or presigned query).
 * Throws `AuthenticationError` (core/errors) when it is missing, malformed, expired, signed
 * with an unknown key, or does not match. With no keys configured every request passes.
 */
export interface Authenticator {
  readonly enabled: boolean;
  authenticate(request: SignedRequest): Principal;
}

/**
 * Authenticates a request whose whole body has been read, hashing the body only when signatures
 * are checked (without keys nothing is, so the work is skipped).
 */
export function authenticateBuffered(
  authenticator: Authenticator,
  request: { method: string; originalUrl: string; headers: IncomingHttpHeaders; body: Buffer },
): Principal {
  return authenticator.authenticate({
    method: request.method,
    url: request.originalUrl,
    headers: request.headers,
    payloadHash: authenticator.enabled
      ? createHash('sha256').update(request.body).digest('hex')
      : 'UNSIGNED-PAYLOAD',
  });
}
