import type { DescribeTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import type { LogsConnection, SageMakerConnection } from '../client.js';
import { createLogTail, type JobLogLine } from './log-tail.js';

/** A training job as DescribeTrainingJob returns it. */
export type TrainingJobDescription = DescribeTrainingJobCommandOutput;

/** How often a followed job and its log are polled. */
export const FOLLOW_INTERVAL_MS = 1_000;

const TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);

/** True once a training job has Completed, Failed or Stopped. */
export function isTerminal(job: TrainingJobDescription): boolean {
  return TERMINAL.has(job.TrainingJobStatus ?? '');
}

/** What `followTrainingJob` needs. */
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

/**
 * Polls a training job and its log (through the CloudWatch Logs API) until the job ends, and
 * resolves with its final description; or with undefined once `signal` aborts.
 */
export async function followTrainingJob(
  options: FollowOptions,
): Promise<TrainingJobDescription | undefined> {
  const { sm, job, signal } = options;
  const tail = createLogTail(options.logs, job);
  for (;;) {
    // Described before the log is read: once a job is seen ended, its log is complete.
    const described = await sm.client.send(
      new sm.sdk.DescribeTrainingJobCommand({ TrainingJobName: job }),
    );
    const lines = await tail.readNew();
    if (signal?.aborted) return undefined;
    options.onUpdate(described, lines);
    if (isTerminal(described)) return described;
    await sleep(options.intervalMs ?? FOLLOW_INTERVAL_MS, signal);
    if (signal?.aborted) return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
