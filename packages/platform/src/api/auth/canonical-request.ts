import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4Base, getCanonicalHeaders } from '@smithy/signature-v4';

/** Query parameters as received, percent-decoded; a repeated name holds every value. */
export type QueryParameters = Record<string, string | string[]>;

/** A request target (`/path?query`) split the way a signer saw it. */
export interface RequestTarget {
  /** The path exactly as on the wire, still percent-encoded. */
  readonly path: string;
  readonly query: QueryParameters;
}

/** What goes into a SigV4 canonical request. */
export interface CanonicalRequestInput {
  readonly method: string;
  readonly target: RequestTarget;
  readonly headers: IncomingHttpHeaders;
  /** Lower-case names from SignedHeaders / X-Amz-SignedHeaders. */
  readonly signedHeaders: readonly string[];
  readonly payloadHash: string;
  /** The service in the credential scope; decides how the path is encoded. */
  readonly service: string;
}

/**
 * Exposes smithy's canonical-request builder, the code every AWS SDK for JavaScript signs
 * with, so path and query encoding match real clients byte for byte. Only the synchronous
 * part is reused: smithy's hashing is Promise-based and `Authenticator` is synchronous.
 */
class CanonicalRequestBuilder extends SignatureV4Base {
  constructor(uriEscapePath: boolean) {
    super({
      service: 'unused',
      region: 'unused',
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      sha256: Hash.bind(null, 'sha256'),
      uriEscapePath,
    });
  }

  build(request: HttpRequest, headers: Record<string, string>, payloadHash: string): string {
    return this.createCanonicalRequest(request, headers, payloadHash);
  }
}

// S3 signs the path as sent (no second encoding, no dot-segment or `//` normalisation);
// every other service double-encodes the normalised path.
const s3Builder = new CanonicalRequestBuilder(false);
const defaultBuilder = new CanonicalRequestBuilder(true);

const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/** Splits `req.url` into its raw path and decoded query, tolerating absolute-form targets. */
export function parseRequestTarget(url: string): RequestTarget {
  const origin = url.startsWith('/') ? url : url.replace(ABSOLUTE_FORM, '');
  const hash = origin.indexOf('#');
  const withoutFragment = hash === -1 ? origin : origin.slice(0, hash);
  const mark = withoutFragment.indexOf('?');
  const path = mark === -1 ? withoutFragment : withoutFragment.slice(0, mark);
  const query: QueryParameters = {};
  if (mark !== -1) {
    for (const pair of withoutFragment.slice(mark + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      // A bare `?uploads` is signed as `uploads=`, which is what an empty value canonicalises to.
      const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
      const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
      addQueryValue(query, name, value);
    }
  }
  return { path: path === '' ? '/' : path, query };
}

/** Builds the canonical request a client that signed `input` would have built. */
export function buildCanonicalRequest(input: CanonicalRequestInput): string {
  const bag: Record<string, string> = {};
  for (const name of input.signedHeaders) {
    bag[name] = headerValue(input.headers, name);
  }
  const request = new HttpRequest({
    method: input.method,
    path: input.target.path,
    query: input.target.query,
    headers: bag,
  });
  // Passing the signed names as "signable" stops smithy from silently dropping headers it
  // would never sign itself (user-agent, expect, ...) when another client did sign them.
  const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(input.signedHeaders));
  const builder = input.service === 's3' ? s3Builder : defaultBuilder;
  return builder.build(request, canonicalHeaders, input.payloadHash);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  // Only set-cookie arrives as an array. Node joins other repeated headers with ", " (and
  // keeps only the first of a few, such as host), so a header sent twice can only verify
  // if the client signed it that way; no SDK sends a signed header twice.
  if (Array.isArray(value)) return value.join(',');
  return value ?? '';
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A malformed escape cannot have come from a conforming signer; keeping it raw lets the
    // signature comparison, not a crash, reject the request.
    return text;
  }
}

function addQueryValue(query: QueryParameters, name: string, value: string): void {
  // Object.hasOwn, not `in`: a parameter called `constructor` must not see the prototype.
  const existing = Object.hasOwn(query, name) ? query[name] : undefined;
  if (existing === undefined) {
    Object.defineProperty(query, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else if (Array.isArray(existing)) {
    existing.push(value);
  } else {
    query[name] = [existing, value];
  }
}
