import type { Command } from 'commander';
import {
  connectLogs,
  connectSageMaker,
  type ClientOptions,
  type SageMakerConnection,
} from '../client.js';
import { followJob, hasEnded } from '../jobs/follow-job.js';
import {
  createLogTail,
  PROCESSING_LOG_GROUP,
  TRAINING_LOG_GROUP,
  TRANSFORM_LOG_GROUP,
  type JobLogLine,
} from '../jobs/log-tail.js';

/** A job's state as `plinth logs` reports it, whatever kind of job it is. */
interface JobState {
  readonly status?: string;
  readonly failureReason?: string;
}

/** Where a job's log is and how to read its state. */
interface JobKind {
  readonly label: string;
  readonly logGroupName: string;
  readonly describe: () => Promise<JobState>;
}

/** `plinth logs <job> [--follow]`: a training, processing or transform job's log, through CloudWatch Logs. */
export function registerLogs(program: Command, clientOptions: () => ClientOptions): void {
  program
    .command('logs <job>')
    .description(
      "print a training, processing or transform job's log (each host's lines prefixed when there are several)",
    )
    .option('-f, --follow', 'keep printing new lines until the job ends, then print its status')
    .action(async (job: string, flags: { follow?: boolean }) => {
      const kind = await findJob(await connectSageMaker(clientOptions()), job);
      const logs = await connectLogs(clientOptions());
      if (!flags.follow) {
        const tail = createLogTail(logs, job, kind.logGroupName);
        printLines(await tail.readNew());
        if (!tail.started) process.stderr.write(`No log lines yet for ${job}.\n`);
        return;
      }
      const final = await followJob({
        job,
        logs,
        logGroupName: kind.logGroupName,
        describe: kind.describe,
        ended: (state) => hasEnded(state.status),
        onUpdate: (_state, lines) => printLines(lines),
      });
      const reason = final?.failureReason ? `: ${final.failureReason}` : '';
      process.stderr.write(`${kind.label} ${job}: ${final?.status}${reason}\n`);
      if (final?.status === 'Failed') process.exitCode = 1;
    });
}

/**
 * The kind of the job with this name: a training job, else a processing or transform job; none gives the
 * training API's ResourceNotFound, before anything else is read.
 */
async function findJob({ client, sdk }: SageMakerConnection, job: string): Promise<JobKind> {
  const training: JobKind = {
    label: 'Training job',
    logGroupName: TRAINING_LOG_GROUP,
    describe: async () => {
      const d = await client.send(new sdk.DescribeTrainingJobCommand({ TrainingJobName: job }));
      return { status: d.TrainingJobStatus, failureReason: d.FailureReason };
    },
  };
  const processing: JobKind = {
    label: 'Processing job',
    logGroupName: PROCESSING_LOG_GROUP,
    describe: async () => {
      const d = await client.send(new sdk.DescribeProcessingJobCommand({ ProcessingJobName: job }));
      return { status: d.ProcessingJobStatus, failureReason: d.FailureReason };
    },
  };
  const transform: JobKind = {
    label: 'Transform job',
    logGroupName: TRANSFORM_LOG_GROUP,
    describe: async () => {
      const d = await client.send(new sdk.DescribeTransformJobCommand({ TransformJobName: job }));
      return { status: d.TransformJobStatus, failureReason: d.FailureReason };
    },
  };
  try {
    await training.describe();
    return training;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFound') throw error;
    for (const other of [processing, transform]) {
      const found = await other.describe().then(
        () => true,
        () => false,
      );
      if (found) return other;
    }
    throw error;
  }
}

function printLines(lines: readonly JobLogLine[]): void {
  for (const line of lines) process.stdout.write(`${line.text}\n`);
}
