import type { IncomingHttpHeaders } from 'node:http';
import { credentialScopeService } from './auth/credential-scope.js';

/** The protocols that share the front door's one port. */
export type Protocol = 'aws-json' | 's3' | 'runtime' | 'plain';

/** Internal URL prefixes the front door rewrites requests to, one per protocol plugin. */
export const PROTOCOL_PREFIX: Readonly<Record<Exclude<Protocol, 'plain'>, string>> = {
  'aws-json': '/_aws-json',
  s3: '/_s3',
  runtime: '/_runtime',
};

const RUNTIME_PATH =
  /^\/endpoints\/[^/?]+\/(invocations|async-invocations|invocations-response-stream)(\?|$)/;
const PLAIN_PATHS = new Set(['/healthz', '/metrics']);

/**
 * Decides which protocol a request speaks. A signed request names its service in the SigV4
 * credential scope (`.../s3/aws4_request`), which is decisive; unsigned requests are told apart
 * by the `X-Amz-Target` header, the runtime's paths, and Plinth's own plain paths; the rest is S3.
 */
export function classifyRequest(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
): Protocol {
  const service = credentialScopeService(headers, url);
  if (service === 's3') return 's3';
  if (headers['x-amz-target'] !== undefined) return 'aws-json';
  if (method === 'POST' && RUNTIME_PATH.test(url)) return 'runtime';
  if (service !== undefined) return url === '/' || url.startsWith('/?') ? 'aws-json' : 'runtime';
  const path = url.split('?', 1)[0] ?? url;
  if ((method === 'GET' || method === 'HEAD') && PLAIN_PATHS.has(path)) return 'plain';
  if (
    method === 'POST' &&
    path === '/' &&
    String(headers['content-type'] ?? '').startsWith('application/x-amz-json')
  ) {
    return 'aws-json';
  }
  return 's3';
}

/** The URL a request is routed by inside the server. */
export function internalUrl(protocol: Protocol, url: string): string {
  return protocol === 'plain' ? url : PROTOCOL_PREFIX[protocol] + url;
}
