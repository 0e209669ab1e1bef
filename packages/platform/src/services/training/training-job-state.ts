import { ResourceKind, type ServiceContext } from '../shared/resource-kind.js';
import type {
  CreateTrainingJobRequest,
  SecondaryStatus,
  TrainingJobState,
} from './training-job-types.js';

/** SageMaker's default StoppingCondition.MaxRuntimeInSeconds: one day. */
export const DEFAULT_MAX_RUNTIME_SECONDS = 86_400;

/** Training jobs in the metadata store, with SageMaker's ARN type and wording. */
export function trainingJobKind(ctx: ServiceContext): ResourceKind {
  return new ResourceKind(ctx, 'training-job', 'training job');
}

/** The SageMaker wording of each secondary status's message. */
export const STATUS_MESSAGES: Readonly<Partial<Record<SecondaryStatus, string>>> = {
  Starting: 'Preparing the instances for training',
  Pending: 'Waiting for capacity: earlier jobs are using the cores and memory this job needs',
  Restarting: 'Plinth restarted while this job was running; it starts again',
  Downloading: 'Downloading input data',
  Training: 'Training image download completed. Training in progress.',
  Uploading: 'Uploading generated training model',
  Completed: 'Training job completed',
  Failed: 'Training job failed',
  Stopping: 'Stopping the training job',
  Stopped: 'Training job stopped',
  MaxRuntimeExceeded: 'Training job reached its maximum runtime and was stopped',
};

/** A stored training job: its request fields plus its state. */
export type TrainingJobBody = Omit<CreateTrainingJobRequest, 'TrainingJobName' | 'Tags'> &
  TrainingJobState;

/** The stored body (see toStoredBody) back with its Dates. */
const DATE_FIELDS = ['TrainingStartTime', 'TrainingEndTime'] as const;

export function fromStored(body: Record<string, unknown>): TrainingJobBody {
  const job = body as unknown as TrainingJobBody;
  const revived: TrainingJobBody = {
    ...job,
    SecondaryStatusTransitions: job.SecondaryStatusTransitions.map((t) => ({
      ...t,
      StartTime: new Date(t.StartTime),
      ...(t.EndTime ? { EndTime: new Date(t.EndTime) } : {}),
    })),
    ...(job.FinalMetricDataList
      ? {
          FinalMetricDataList: job.FinalMetricDataList.map((m) => ({
            ...m,
            Timestamp: new Date(m.Timestamp),
          })),
        }
      : {}),
  };
  for (const field of DATE_FIELDS) if (job[field]) revived[field] = new Date(job[field]);
  return revived;
}
