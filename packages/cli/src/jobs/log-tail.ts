import type { LogsConnection } from '../client.js';

/** Where SageMaker (and Plinth) keep training jobs' logs. */
export const TRAINING_LOG_GROUP = '/aws/sagemaker/TrainingJobs';
/** Where SageMaker (and Plinth) keep processing jobs' logs. */
export const PROCESSING_LOG_GROUP = '/aws/sagemaker/ProcessingJobs';
/** Where SageMaker (and Plinth) keep transform jobs' model-server logs. */
export const TRANSFORM_LOG_GROUP = '/aws/sagemaker/TransformJobs';

/** One line of a job's log: when it was written, and its text (`[host] ` first when there are several hosts). */
export interface JobLogLine {
  readonly timestamp: number;
  readonly text: string;
}

/** A job's log read through the CloudWatch Logs API, a little more at each call. */
export interface LogTail {
  /** The lines written since the previous call (every line on the first), stream by stream. */
  readNew(): Promise<JobLogLine[]>;
  /** Whether any log stream has been seen yet. */
  readonly started: boolean;
}

/**
 * Starts reading a job's log streams (`<job>/<host>-<n>`) from their beginning, in the log group
 * of its kind (training jobs' by default).
 */
export function createLogTail(
  logs: LogsConnection,
  job: string,
  logGroupName: string = TRAINING_LOG_GROUP,
): LogTail {
  const tokens = new Map<string, string | undefined>();
  return {
    get started() {
      return tokens.size > 0;
    },
    async readNew() {
      const { logStreams = [] } = await logs.client.send(
        new logs.sdk.DescribeLogStreamsCommand({
          logGroupName,
          logStreamNamePrefix: `${job}/`,
        }),
      );
      const prefixed = logStreams.length > 1;
      const lines: JobLogLine[] = [];
      for (const stream of logStreams) {
        const name = stream.logStreamName!;
        const page = await logs.client.send(
          new logs.sdk.GetLogEventsCommand({
            logGroupName,
            logStreamName: name,
            startFromHead: true,
            nextToken: tokens.get(name),
          }),
        );
        const host = name.slice(job.length + 1).replace(/-\d+$/, '');
        for (const event of page.events ?? []) {
          const text = `${prefixed ? `[${host}] ` : ''}${event.message ?? ''}`;
          lines.push({ timestamp: event.timestamp ?? 0, text });
        }
        tokens.set(name, page.nextForwardToken);
      }
      return lines;
    },
  };
}
