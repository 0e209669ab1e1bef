import type { AsyncRequest } from './async-request.js';

/** SageMaker includes an answer in a notification only up to this size. */
export const MAX_NOTIFIED_RESPONSE_BYTES = 128 * 1024;

/**
 * The message SageMaker publishes to a SuccessTopic or ErrorTopic when an asynchronous inference
 * finishes (`eventName` InferenceResult): the request's parameters, where the answer is, and
 * for a failure why. The answer itself is included (base64) when the configuration's
 * IncludeInferenceResponseIn asks for it.
 */
export function inferenceResultMessage(
  request: AsyncRequest,
  context: { readonly region: string; readonly eventTime: Date },
): Record<string, unknown> {
  const succeeded = request.status === 'Succeeded';
  const result = request.result ?? {};
  const requestParameters = {
    ...(request.accept ? { accept: request.accept } : {}),
    ...(request.contentType ? { contentType: request.contentType } : {}),
    ...(request.customAttributes ? { customAttributes: request.customAttributes } : {}),
    endpointName: request.endpoint,
    inputLocation: request.inputLocation,
  };
  const responseParameters = succeeded
    ? {
        contentType: result.contentType ?? 'application/octet-stream',
        outputLocation: request.outputLocation,
      }
    : request.failureLocation
      ? {
          contentType: result.contentType ?? 'text/plain',
          failureLocation: request.failureLocation,
        }
      : undefined;
  return {
    awsRegion: context.region,
    eventTime: context.eventTime.toISOString(),
    receivedTime: request.receivedTime.toISOString(),
    invocationStatus: succeeded ? 'Completed' : 'Failed',
    ...(succeeded ? {} : { failureReason: result.failureReason ?? 'The inference failed.' }),
    requestParameters,
    ...(responseParameters ? { responseParameters } : {}),
    ...(result.responseBody !== undefined
      ? {
          responseBody: {
            content: result.responseBody,
            message: 'Check S3 path location(if configured) or Cloudwatch for additional details.',
            encoding: 'BASE64',
          },
        }
      : {}),
    inferenceId: request.inferenceId,
    eventVersion: '1.0',
    eventSource: 'aws:sagemaker',
    eventName: 'InferenceResult',
  };
}

/** The topic a finished request's notification goes to, if its endpoint names one. */
export function topicFor(request: AsyncRequest): string | undefined {
  return request.status === 'Succeeded' ? request.notify.successTopic : request.notify.errorTopic;
}

/** The answer as a notification carries it, when asked for and small enough. */
export function notifiedBody(body: Buffer, include: boolean): string | undefined {
  return include && body.length <= MAX_NOTIFIED_RESPONSE_BYTES
    ? body.toString('base64')
    : undefined;
}
