import { ResourceKind, type ServiceContext } from '../shared/resource-kind.js';
import type { TransformJobBody } from './transform-job-types.js';

/** SageMaker's defaults: a 6 MB payload, one request at a time per instance, records batched. */
export const DEFAULT_MAX_PAYLOAD_IN_MB = 6;
export const DEFAULT_MAX_CONCURRENT_TRANSFORMS = 1;
export const DEFAULT_BATCH_STRATEGY = 'MultiRecord';
/** ModelClientConfig's defaults: an invocation may take 600 s and is retried 3 times. */
export const DEFAULT_INVOCATIONS_TIMEOUT_SECONDS = 600;
export const DEFAULT_INVOCATIONS_MAX_RETRIES = 3;
/** SageMaker's cap on MaxPayloadInMB, and on MaxConcurrentTransforms × MaxPayloadInMB. */
export const MAX_PAYLOAD_IN_MB = 100;

/** Transform jobs in the metadata store, with SageMaker's ARN type and wording. */
export function transformJobKind(ctx: ServiceContext): ResourceKind {
  return new ResourceKind(ctx, 'transform-job', 'transform job');
}

/** The stored body (see toStoredBody) back with its Dates. */
export function fromStored(body: Record<string, unknown>): TransformJobBody {
  const job = body as unknown as TransformJobBody;
  return {
    ...job,
    ...(job.TransformStartTime ? { TransformStartTime: new Date(job.TransformStartTime) } : {}),
    ...(job.TransformEndTime ? { TransformEndTime: new Date(job.TransformEndTime) } : {}),
  };
}
