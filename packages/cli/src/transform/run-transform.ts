import type { DescribeTransformJobCommandOutput } from '@aws-sdk/client-sagemaker';
import {
  connectLogs,
  connectS3,
  connectSageMaker,
  resolveClientSettings,
  type ClientOptions,
  type S3Connection,
  type SageMakerConnection,
} from '../client.js';
import { followJob, hasEnded } from '../jobs/follow-job.js';
import { TRANSFORM_LOG_GROUP } from '../jobs/log-tail.js';
import { LiveLine } from '../live-line.js';
import { formatJson } from '../output.js';
import { generateJobName } from '../train/job-name.js';
import { INTERRUPTED_EXIT_CODE } from '../train/run-train.js';
import { stageChannels } from '../train/stage-data.js';
import type { DataSource } from '../train/train-flags.js';
import { ensureBucket } from '../train/upload.js';
import { describeTransformOutcome, expectedOutputs, formatProgress } from './transform-progress.js';
import { buildTransformRequest, type TransformSpec } from './transform-request.js';

/** `plinth transform`'s flags as commander parses them. */
export interface TransformFlags {
  model: string;
  input: DataSource;
  output?: string;
  contentType?: string;
  splitType: TransformSpec['splitType'];
  compression: TransformSpec['compression'];
  strategy: TransformSpec['strategy'];
  accept?: string;
  assembleWith: TransformSpec['assembleWith'];
  joinSource?: 'Input' | 'None';
  inputFilter?: string;
  outputFilter?: string;
  maxPayload?: number;
  maxConcurrent?: number;
  instanceType: string;
  instanceCount: number;
  bucket: string;
  name?: string;
  wait: boolean;
  json?: boolean;
}

/** A job's description and how many of its output objects exist so far. */
interface Progress {
  readonly job: DescribeTransformJobCommandOutput;
  readonly done: number;
}

/**
 * Uploads a local input, creates the job with CreateTransformJob and, unless --no-wait, follows
 * it to its end with a progress bar of output objects written; the exit code says how it ended.
 */
export async function runTransform(
  flags: TransformFlags,
  clientOptions: ClientOptions,
): Promise<void> {
  const jobName = flags.name ?? generateJobName(flags.model, new Date());
  const live = new LiveLine(flags.json ? process.stderr : process.stdout);
  const sm = await connectSageMaker(clientOptions);
  const s3 = await connectS3(clientOptions);
  if ('localPath' in flags.input || !flags.output) await ensureBucket(s3, flags.bucket);
  const [staged] = await stageChannels({
    channels: [{ name: 'data', source: flags.input }],
    s3: () => Promise.resolve(s3),
    bucket: flags.bucket,
    jobName,
    live,
  });
  const outputUri = flags.output ?? `s3://${flags.bucket}/${jobName}/output/`;
  const request = buildTransformRequest({
    jobName,
    model: flags.model,
    inputUri: staged!.s3Uri,
    outputUri,
    ...(flags.contentType ? { contentType: flags.contentType } : {}),
    splitType: flags.splitType,
    compression: flags.compression,
    strategy: flags.strategy,
    ...(flags.accept ? { accept: flags.accept } : {}),
    assembleWith: flags.assembleWith,
    instanceType: flags.instanceType,
    instanceCount: flags.instanceCount,
    ...(flags.maxPayload === undefined ? {} : { maxPayloadMb: flags.maxPayload }),
    ...(flags.maxConcurrent === undefined ? {} : { maxConcurrent: flags.maxConcurrent }),
    ...(flags.joinSource ? { joinSource: flags.joinSource } : {}),
    ...(flags.inputFilter ? { inputFilter: flags.inputFilter } : {}),
    ...(flags.outputFilter ? { outputFilter: flags.outputFilter } : {}),
  });
  const startedAt = Date.now();
  const created = await sm.client.send(new sm.sdk.CreateTransformJobCommand(request));
  if (!flags.wait) {
    if (flags.json) {
      const ids = { TransformJobName: jobName, TransformJobArn: created.TransformJobArn };
      process.stdout.write(`${formatJson(ids)}\n`);
    } else live.print(`Created transform job ${jobName} (${created.TransformJobArn})`);
    return;
  }
  live.print(`Transform job ${jobName} created (${created.TransformJobArn})`);
  const outputs = await listExpected(s3, { inputUri: staged!.s3Uri, outputUri });
  const final = await follow({ sm, s3, clientOptions, jobName, live, startedAt, outputs });
  live.clear();
  if (!final) {
    const { endpointUrl } = resolveClientSettings(clientOptions);
    live.print(`Stopped following ${jobName}; the job keeps running on the server.`);
    live.print(
      `  stop it: aws --endpoint-url ${endpointUrl} sagemaker stop-transform-job --transform-job-name ${jobName}`,
    );
    process.exitCode = INTERRUPTED_EXIT_CODE;
    return;
  }
  const outcome = describeTransformOutcome(final.job);
  for (const line of outcome.lines) live.print(line);
  if (flags.json) {
    const { $metadata: _metadata, ...description } = final.job;
    process.stdout.write(`${formatJson(description)}\n`);
  }
  process.exitCode = outcome.exitCode;
}

