import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { parseAsyncHeaders } from './async-headers.js';

const INPUT = { 'x-amzn-sagemaker-inputlocation': 's3://inputs/payloads/1.csv' };

function failure(headers: Record<string, string>): ValidationError {
  try {
    parseAsyncHeaders('shop', headers);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('the headers were accepted');
}

describe('parseAsyncHeaders (InvokeEndpointAsync)', () => {
  it("fills SageMaker's defaults: a 6 h RequestTTLSeconds and a 15 min InvocationTimeoutSeconds", () => {
    expect(parseAsyncHeaders('shop', INPUT)).toEqual({
      endpoint: 'shop',
      input: { bucket: 'inputs', key: 'payloads/1.csv' },
      requestTtlSeconds: 21_600,
      invocationTimeoutSeconds: 900,
    });
  });

  it('passes the content type, accept, custom attributes and inference id through', () => {
    expect(
      parseAsyncHeaders('shop', {
        ...INPUT,
        'x-amzn-sagemaker-content-type': 'text/csv',
        'x-amzn-sagemaker-accept': 'application/json',
        'x-amzn-sagemaker-custom-attributes': 'trace=1',
        'x-amzn-sagemaker-inference-id': 'order-17',
        'x-amzn-sagemaker-requestttlseconds': '60',
        'x-amzn-sagemaker-invocationtimeoutseconds': '3600',
      }),
    ).toMatchObject({
      contentType: 'text/csv',
      accept: 'application/json',
      customAttributes: 'trace=1',
      inferenceId: 'order-17',
      requestTtlSeconds: 60,
      invocationTimeoutSeconds: 3600,
    });
  });

  it('refuses a missing, foreign or object-less InputLocation, naming it', () => {
    expect(failure({})).toMatchObject({
      field: 'InputLocation',
      message: expect.stringMatching(/'inputLocation' .*must not be null/),
    });
    expect(failure({ 'x-amzn-sagemaker-inputlocation': 'https://example.com/x' }).message).toMatch(
      /InputLocation .*s3:\/\/bucket\/key/,
    );
    expect(failure({ 'x-amzn-sagemaker-inputlocation': 's3://inputs/' }).field).toBe(
      'InputLocation',
    );
    expect(failure({ 'x-amzn-sagemaker-inputlocation': 's3://IN/x' }).message).toMatch(
      /InputLocation names an invalid bucket/,
    );
  });

  it('refuses a RequestTTLSeconds or InvocationTimeoutSeconds out of range, as AWS words it', () => {
    expect(failure({ ...INPUT, 'x-amzn-sagemaker-requestttlseconds': '59' })).toMatchObject({
      field: 'RequestTTLSeconds',
      message:
        "1 validation error detected: Value '59' at 'requestTTLSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    });
    expect(failure({ ...INPUT, 'x-amzn-sagemaker-requestttlseconds': '21601' }).message).toMatch(
      /less than or equal to 21600/,
    );
    expect(
      failure({ ...INPUT, 'x-amzn-sagemaker-invocationtimeoutseconds': '3601' }),
    ).toMatchObject({ field: 'InvocationTimeoutSeconds' });
    expect(
      failure({ ...INPUT, 'x-amzn-sagemaker-invocationtimeoutseconds': 'soon' }).message,
    ).toMatch(/'invocationTimeoutSeconds' failed to satisfy constraint: Member must be an integer/);
  });

  it('refuses a malformed InferenceId or CustomAttributes, and the options Plinth lacks', () => {
    expect(failure({ ...INPUT, 'x-amzn-sagemaker-inference-id': ' leading' }).field).toBe(
      'InferenceId',
    );
    expect(failure({ ...INPUT, 'x-amzn-sagemaker-inference-id': 'x'.repeat(65) }).field).toBe(
      'InferenceId',
    );
    expect(
      failure({ ...INPUT, 'x-amzn-sagemaker-custom-attributes': 'x'.repeat(1025) }).field,
    ).toBe('CustomAttributes');
    expect(failure({ ...INPUT, 'x-amzn-sagemaker-filename': 'a.out' })).toMatchObject({
      field: 'Filename',
    });
    expect(failure({ ...INPUT, 'x-amzn-sagemaker-s3outputpathextension': 'sub' }).field).toBe(
      'S3OutputPathExtension',
    );
  });
});
