import { ResourceKind, type ServiceContext } from '../shared/resource-kind.js';
import type { ProcessingJobBody } from './processing-job-types.js';

/** SageMaker's default ProcessingJob StoppingCondition.MaxRuntimeInSeconds: one day. */
export const DEFAULT_PROCESSING_MAX_RUNTIME_SECONDS = 86_400;

/** Processing jobs in the metadata store, with SageMaker's ARN type and wording. */
export function processingJobKind(ctx: ServiceContext): ResourceKind {
  return new ResourceKind(ctx, 'processing-job', 'processing job');
}

/** The stored body (see toStoredBody) back with its Dates. */
export function fromStored(body: Record<string, unknown>): ProcessingJobBody {
  const job = body as unknown as ProcessingJobBody;
  return {
    ...job,
    ...(job.ProcessingStartTime ? { ProcessingStartTime: new Date(job.ProcessingStartTime) } : {}),
    ...(job.ProcessingEndTime ? { ProcessingEndTime: new Date(job.ProcessingEndTime) } : {}),
  };
}
