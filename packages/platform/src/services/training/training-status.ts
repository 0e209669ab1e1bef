import type { LifecycleStatus } from '../shared/job-lifecycle.js';
import { MAX_FAILURE_REASON_LENGTH } from '../shared/job-status-updates.js';
import type { ServiceContext } from '../shared/resource-kind.js';
import { SerialUpdates } from '../shared/serial-updates.js';
import {
  fromStored,
  STATUS_MESSAGES,
  trainingJobKind,
  type TrainingJobBody,
} from './training-job-state.js';
import type { SecondaryStatus, TrainingJobStatus } from './training-job-types.js';

/** One step of a job's progress: the secondary status it enters and what else changes. */
export interface StatusChange {
  readonly secondary: SecondaryStatus;
  readonly status?: TrainingJobStatus;
  /** The job has ended: the last transition is closed and the training time is counted. */
  readonly end?: boolean;
  readonly trainingStart?: boolean;
  readonly reason?: string;
  /** Replaces the usual StatusMessage of the secondary status. */
  readonly message?: string;
}

/**
 * Records a training job's progress as DescribeTrainingJob shows it: SecondaryStatusTransitions
 * (each closed when the next opens), TrainingJobStatus, FailureReason and the training and
 * billable seconds. Changes to one job are applied in order.
 */
export class TrainingStatusRecorder implements LifecycleStatus {
  readonly #updates: SerialUpdates<TrainingJobBody>;

  constructor(private readonly ctx: ServiceContext) {
    this.#updates = new SerialUpdates(trainingJobKind(ctx), {
      fromStored,
      status: (body) => body.TrainingJobStatus,
    });
  }

  /** Closes the current secondary status and opens the next. */
  transition(name: string, change: StatusChange): Promise<void> {
    return this.update(name, (body) => {
      const now = this.ctx.clock.now();
      const transitions = body.SecondaryStatusTransitions;
      const last = transitions[transitions.length - 1];
      if (last && !last.EndTime) last.EndTime = now;
      const next = {
        Status: change.secondary,
        StartTime: now,
        StatusMessage: change.message ?? STATUS_MESSAGES[change.secondary] ?? '',
      };
      transitions.push(change.end ? { ...next, EndTime: now } : next);
      body.SecondaryStatus = change.secondary;
      if (change.status) body.TrainingJobStatus = change.status;
      if (change.trainingStart) body.TrainingStartTime ??= now;
      if (change.reason) body.FailureReason = change.reason.slice(0, MAX_FAILURE_REASON_LENGTH);
      if (change.end && body.TrainingStartTime) {
        body.TrainingEndTime = now;
        const seconds = Math.max(
          1,
          Math.round((now.getTime() - body.TrainingStartTime.getTime()) / 1000),
        );
        body.TrainingTimeInSeconds = seconds;
        body.BillableTimeInSeconds = seconds * (body.ResourceConfig?.InstanceCount ?? 1);
      }
    });
  }

  /** Ends the job as Failed with the reason (SageMaker's FailureReason, cut to 1024 characters). */
  fail(name: string, reason: string): Promise<void> {
    return this.transition(name, { secondary: 'Failed', status: 'Failed', end: true, reason });
  }

  /** Moves the job to Stopping, as StopTrainingJob asks. */
  stopping(name: string): Promise<void> {
    return this.transition(name, { secondary: 'Stopping', status: 'Stopping' });
  }

  /** Ends the job as Stopped. */
  stopped(name: string): Promise<void> {
    return this.transition(name, { secondary: 'Stopped', status: 'Stopped', end: true });
  }

  /** Any other change to the stored job, in order with the transitions. */
  update(name: string, mutate: (body: TrainingJobBody) => void): Promise<void> {
    return this.#updates.update(name, mutate);
  }
}
