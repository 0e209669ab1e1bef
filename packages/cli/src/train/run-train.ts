import type { Command } from 'commander';
import {
  connectLogs,
  connectS3,
  connectSageMaker,
  resolveClientSettings,
  type ClientOptions,
  type S3Connection,
  type SageMakerConnection,
} from '../client.js';
import { followTrainingJob, type TrainingJobDescription } from '../jobs/follow-job.js';
import { LiveLine } from '../live-line.js';
import { formatJson } from '../output.js';
import { JobDisplay } from './job-display.js';
import { baseNameFromImage, generateJobName } from './job-name.js';
import { describeOutcome } from './outcome.js';
import { stageChannels } from './stage-data.js';
import type { DataSource } from './train-flags.js';
import { buildTrainingRequest } from './training-request.js';
import { ensureBucket } from './upload.js';

/** Where local data (and, without --output, the model) goes unless --bucket names another. */
export const DEFAULT_BUCKET = 'plinth-default';

/** The exit code of a command interrupted with Ctrl-C (128 + SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130;

/** `plinth train`'s flags as commander parses them. */
export interface TrainFlags {
  algorithm?: string;
  image?: string;
  train?: DataSource;
  validation?: DataSource;
  test?: DataSource;
  channel?: Record<string, DataSource>;
  contentType?: string;
  hyperparameters?: Record<string, string>;
  output?: string;
  bucket: string;
  name?: string;
  role: string;
  instanceType: string;
  instanceCount: number;
  maxRuntime: number;
  wait: boolean;
  json?: boolean;
}

/**
 * Uploads a job's local data, creates the job with CreateTrainingJob and, unless --no-wait,
 * follows it to its end; the exit code says how it ended.
 */
export async function runTrain(
  flags: TrainFlags,
  clientOptions: ClientOptions,
  command: Command,
): Promise<void> {
  if (!flags.algorithm === !flags.image)
    command.error('error: give exactly one of --algorithm <name> and --image <uri>');
  const channels = gatherChannels(flags, command);
  const image = flags.algorithm ? `plinth/${flags.algorithm}:1` : flags.image!;
  const jobName =
    flags.name ?? generateJobName(flags.algorithm ?? baseNameFromImage(image), new Date());
  const live = new LiveLine(flags.json ? process.stderr : process.stdout);
  const sm = await connectSageMaker(clientOptions);
  if (flags.name) await refuseExisting(sm, jobName);

  const bucket = flags.bucket;
  let s3: S3Connection | undefined;
  const bucketReady = async () => {
    if (s3) return s3;
    s3 = await connectS3(clientOptions);
    await ensureBucket(s3, bucket);
    return s3;
  };
  // Without --output the model goes to the same bucket, which must then exist.
  if (!flags.output) await bucketReady();
  const staged = await stageChannels({ channels, s3: bucketReady, bucket, jobName, live });

  const request = buildTrainingRequest({
    jobName,
    image,
    role: flags.role,
    hyperParameters: flags.hyperparameters ?? {},
    channels: staged,
    contentType: flags.contentType,
    outputPath: flags.output ?? `s3://${bucket}/`,
    instanceType: flags.instanceType,
    instanceCount: flags.instanceCount,
    maxRuntimeSeconds: flags.maxRuntime,
  });
  const startedAt = Date.now();
  const created = await sm.client.send(new sm.sdk.CreateTrainingJobCommand(request));
  if (!flags.wait) {
    if (flags.json) {
      process.stdout.write(
        `${formatJson({ TrainingJobName: jobName, TrainingJobArn: created.TrainingJobArn })}\n`,
      );
    } else {
      live.print(`Created training job ${jobName} (${created.TrainingJobArn})`);
      live.print(`Follow it with: plinth logs ${jobName} --follow`);
    }
    return;
  }
  live.print(`Training job ${jobName} created (${created.TrainingJobArn})`);

  const final = await followUntilInterrupted({ sm, clientOptions, jobName, live, startedAt });
  live.clear();
  if (!final) {
    const { endpointUrl } = resolveClientSettings(clientOptions);
    live.print(`Stopped following ${jobName}; the job keeps running on the server.`);
    live.print(`  follow it again: plinth logs ${jobName} --follow`);
    live.print(
      `  stop it:         aws --endpoint-url ${endpointUrl} sagemaker stop-training-job --training-job-name ${jobName}`,
    );
    process.exitCode = INTERRUPTED_EXIT_CODE;
    return;
  }
  const outcome = describeOutcome(final);
  for (const line of outcome.lines) live.print(line);
  if (flags.json) {
    const { $metadata: _metadata, ...description } = final;
    process.stdout.write(`${formatJson(description)}\n`);
  }
  process.exitCode = outcome.exitCode;
}

/** The channels from --train, --validation, --test and --channel; a name given twice is an error. */
function gatherChannels(
  flags: TrainFlags,
  command: Command,
): { name: string; source: DataSource }[] {
  const named = ['train', 'validation', 'test'] as const;
  for (const name of named) {
    if (flags[name] && flags.channel?.[name])
      command.error(`error: the ${name} channel is given by both --${name} and --channel`);
  }
  return [
    ...named.flatMap((name) => {
      const source = flags[name];
      return source ? [{ name, source }] : [];
    }),
    ...Object.entries(flags.channel ?? {}).map(([name, source]) => ({ name, source })),
  ];
}

/** A name taken already fails before any data is uploaded, not after. */
async function refuseExisting(sm: SageMakerConnection, jobName: string): Promise<void> {
  try {
    await sm.client.send(new sm.sdk.DescribeTrainingJobCommand({ TrainingJobName: jobName }));
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFound') return;
    throw error;
  }
  throw new Error(`A training job named ${jobName} exists already; choose another --name.`);
}

/**
 * Follows the job until it ends. Ctrl-C stops following, not the job: stopping a job is a
 * separate, deliberate request (StopTrainingJob), so an interrupted terminal never loses a run.
 */
async function followUntilInterrupted(run: {
  sm: SageMakerConnection;
  clientOptions: ClientOptions;
  jobName: string;
  live: LiveLine;
  startedAt: number;
}): Promise<TrainingJobDescription | undefined> {
  const display = new JobDisplay(run.live, run.startedAt);
  const interrupted = new AbortController();
  const onInterrupt = () => interrupted.abort();
  process.once('SIGINT', onInterrupt);
  try {
    return await followTrainingJob({
      sm: run.sm,
      logs: await connectLogs(run.clientOptions),
      job: run.jobName,
      signal: interrupted.signal,
      onUpdate: (job, lines) => display.update(job, lines),
    });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
