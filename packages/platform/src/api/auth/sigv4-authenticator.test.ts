import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SignedRequest } from './authenticator.js';
import {
  EMPTY_SHA,
  HOST,
  KEY,
  OTHER,
  NOW,
  sagemakerCall,
  sign,
  verdict,
} from './testing/smithy-signing.js';

describe('createSigV4Authenticator: header signatures', () => {
  const paths = [
    '/',
    '/bucket/with%20space/and%2Bplus%3Dequals',
    '/bucket/%C3%A9t%C3%A9/%E2%9C%93.txt',
    '/bucket/encoded%2Fslash/x',
    '/bucket/a~b_c-d.e!%27()*',
    '/bucket//double/./dots/../x',
  ];
  for (const service of ['s3', 'sagemaker']) {
    for (const path of paths) {
      it(`accepts ${service} ${path}`, async () => {
        const request = await sign({ service, path, method: 'PUT', body: 'hello' });
        expect(verdict(request)).toBe(KEY.accessKeyId);
      });
    }
  }

  it('accepts repeated, empty and reserved query values', async () => {
    const query = { 'list-type': '2', prefix: '', tag: ['b', 'a', 'a b+c'], 'k=y': 'é/~*' };
    const request = await sign({ service: 's3', method: 'GET', path: '/bucket', query });
    expect(verdict(request)).toBe(KEY.accessKeyId);
  });

  it('accepts query spellings real clients use on the wire (bare name, unescaped slash)', async () => {
    const request = await sign({
      service: 's3',
      path: '/b/k',
      query: { uploads: '', prefix: 'a/b' },
    });
    expect(verdict({ ...request, url: '/b/k?uploads&prefix=a/b' })).toBe(KEY.accessKeyId);
  });

  it('accepts a SageMaker JSON call and folds header whitespace as the spec says', async () => {
    const request = await sign({
      ...sagemakerCall,
      headers: { ...sagemakerCall.headers, 'x-amz-meta-n': 'a   b\t c' },
    });
    expect(verdict({ ...request, headers: { ...request.headers, 'x-amz-meta-n': 'a b c' } })).toBe(
      KEY.accessKeyId,
    );
  });

  it('joins a repeated header with commas', async () => {
    const request = await sign({
      ...sagemakerCall,
      headers: { ...sagemakerCall.headers, 'x-amz-meta-l': 'a,b' },
    });
    expect(
      verdict({ ...request, headers: { ...request.headers, 'x-amz-meta-l': ['a', 'b'] } }),
    ).toBe(KEY.accessKeyId);
  });

  it('verifies only the headers listed in SignedHeaders', async () => {
    const request = await sign(sagemakerCall);
    expect(verdict({ ...request, headers: { ...request.headers, 'user-agent': 'changed' } })).toBe(
      KEY.accessKeyId,
    );
  });

  it('rejects a changed byte anywhere that was signed', async () => {
    const s3 = await sign({
      service: 's3',
      method: 'GET',
      path: '/bucket/a%20b',
      query: { prefix: 'x' },
    });
    const sm = await sign(sagemakerCall);
    const tampered: SignedRequest[] = [
      { ...s3, url: '/bucket/a%20c?prefix=x' },
      { ...s3, url: '/bucket/a%20b?prefix=y' },
      { ...s3, url: '/bucket/a%20b?prefix=x&extra=1' },
      { ...s3, method: 'PUT' },
      { ...sm, headers: { ...sm.headers, 'x-amz-target': 'SageMaker.ListModelz' } },
      { ...sm, headers: { ...sm.headers, host: '127.0.0.1:8767' } },
      { ...sm, payloadHash: createHash('sha256').update('{"MaxResults":11}').digest('hex') },
      { ...sm, payloadHash: 'UNSIGNED-PAYLOAD' },
    ];
    for (const request of tampered) expect(verdict(request)).toBe('SignatureMismatch');
  });

  it('rejects a wrong secret and a signed header that is missing', async () => {
    const wrongSecret = await sign({ ...sagemakerCall, key: { ...KEY, secretAccessKey: 'nope' } });
    expect(verdict(wrongSecret)).toBe('SignatureMismatch');
    const request = await sign(sagemakerCall);
    const { 'x-amz-target': _dropped, ...headers } = request.headers;
    expect(verdict({ ...request, headers })).toBe('SignatureMismatch');
  });

  it('names the failure for unknown keys, missing and garbage authorization', async () => {
    expect(verdict(await sign({ ...sagemakerCall, key: OTHER }))).toBe('UnknownAccessKey');
    const unsigned: SignedRequest = {
      method: 'GET',
      url: '/',
      headers: { host: HOST },
      payloadHash: EMPTY_SHA,
    };
    expect(verdict(unsigned)).toBe('MissingAuthentication');
    const garbage = [
      'garbage',
      'AWS AKIDPLINTHTEST:c2lnbmF0dXJl',
      'AWS4-HMAC-SHA256 Credential=x, Signature=1',
    ];
    for (const authorization of garbage) {
      expect(verdict({ ...unsigned, headers: { ...unsigned.headers, authorization } })).toBe(
        'MalformedAuthorization',
      );
    }
    const signed = await sign(sagemakerCall);
    expect(verdict({ ...signed, headers: { ...signed.headers, 'x-amz-date': '2025-03-04' } })).toBe(
      'MalformedAuthorization',
    );
    expect(verdict({ ...signed, url: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256' })).toBe(
      'MalformedAuthorization',
    );
  });

  it('rejects a request time more than the allowed skew from the clock', async () => {
    const at = (minutes: number): Date => new Date(NOW.getTime() + minutes * 60_000);
    expect(verdict(await sign({ ...sagemakerCall, date: at(-14) }))).toBe(KEY.accessKeyId);
    expect(verdict(await sign({ ...sagemakerCall, date: at(14) }))).toBe(KEY.accessKeyId);
    expect(verdict(await sign({ ...sagemakerCall, date: at(-16) }))).toBe('RequestExpired');
    expect(verdict(await sign({ ...sagemakerCall, date: at(16) }))).toBe('RequestExpired');
    expect(verdict(await sign({ ...sagemakerCall, date: at(-2) }), { maxSkewSeconds: 60 })).toBe(
      'RequestExpired',
    );
  });
});
