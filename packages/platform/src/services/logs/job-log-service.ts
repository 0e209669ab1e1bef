import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { listEventHosts, readEvents, type LogEvent } from '../../compute/log-events.js';
import { ResourceNotFoundError, ValidationError } from '../../core/errors.js';

/** Where SageMaker sends training jobs' logs, and where its SDK and console look for them. */
export const TRAINING_LOG_GROUP = '/aws/sagemaker/TrainingJobs';
/** Where SageMaker sends processing jobs' logs. */
export const PROCESSING_LOG_GROUP = '/aws/sagemaker/ProcessingJobs';
/** Where SageMaker sends transform jobs' model-server logs. */
export const TRANSFORM_LOG_GROUP = '/aws/sagemaker/TransformJobs';

/** CloudWatch Logs' GetLogEvents page size when none is asked for, and its maximum. */
export const MAX_EVENTS = 10_000;
const DEFAULT_STREAMS = 50;

export interface LogStream {
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp: number;
  lastEventTimestamp: number;
  lastIngestionTime: number;
  storedBytes: number;
}

/**
 * Jobs' logs as CloudWatch Logs serves them: a log group per kind of job
 * (`/aws/sagemaker/TrainingJobs`, `/aws/sagemaker/ProcessingJobs`), one stream per host named
 * `<job>/algo-1-<epoch seconds>`, as SageMaker names them, so that `aws logs`, the SageMaker
 * SDK's `logs=True` and `plinth logs` read them the same way.
 */
export class JobLogService {
  /**
   * @param groups each log group's jobs directory; the first is the group of requests that name
   *   none.
   */
  constructor(private readonly groups: Readonly<Record<string, string>>) {}

  async describeLogStreams(request: {
    logGroupName?: string;
    logStreamNamePrefix?: string;
    descending?: boolean;
    limit?: number;
  }): Promise<{ logStreams: LogStream[] }> {
    const jobsDir = this.jobsDir(request.logGroupName);
    const prefix = request.logStreamNamePrefix ?? '';
    const jobPrefix = prefix.split('/')[0] ?? '';
    const jobs = (await readdir(jobsDir).catch(() => [] as string[])).filter((j) =>
      j.startsWith(jobPrefix),
    );
    const streams: LogStream[] = [];
    for (const job of jobs) {
      for (const host of await listEventHosts(join(jobsDir, job))) {
        const stream = await describeStream(join(jobsDir, job), { job, host });
        if (stream && stream.logStreamName.startsWith(prefix)) streams.push(stream);
      }
    }
    streams.sort((a, b) => a.logStreamName.localeCompare(b.logStreamName));
    if (request.descending) streams.reverse();
    return { logStreams: streams.slice(0, request.limit ?? DEFAULT_STREAMS) };
  }

  async getLogEvents(request: {
    logGroupName?: string;
    logStreamName: string;
    startFromHead?: boolean;
    nextToken?: string;
    limit?: number;
    startTime?: number;
    endTime?: number;
  }): Promise<{
    events: (LogEvent & { ingestionTime: number })[];
    nextForwardToken: string;
    nextBackwardToken: string;
  }> {
    const jobsDir = this.jobsDir(request.logGroupName);
    const match = /^(.+)\/(algo-\d+)-\d+$/.exec(request.logStreamName);
    const all = match ? await readEvents(join(jobsDir, match[1]!), match[2]!) : [];
    if (all.length === 0)
      throw new ResourceNotFoundError('The specified log stream does not exist.');
    const events = all.filter(
      (e) =>
        (request.startTime === undefined || e.timestamp >= request.startTime) &&
        (request.endTime === undefined || e.timestamp < request.endTime),
    );
    const limit = Math.min(request.limit ?? MAX_EVENTS, MAX_EVENTS);
    const [start, end] = pageBounds({
      token: request.nextToken,
      startFromHead: request.startFromHead ?? false,
      limit,
      count: events.length,
    });
    return {
      events: events.slice(start, end).map((e) => ({ ...e, ingestionTime: e.timestamp })),
      nextForwardToken: `f/${String(end).padStart(20, '0')}`,
      nextBackwardToken: `b/${String(start).padStart(20, '0')}`,
    };
  }

  private jobsDir(group: string | undefined): string {
    const dir = group === undefined ? Object.values(this.groups)[0] : this.groups[group];
    if (dir === undefined)
      throw new ResourceNotFoundError('The specified log group does not exist.');
    return dir;
  }
}

/** A host's stream, named for its first event; undefined while it has none. */
async function describeStream(
  jobDir: string,
  stream: { job: string; host: string },
): Promise<LogStream | undefined> {
  const events = await readEvents(jobDir, stream.host);
  const first = events[0];
  const last = events[events.length - 1];
  if (!first || !last) return undefined;
  return {
    logStreamName: `${stream.job}/${stream.host}-${Math.floor(first.timestamp / 1000)}`,
    creationTime: first.timestamp,
    firstEventTimestamp: first.timestamp,
    lastEventTimestamp: last.timestamp,
    lastIngestionTime: last.timestamp,
    storedBytes: 0,
  };
}

/** The slice of events a GetLogEvents page covers: forward from `f/n`, backward from `b/n`, or the head/tail. */
function pageBounds(page: {
  token: string | undefined;
  startFromHead: boolean;
  limit: number;
  count: number;
}): [number, number] {
  const { token, startFromHead, limit, count } = page;
  if (token) {
    const match = /^([fb])\/(\d+)$/.exec(token);
    if (!match) throw new ValidationError('The specified nextToken is invalid.', 'nextToken');
    const at = Math.min(Number(match[2]), count);
    return match[1] === 'f' ? [at, Math.min(at + limit, count)] : [Math.max(0, at - limit), at];
  }
  return startFromHead ? [0, Math.min(limit, count)] : [Math.max(0, count - limit), count];
}
