import type { DescribeTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { LogsConnection, SageMakerConnection } from '../client.js';
import { sleep } from '../sleep.js';
import { createLogTail, TRAINING_LOG_GROUP, type JobLogLine } from './log-tail.js';

/** A training job as DescribeTrainingJob returns it. */
export type TrainingJobDescription = DescribeTrainingJobCommandOutput;

/** How often a followed job and its log are polled. */
export const FOLLOW_INTERVAL_MS = 1_000;

const TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);

/** True once a training job has Completed, Failed or Stopped. */
export function isTerminal(job: TrainingJobDescription): boolean {
  return hasEnded(job.TrainingJobStatus);
}

/** What following a job needs besides how to describe it. */
export interface FollowOptions {
  readonly sm: SageMakerConnection;
  readonly logs: LogsConnection;
  readonly job: string;
  /** Called after each poll with the job's description and the log lines that arrived since. */
  readonly onUpdate: (job: TrainingJobDescription, lines: readonly JobLogLine[]) => void;
  /** Stops following (the job itself keeps running). */
  readonly signal?: AbortSignal;
  readonly intervalMs?: number;
}

/** Any kind of job: how to describe it, whether it has ended, and its log group. */
export interface FollowedJob<D> {
  readonly job: string;
  readonly logs: LogsConnection;
  readonly logGroupName: string;
  readonly describe: () => Promise<D>;
  readonly ended: (description: D) => boolean;
  readonly onUpdate: (description: D, lines: readonly JobLogLine[]) => void;
  readonly signal?: AbortSignal;
  readonly intervalMs?: number;
}

/**
 * Polls a job and its log (through the CloudWatch Logs API) until the job ends, and resolves with
 * its final description; or with undefined once `signal` aborts.
 */
export async function followJob<D>(followed: FollowedJob<D>): Promise<D | undefined> {
  const { signal } = followed;
  const tail = createLogTail(followed.logs, followed.job, followed.logGroupName);
  for (;;) {
    // Described before the log is read: once a job is seen ended, its log is complete.
    const described = await followed.describe();
    const lines = await tail.readNew();
    if (signal?.aborted) return undefined;
    followed.onUpdate(described, lines);
    if (followed.ended(described)) return described;
    await sleep(followed.intervalMs ?? FOLLOW_INTERVAL_MS, signal);
    if (signal?.aborted) return undefined;
  }
}

/** `followJob` for a training job. */
export function followTrainingJob(
  options: FollowOptions,
): Promise<TrainingJobDescription | undefined> {
  const { sm, job } = options;
  return followJob({
    ...options,
    logGroupName: TRAINING_LOG_GROUP,
    describe: () => sm.client.send(new sm.sdk.DescribeTrainingJobCommand({ TrainingJobName: job })),
    ended: isTerminal,
  });
}

/** True once a job's status (TrainingJobStatus, ProcessingJobStatus) says it has ended. */
export function hasEnded(status: string | undefined): boolean {
  return TERMINAL.has(status ?? '');
}
