import { describe, expect, it } from 'vitest';
import type { AsyncRequest } from './async-request.js';
import {
  inferenceResultMessage,
  MAX_NOTIFIED_RESPONSE_BYTES,
  notifiedBody,
  topicFor,
} from './notification-message.js';

const REQUEST: AsyncRequest = {
  id: '2f4dcf85-01b8-418c-8c93-2b30fcdd1ab8',
  endpoint: 'shop',
  inferenceId: '8a80ed4e-1ff9-4c2b-bf16-31bdd5d17835',
  inputLocation: 's3://in/payload.csv',
  outputLocation: 's3://out/results/2f4dcf85-01b8-418c-8c93-2b30fcdd1ab8.out',
  failureLocation: 's3://out/failures/2f4dcf85-01b8-418c-8c93-2b30fcdd1ab8-error.out',
  contentType: 'text/csv',
  accept: 'application/json',
  receivedTime: new Date('2026-01-01T00:00:00.000Z'),
  requestTtlSeconds: 21_600,
  invocationTimeoutSeconds: 900,
  maxConcurrentPerInstance: 4,
  notify: {
    successTopic: 'arn:aws:sns:us-east-1:111122223333:ok',
    errorTopic: 'arn:aws:sns:us-east-1:111122223333:failed',
    responseInSuccess: true,
    responseInError: false,
  },
  status: 'Succeeded',
  result: { contentType: 'application/json' },
};
const CONTEXT = { region: 'us-east-1', eventTime: new Date('2026-01-01T00:00:02.500Z') };

describe('the InferenceResult notification', () => {
  it('tells a success as SageMaker does, field for field', () => {
    expect(JSON.stringify(inferenceResultMessage(REQUEST, CONTEXT))).toBe(
      JSON.stringify({
        awsRegion: 'us-east-1',
        eventTime: '2026-01-01T00:00:02.500Z',
        receivedTime: '2026-01-01T00:00:00.000Z',
        invocationStatus: 'Completed',
        requestParameters: {
          accept: 'application/json',
          contentType: 'text/csv',
          endpointName: 'shop',
          inputLocation: 's3://in/payload.csv',
        },
        responseParameters: {
          contentType: 'application/json',
          outputLocation: REQUEST.outputLocation,
        },
        inferenceId: REQUEST.inferenceId,
        eventVersion: '1.0',
        eventSource: 'aws:sagemaker',
        eventName: 'InferenceResult',
      }),
    );
    expect(topicFor(REQUEST)).toBe('arn:aws:sns:us-east-1:111122223333:ok');
  });

  it('tells a failure with its reason and where the failure was written, to the ErrorTopic', () => {
    const failed: AsyncRequest = {
      ...REQUEST,
      status: 'Failed',
      result: {
        failureReason: 'ClientError: Received client error (400)',
        contentType: 'text/plain',
      },
    };
    const message = inferenceResultMessage(failed, CONTEXT);
    expect(message).toMatchObject({
      invocationStatus: 'Failed',
      failureReason: 'ClientError: Received client error (400)',
      responseParameters: { contentType: 'text/plain', failureLocation: REQUEST.failureLocation },
    });
    expect(message).not.toHaveProperty('responseParameters.outputLocation');
    expect(topicFor(failed)).toBe('arn:aws:sns:us-east-1:111122223333:failed');
    const { failureLocation: _, ...withoutPath } = failed;
    expect(inferenceResultMessage(withoutPath, CONTEXT)).not.toHaveProperty('responseParameters');
  });

  it('includes the answer, base64, only when asked and up to 128 KB', () => {
    const small = Buffer.from('{"predictions":[]}');
    const body = notifiedBody(small, true);
    expect(body).toBe(small.toString('base64'));
    expect(notifiedBody(small, false)).toBeUndefined();
    expect(notifiedBody(Buffer.alloc(MAX_NOTIFIED_RESPONSE_BYTES + 1), true)).toBeUndefined();
    const message = inferenceResultMessage(
      { ...REQUEST, result: { contentType: 'application/json', responseBody: body! } },
      CONTEXT,
    );
    expect(message.responseBody).toEqual({
      content: body,
      message: 'Check S3 path location(if configured) or Cloudwatch for additional details.',
      encoding: 'BASE64',
    });
  });
});