/** The bucket, output prefix and keys of the outputs the job will write. */
interface OutputWatch {
  readonly bucket: string;
  readonly prefix: string;
  readonly keys: ReadonlySet<string>;
}

async function listExpected(
  s3: S3Connection,
  uris: { inputUri: string; outputUri: string },
): Promise<OutputWatch> {
  const input = splitUri(uris.inputUri);
  const output = splitUri(uris.outputUri);
  const keys = await listKeys(s3, input.bucket, input.key);
  const expected = expectedOutputs({ prefix: input.key, keys }, output.key);
  return { bucket: output.bucket, prefix: output.key, keys: new Set(expected.byInput.values()) };
}

async function listKeys(s3: S3Connection, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.client.send(
      new s3.sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Follows the job and its outputs until it ends; undefined on Ctrl-C (the job keeps running). */
async function follow(run: {
  sm: SageMakerConnection;
  s3: S3Connection;
  clientOptions: ClientOptions;
  jobName: string;
  live: LiveLine;
  startedAt: number;
  outputs: OutputWatch;
}): Promise<Progress | undefined> {
  const { sm, live, outputs } = run;
  const interrupted = new AbortController();
  const onInterrupt = () => interrupted.abort();
  process.once('SIGINT', onInterrupt);
  let lastStatus = '';
  const seen = new Set<string>();
  try {
    return await followJob<Progress>({
      job: run.jobName,
      logs: await connectLogs(run.clientOptions),
      logGroupName: TRANSFORM_LOG_GROUP,
      signal: interrupted.signal,
      describe: async () => {
        const job = await sm.client.send(
          new sm.sdk.DescribeTransformJobCommand({ TransformJobName: run.jobName }),
        );
        const written = await listKeys(run.s3, outputs.bucket, outputs.prefix).catch(
          (error: unknown) => {
            // The job fails, saying so, when its output bucket does not exist.
            if ((error as Error).name === 'NoSuchBucket') return [];
            throw error;
          },
        );
        const done = written.filter((key) => outputs.keys.has(key));
        for (const key of done.filter((k) => !seen.has(k))) {
          seen.add(key);
          if (!live.interactive) live.print(`Wrote s3://${outputs.bucket}/${key}`);
        }
        return { job, done: done.length };
      },
      ended: (progress) => hasEnded(progress.job.TransformJobStatus),
      onUpdate: (progress) => {
        const status = progress.job.TransformJobStatus ?? '';
        if (status !== lastStatus && !live.interactive) live.print(`Status: ${status}`);
        lastStatus = status;
        live.show(
          formatProgress({
            done: progress.done,
            total: outputs.keys.size,
            status,
            elapsedMs: Date.now() - run.startedAt,
          }),
        );
      },
    });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

function splitUri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/s.exec(uri);
  return { bucket: match?.[1] ?? '', key: match?.[2] ?? '' };
}
