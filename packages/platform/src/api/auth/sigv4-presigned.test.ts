import { describe, expect, it } from 'vitest';
import type { SignedRequest } from './authenticator.js';
import { createSigV4Authenticator } from './sigv4-authenticator.js';
import {
  KEY,
  NOW,
  OTHER,
  presign,
  sagemakerCall,
  sign,
  verdict,
} from './testing/smithy-signing.js';

describe('createSigV4Authenticator: presigned URLs', () => {
  const object = { service: 's3', path: '/bucket/my%20file%20%C3%A9.txt' };

  it('accepts presigned URLs as the JS SDK and botocore make them', async () => {
    const sdk = await presign(object);
    expect(sdk.url).toContain('X-Amz-Content-Sha256=UNSIGNED-PAYLOAD');
    expect(verdict(sdk)).toBe(KEY.accessKeyId);
    const boto = await presign({ ...object, sha: 'implicit' });
    expect(boto.url).not.toContain('X-Amz-Content-Sha256');
    expect(verdict(boto)).toBe(KEY.accessKeyId);
    expect(
      verdict(await presign({ ...object, query: { 'response-content-type': 'text/plain' } })),
    ).toBe(KEY.accessKeyId);
  });

  it('rejects a tampered presigned URL', async () => {
    const { url, ...rest } = await presign(object);
    const tampered = [
      url.replace('my%20file', 'my%20fil3'),
      url.replace('X-Amz-Expires=900', 'X-Amz-Expires=901'),
      `${url}&x-id=PutObject`,
    ];
    for (const changed of tampered)
      expect(verdict({ ...rest, url: changed })).toBe('SignatureMismatch');
    expect(verdict({ ...rest, url, method: 'PUT' })).toBe('SignatureMismatch');
  });

  it('rejects an expired or not yet valid presigned URL', async () => {
    const request = await presign({ ...object, expiresIn: 60 });
    expect(verdict(request, { now: new Date(NOW.getTime() + 59_000) })).toBe(KEY.accessKeyId);
    expect(verdict(request, { now: new Date(NOW.getTime() + 61_000) })).toBe('RequestExpired');
    expect(verdict(request, { now: new Date(NOW.getTime() - 16 * 60_000) })).toBe('RequestExpired');
  });

  it('rejects a presigned URL for an unknown key and one with both kinds of auth', async () => {
    expect(verdict(await presign({ ...object, key: OTHER }))).toBe('UnknownAccessKey');
    const request = await presign(object);
    const authorization = (await sign(sagemakerCall)).headers.authorization;
    expect(verdict({ ...request, headers: { ...request.headers, authorization } })).toBe(
      'MalformedAuthorization',
    );
  });

  it('explains that Signature Version 2 presigned URLs are not supported', () => {
    const v2 = '/bucket/key?AWSAccessKeyId=AKIDPLINTHTEST&Signature=abc%3D&Expires=1795441175';
    const request: SignedRequest = { method: 'GET', url: v2, headers: {}, payloadHash: '' };
    expect(verdict(request)).toBe('MalformedAuthorization');
  });

  it('accepts a presigned URL for a non-S3 service, double-encoding its path', async () => {
    const request = await presign({ service: 'sagemaker', path: '/a%20b/c', sha: 'none' });
    expect(verdict(request)).toBe(KEY.accessKeyId);
  });
});

describe('createSigV4Authenticator without keys', () => {
  it('is disabled and lets every request through as anonymous', async () => {
    const garbage: SignedRequest = {
      method: 'GET',
      url: '/',
      headers: { authorization: 'x' },
      payloadHash: '',
    };
    expect(createSigV4Authenticator({ keys: [], clock: { now: () => NOW } }).enabled).toBe(false);
    expect(verdict(garbage, { keys: [] })).toBe('anonymous');
    expect(verdict(await sign({ ...sagemakerCall, key: OTHER }), { keys: [] })).toBe('anonymous');
    expect(createSigV4Authenticator({ keys: [KEY], clock: { now: () => NOW } }).enabled).toBe(true);
  });
});
