import { describe, expect, it } from 'vitest';
import { credentialScopeService, parseCredentialScope } from './credential-scope.js';

const header = (service: string): string =>
  `AWS4-HMAC-SHA256 Credential=AKID/20250304/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`;

describe('credentialScopeService', () => {
  it('reads the service from the Authorization header', () => {
    expect(credentialScopeService({ authorization: header('s3') }, '/bucket/key')).toBe('s3');
    expect(credentialScopeService({ authorization: header('sagemaker') }, '/')).toBe('sagemaker');
  });

  it('reads the service from a presigned X-Amz-Credential, percent-encoded or not', () => {
    const encoded =
      '/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20250304%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20250304T000000Z';
    expect(credentialScopeService({}, encoded)).toBe('s3');
    expect(
      credentialScopeService(
        {},
        '/?X-Amz-Credential=AKID/20250304/us-east-1/sagemaker/aws4_request',
      ),
    ).toBe('sagemaker');
  });

  it('is undefined for unsigned or unparsable requests', () => {
    expect(credentialScopeService({}, '/bucket/key?prefix=a')).toBeUndefined();
    expect(credentialScopeService({ authorization: 'garbage' }, '/')).toBeUndefined();
    expect(credentialScopeService({ authorization: 'AWS AKID:sig' }, '/')).toBeUndefined();
    expect(
      credentialScopeService(
        { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20250304/s3' },
        '/',
      ),
    ).toBeUndefined();
    expect(
      credentialScopeService({}, '/?X-Amz-Credential=AKID%2F20250304%2Fus-east-1%2Fs3%2Fnot_aws4'),
    ).toBeUndefined();
    expect(credentialScopeService({}, '/?X-Amz-Credential=%E0%A4%A')).toBeUndefined();
    expect(
      credentialScopeService({}, '/?Not-X-Amz-Credential=AKID/20250304/us-east-1/s3/aws4_request'),
    ).toBeUndefined();
  });

  it('prefers the header, as the authenticator rejects requests that carry both', () => {
    const url = '/?X-Amz-Credential=AKID%2F20250304%2Fus-east-1%2Fs3%2Faws4_request';
    expect(credentialScopeService({ authorization: header('sagemaker') }, url)).toBe('sagemaker');
  });
});

describe('parseCredentialScope', () => {
  it('splits a credential and keeps an access key that contains a slash', () => {
    expect(parseCredentialScope('A/B/20250304/r/s/aws4_request')).toEqual({
      accessKeyId: 'A/B',
      date: '20250304',
      region: 'r',
      service: 's',
    });
    expect(parseCredentialScope('/20250304/r/s/aws4_request')).toBeUndefined();
  });
});
