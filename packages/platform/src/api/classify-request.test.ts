import { describe, expect, it } from 'vitest';
import { classifyRequest } from './classify-request.js';

const signedFor = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`,
});

describe('classifyRequest', () => {
  it('routes by the SigV4 credential scope first', () => {
    expect(classifyRequest('POST', '/', signedFor('s3'))).toBe('s3');
    expect(classifyRequest('GET', '/healthz', signedFor('s3'))).toBe('s3');
    expect(
      classifyRequest('POST', '/', {
        ...signedFor('sagemaker'),
        'x-amz-target': 'SageMaker.ListModels',
      }),
    ).toBe('aws-json');
    expect(
      classifyRequest('POST', '/endpoints/my-endpoint/invocations', signedFor('sagemaker')),
    ).toBe('runtime');
  });

  it('routes presigned S3 URLs to S3', () => {
    expect(
      classifyRequest(
        'GET',
        '/b/k?X-Amz-Credential=AKID%2F20261123%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=x',
        {},
      ),
    ).toBe('s3');
  });

  it('routes unsigned requests by target header, runtime path and plain paths', () => {
    expect(classifyRequest('POST', '/', { 'x-amz-target': 'SageMaker.ListModels' })).toBe(
      'aws-json',
    );
    expect(classifyRequest('POST', '/', { 'content-type': 'application/x-amz-json-1.1' })).toBe(
      'aws-json',
    );
    expect(classifyRequest('POST', '/endpoints/e/invocations', {})).toBe('runtime');
    expect(classifyRequest('GET', '/healthz', {})).toBe('plain');
    expect(classifyRequest('GET', '/', {})).toBe('s3');
    expect(classifyRequest('PUT', '/bucket/key', {})).toBe('s3');
    expect(classifyRequest('GET', '/healthz/object', {})).toBe('s3');
  });
});
