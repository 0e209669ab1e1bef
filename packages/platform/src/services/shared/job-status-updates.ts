import type { Clock } from '../../core/clock.js';
import type { LifecycleStatus } from './job-lifecycle.js';
import type { ResourceKind } from './resource-kind.js';
import { SerialUpdates, type BodyCodec } from './serial-updates.js';

/** The statuses SageMaker gives a processing or transform job (and a training job). */
export type JobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

/** SageMaker's limit on FailureReason. */
export const MAX_FAILURE_REASON_LENGTH = 1024;

/** Where a kind of job keeps its status and end time (ProcessingJobStatus, ProcessingEndTime). */
export interface JobStatusFields<B> extends BodyCodec<B> {
  setStatus(body: B, status: JobStatus): void;
  setEndTime(body: B, at: Date): void;
}

/** How a job ended: its terminal status and, when it failed or was cut short, why. */
export interface JobOutcome {
  readonly status: JobStatus;
  readonly reason?: string;
}

/**
 * The status of a job that has no secondary statuses (processing, transform): Stopping, and a
 * terminal status with its end time and FailureReason. Changes to one job are applied in order.
 */
export class JobStatusUpdates<B extends { FailureReason?: string }> implements LifecycleStatus {
  readonly #updates: SerialUpdates<B>;

  constructor(
    kind: ResourceKind,
    private readonly clock: Clock,
    private readonly fields: JobStatusFields<B>,
  ) {
    this.#updates = new SerialUpdates(kind, fields);
  }

  stopping(name: string): Promise<void> {
    return this.update(name, (body) => this.fields.setStatus(body, 'Stopping'));
  }

  stopped(name: string): Promise<void> {
    return this.end(name, { status: 'Stopped' });
  }

  /**
   * Ends the job in a terminal status with its end time and reason (cut to SageMaker's limit);
   * `more` records anything else the kind keeps about its end.
   */
  end(name: string, outcome: JobOutcome, more?: (body: B) => void): Promise<void> {
    return this.update(name, (body) => {
      this.fields.setStatus(body, outcome.status);
      this.fields.setEndTime(body, this.clock.now());
      if (outcome.reason) body.FailureReason = outcome.reason.slice(0, MAX_FAILURE_REASON_LENGTH);
      more?.(body);
    });
  }

  /** Any other change to the stored job, in order with the status changes. */
  update(name: string, mutate: (body: B) => void): Promise<void> {
    return this.#updates.update(name, mutate);
  }
}
