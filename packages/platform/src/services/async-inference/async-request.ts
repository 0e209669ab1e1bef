import type { S3Location } from '../../artifacts/s3-uri.js';

/** SageMaker's defaults and limits for an InvokeEndpointAsync request. */
export const DEFAULT_REQUEST_TTL_SECONDS = 6 * 60 * 60;
export const MIN_REQUEST_TTL_SECONDS = 60;
export const MAX_REQUEST_TTL_SECONDS = 6 * 60 * 60;
export const DEFAULT_INVOCATION_TIMEOUT_SECONDS = 15 * 60;
export const MIN_INVOCATION_TIMEOUT_SECONDS = 1;
export const MAX_INVOCATION_TIMEOUT_SECONDS = 60 * 60;

/** An InvokeEndpointAsync request, its headers parsed and checked. */
export interface AsyncInvocationRequest {
  readonly endpoint: string;
  /** X-Amzn-SageMaker-InputLocation: the payload's object. */
  readonly input: S3Location;
  readonly contentType?: string;
  readonly accept?: string;
  readonly customAttributes?: string;
  readonly inferenceId?: string;
  readonly requestTtlSeconds: number;
  readonly invocationTimeoutSeconds: number;
}

/** What InvokeEndpointAsync answers: where the result will be. */
export interface AcceptedInvocation {
  readonly inferenceId: string;
  readonly outputLocation: string;
  readonly failureLocation?: string;
}

/**
 * Where a request is: waiting its turn, with a model server, or finished (its answer or failure
 * written) with its notification still to be sent. A request whose notification went out is
 * removed from the store.
 */
export type AsyncStatus = 'Queued' | 'Running' | 'Succeeded' | 'Failed';

/** What a finished request reports in its notification. */
export interface AsyncResult {
  /** The answer's content type (success) or the failure's. */
  readonly contentType?: string;
  readonly failureReason?: string;
  /** The answer or the model's error body, base64, when the notification is to include it. */
  readonly responseBody?: string;
}

/** An accepted request as the metadata store keeps it until its notification is sent. */
export interface AsyncRequest {
  /** Unique: the store name, and the name of the answer's object (`<id>.out`). */
  readonly id: string;
  readonly endpoint: string;
  readonly inferenceId: string;
  readonly inputLocation: string;
  readonly outputLocation: string;
  readonly failureLocation?: string;
  readonly contentType?: string;
  readonly accept?: string;
  readonly customAttributes?: string;
  readonly receivedTime: Date;
  readonly requestTtlSeconds: number;
  readonly invocationTimeoutSeconds: number;
  /** The endpoint's MaxConcurrentInvocationsPerInstance when the request came. */
  readonly maxConcurrentPerInstance: number;
  readonly notify: {
    readonly successTopic?: string;
    readonly errorTopic?: string;
    readonly responseInSuccess: boolean;
    readonly responseInError: boolean;
  };
  readonly status: AsyncStatus;
  readonly result?: AsyncResult;
}
