import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateTrainingJobCommand,
  type DescribeTrainingJobCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  InvokeEndpointCommand,
  type SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { s3Client, sagemakerClient } from './clients.js';
import { ROLE, deployModel, runtimeClient } from './hosting.js';
import { startPlinthProcess, type PlinthProcess } from './plinth-process.js';
import { waitForJob } from './training.js';

/** A channel's one file and its ContentType. */
export interface ChannelData {
  readonly body: string | Uint8Array;
  readonly contentType: string;
}

/** The SageMaker image URI of a built-in algorithm in us-east-1, as the SageMaker SDK gives it. */
export function builtinImage(repository: string, tag = '1'): string {
  const account = repository === 'sagemaker-xgboost' ? '683313688378' : '382416733822';
  return `${account}.dkr.ecr.us-east-1.amazonaws.com/${repository}:${tag}`;
}

/**
 * Uploads each channel's data under `s3://<bucket>/<name>/<channel>/`, runs a training job on
 * the image and waits for it to end; returns its description (throws if it did not complete).
 */
export async function trainBuiltin(
  clients: { sm: SageMakerClient; s3: S3Client },
  spec: {
    bucket: string;
    name: string;
    image: string;
    hyperParameters: Record<string, string>;
    channels: Record<string, ChannelData>;
  },
): Promise<DescribeTrainingJobCommandOutput> {
  const { sm, s3 } = clients;
  await s3.send(new CreateBucketCommand({ Bucket: spec.bucket })).catch((error: Error) => {
    if (error.name !== 'BucketAlreadyOwnedByYou') throw error;
  });
  for (const [channel, data] of Object.entries(spec.channels)) {
    await s3.send(
      new PutObjectCommand({
        Bucket: spec.bucket,
        Key: `${spec.name}/${channel}/data`,
        Body: data.body,
      }),
    );
  }
  await sm.send(
    new CreateTrainingJobCommand({
      TrainingJobName: spec.name,
      RoleArn: ROLE,
      AlgorithmSpecification: { TrainingImage: spec.image, TrainingInputMode: 'File' },
      HyperParameters: spec.hyperParameters,
      InputDataConfig: Object.entries(spec.channels).map(([channel, data]) => ({
        ChannelName: channel,
        ContentType: data.contentType,
        DataSource: {
          S3DataSource: {
            S3DataType: 'S3Prefix',
            S3Uri: `s3://${spec.bucket}/${spec.name}/${channel}`,
          },
        },
      })),
      OutputDataConfig: { S3OutputPath: `s3://${spec.bucket}/output` },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
      StoppingCondition: { MaxRuntimeInSeconds: 600 },
    }),
  );
  const job = await waitForJob(sm, spec.name);
  if (job.TrainingJobStatus !== 'Completed')
    throw new Error(`${spec.name} ended ${job.TrainingJobStatus}: ${job.FailureReason ?? ''}`);
  return job;
}

/** A job's final value of a metric (FinalMetricDataList), or undefined. */
export function finalMetric(
  job: DescribeTrainingJobCommandOutput,
  name: string,
): number | undefined {
  return job.FinalMetricDataList?.find((m) => m.MetricName === name)?.Value;
}

/** Deploys a trained job's model behind an endpoint of the same name, one instance, InService. */
export async function deployJob(
  sm: SageMakerClient,
  job: DescribeTrainingJobCommandOutput,
  image = job.AlgorithmSpecification!.TrainingImage!,
): Promise<string> {
  const name = job.TrainingJobName!;
  await deployModel(sm, {
    model: name,
    image,
    modelData: job.ModelArtifacts!.S3ModelArtifacts!,
    config: name,
    variant: 'AllTraffic',
    instances: 1,
    endpoint: name,
  });
  return name;
}

/** Invokes an endpoint and returns the body as text. */
export async function invokeText(
  runtime: SageMakerRuntimeClient,
  endpoint: string,
  request: { body: string | Uint8Array; contentType: string; accept?: string },
): Promise<string> {
  const answer = await runtime.send(
    new InvokeEndpointCommand({
      EndpointName: endpoint,
      ContentType: request.contentType,
      Accept: request.accept ?? 'application/json',
      Body:
        typeof request.body === 'string' ? new TextEncoder().encode(request.body) : request.body,
    }),
  );
  return new TextDecoder().decode(answer.Body);
}

/** Downloads a model.tar.gz from Plinth's S3 and unpacks it into a new folder under `dir`. */
export async function downloadModel(s3: S3Client, uri: string, dir: string): Promise<string> {
  const [bucket, ...key] = uri.replace(/^s3:\/\//, '').split('/');
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket!, Key: key.join('/') }));
  const folder = mkdtempSync(join(dir, 'model-'));
  writeFileSync(join(folder, 'model.tar.gz'), await object.Body!.transformToByteArray());
  const tar = spawnSync('tar', ['-xzf', 'model.tar.gz'], { cwd: folder });
  if (tar.status !== 0) throw new Error(tar.stderr.toString());
  return folder;
}

/** A running `plinth serve` and the SDK clients pointed at it. */
export interface LivePlinth {
  plinth: PlinthProcess;
  sm: SageMakerClient;
  s3: S3Client;
  runtime: SageMakerRuntimeClient;
}

/**
 * Starts `plinth serve` before the file's tests and stops it after them; the returned object is
 * filled in once it is up.
 */
export function useLivePlinth(): LivePlinth {
  const live = {} as LivePlinth;
  beforeAll(async () => {
    live.plinth = await startPlinthProcess();
    live.sm = sagemakerClient(live.plinth.url);
    live.s3 = s3Client(live.plinth.url);
    live.runtime = runtimeClient(live.plinth.url);
  });
  afterAll(async () => {
    await live.plinth?.stop();
  });
  return live;
}
