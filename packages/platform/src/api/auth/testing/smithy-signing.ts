/**
 * Test support: requests signed by smithy's real SigV4 signer (the one inside every AWS SDK for
 * JavaScript client), delivered the way node:http would deliver them. Not used by production code.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import type { IHttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AccessKey } from '../../../config/config.js';
import { AuthenticationError } from '../../../core/errors.js';
import type { SignedRequest } from '../authenticator.js';
import { createSigV4Authenticator } from '../sigv4-authenticator.js';

/** The one key the authenticator under test knows. */
export const KEY: AccessKey = {
  accessKeyId: 'AKIDPLINTHTEST',
  secretAccessKey: 'plinth/secret+key=1',
};
export const OTHER: AccessKey = { accessKeyId: 'AKIDSOMEONEELSE', secretAccessKey: 'other-secret' };
export const NOW = new Date('2025-03-04T05:06:07Z');
export const HOST = '127.0.0.1:8766';
export const EMPTY_SHA = createHash('sha256').update('').digest('hex');

type Query = Record<string, string | string[]>;

export interface SignOptions {
  service: string;
  path: string;
  method?: string;
  query?: Query;
  headers?: Record<string, string>;
  body?: string;
  key?: AccessKey;
  date?: Date;
}

function signer(service: string, key: AccessKey = KEY): SignatureV4 {
  return new SignatureV4({
    service,
    region: 'eu-west-2',
    credentials: key,
    sha256: Hash.bind(null, 'sha256'),
    // The AWS SDK's S3 client signs with uriEscapePath false; every other client with true.
    uriEscapePath: service !== 's3',
  });
}

function smithyRequest(o: SignOptions): HttpRequest {
  return new HttpRequest({
    method: o.method ?? 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 8766,
    path: o.path,
    query: o.query ?? {},
    headers: { host: HOST, ...o.headers },
    ...(o.body === undefined ? {} : { body: o.body }),
  });
}

/** Serialises a query the way the AWS SDK puts it on the wire. */
function wireQuery(query: Query): string {
  const escape = (s: string): string =>
    encodeURIComponent(s).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  const parts = Object.entries(query).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v]).map((one) => `${escape(k)}=${escape(one)}`),
  );
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** What node:http would hand the server for a request the real signer produced. */
function asReceived(signed: IHttpRequest, body = ''): SignedRequest {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return {
    method: signed.method,
    url: signed.path + wireQuery(signed.query as Query),
    headers,
    payloadHash: createHash('sha256').update(body).digest('hex'),
  };
}

/** Signs with smithy's real `SignatureV4` and returns what the server would receive. */
export async function sign(o: SignOptions): Promise<SignedRequest> {
  const request = smithyRequest(o);
  const signed = await signer(o.service, o.key).sign(request, { signingDate: o.date ?? NOW });
  return asReceived(signed, o.body);
}

/**
 * Presigns like @aws-sdk/s3-request-presigner (`sha: 'hoisted'`: an X-Amz-Content-Sha256
 * header moved into the query), like botocore's S3 presigner (`'implicit'`: UNSIGNED-PAYLOAD
 * signed but not sent), or like a plain smithy presign of another service (`'none'`).
 */
export async function presign(
  o: SignOptions & { expiresIn?: number; sha?: 'hoisted' | 'implicit' | 'none' },
): Promise<SignedRequest> {
  const sha = 'X-Amz-Content-Sha256';
  const mode = o.sha ?? 'hoisted';
  const headers: Record<string, string> = mode === 'none' ? {} : { [sha]: 'UNSIGNED-PAYLOAD' };
  const request = smithyRequest({ ...o, method: o.method ?? 'GET', headers });
  const keep = mode === 'implicit' ? new Set([sha.toLowerCase()]) : undefined;
  const signed = await signer(o.service, o.key).presign(request, {
    signingDate: o.date ?? NOW,
    expiresIn: o.expiresIn ?? 900,
    ...(keep ? { unhoistableHeaders: keep, unsignableHeaders: keep } : {}),
  });
  delete signed.headers[sha];
  return { ...asReceived(signed), payloadHash: EMPTY_SHA };
}

/** The principal's access key id, or the AuthenticationError failure kind. */
export function verdict(
  request: SignedRequest,
  options: { now?: Date; keys?: AccessKey[]; maxSkewSeconds?: number } = {},
): string {
  const authenticator = createSigV4Authenticator({
    keys: options.keys ?? [KEY],
    clock: { now: () => options.now ?? NOW },
    ...(options.maxSkewSeconds === undefined ? {} : { maxSkewSeconds: options.maxSkewSeconds }),
  });
  try {
    return authenticator.authenticate(request).accessKeyId;
  } catch (error) {
    if (error instanceof AuthenticationError) return error.failure;
    throw error;
  }
}

/** A SageMaker ListModels call as the JSON protocol sends it. */
export const sagemakerCall = {
  service: 'sagemaker',
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.ListModels' },
  body: '{"MaxResults":10}',
};
