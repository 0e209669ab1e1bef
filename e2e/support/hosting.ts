import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateTrainingJobCommand,
  waitUntilEndpointInService,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { readFileSync } from 'node:fs';
import { TEST_KEYS } from './clients.js';
import { waitForJob } from './training.js';

export const ROLE = 'arn:aws:iam::000000000000:role/SageMakerRole';
export const KMEANS_IMAGE = '382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1';

/** The real sagemaker-runtime client pointed at a test server. */
export function runtimeClient(url: string): SageMakerRuntimeClient {
  return new SageMakerRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: TEST_KEYS,
    maxAttempts: 1,
  });
}

/**
 * Trains a two-cluster k-means model (clusters near (0,0) and (10,10)) with the training
 * service and returns its model.tar.gz URI, as a hosting test's starting point.
 */
export async function trainKmeansModel(
  clients: { sm: SageMakerClient; s3: S3Client },
  bucket: string,
): Promise<string> {
  const { sm, s3 } = clients;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const rows = Array.from({ length: 200 }, (_, i) =>
    i % 2 === 0 ? `${(i % 7) / 10},${(i % 5) / 10}` : `${10 + (i % 7) / 10},${10 + (i % 5) / 10}`,
  );
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: 'train/data.csv', Body: rows.join('\n') + '\n' }),
  );
  const name = `kmeans-${bucket}`;
  await sm.send(
    new CreateTrainingJobCommand({
      TrainingJobName: name,
      RoleArn: ROLE,
      AlgorithmSpecification: { TrainingImage: KMEANS_IMAGE, TrainingInputMode: 'File' },
      HyperParameters: { k: '2', feature_dim: '2' },
      InputDataConfig: [
        {
          ChannelName: 'train',
          ContentType: 'text/csv;label_size=0',
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${bucket}/train` } },
        },
      ],
      OutputDataConfig: { S3OutputPath: `s3://${bucket}/output` },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
      StoppingCondition: { MaxRuntimeInSeconds: 600 },
    }),
  );
  const job = await waitForJob(sm, name);
  if (job.TrainingJobStatus !== 'Completed') {
    throw new Error(`${name} ended ${job.TrainingJobStatus}: ${job.FailureReason ?? ''}`);
  }
  return job.ModelArtifacts!.S3ModelArtifacts!;
}

/** A Model, an EndpointConfig with one variant of it, and (unless `endpoint` is omitted) an endpoint InService. */
export async function deployModel(
  sm: SageMakerClient,
  spec: {
    model: string;
    image: string;
    modelData: string;
    config: string;
    variant: string;
    instances: number;
    endpoint?: string;
  },
): Promise<void> {
  await sm.send(
    new CreateModelCommand({
      ModelName: spec.model,
      ExecutionRoleArn: ROLE,
      PrimaryContainer: { Image: spec.image, ModelDataUrl: spec.modelData },
    }),
  );
  await sm.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: spec.config,
      ProductionVariants: [
        {
          VariantName: spec.variant,
          ModelName: spec.model,
          InitialInstanceCount: spec.instances,
          InstanceType: 'ml.m5.large',
        },
      ],
    }),
  );
  if (!spec.endpoint) return;
  await sm.send(
    new CreateEndpointCommand({ EndpointName: spec.endpoint, EndpointConfigName: spec.config }),
  );
  await inService(sm, spec.endpoint);
}

/** Waits with the SDK's own `endpoint_in_service` waiter (up to a minute) for the endpoint. */
export async function inService(sm: SageMakerClient, endpoint: string): Promise<void> {
  await waitUntilEndpointInService(
    { client: sm, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
    { EndpointName: endpoint },
  );
}

/** Invokes an endpoint with CSV and returns the variant that answered. */
export async function invokeCsv(
  runtime: SageMakerRuntimeClient,
  endpoint: string,
  body: string,
): Promise<string | undefined> {
  const answer = await runtime.send(
    new InvokeEndpointCommand({
      EndpointName: endpoint,
      ContentType: 'text/csv',
      Accept: 'application/json',
      Body: new TextEncoder().encode(body),
    }),
  );
  return answer.InvokedProductionVariant;
}

/**
 * Steady load: `workers` loops invoking the endpoint back to back until stopped. Resolves, on
 * stop, with the variants that answered (in order) and the errors of requests that failed.
 */
export function steadyLoad(
  runtime: SageMakerRuntimeClient,
  endpoint: string,
  workers = 4,
): { stop(): Promise<{ answered: string[]; errors: Error[] }> } {
  let running = true;
  const answered: string[] = [];
  const errors: Error[] = [];
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      try {
        answered.push((await invokeCsv(runtime, endpoint, '1,1\n')) ?? '');
      } catch (error) {
        errors.push(error as Error);
      }
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { answered, errors };
    },
  };
}

/** A process that exists and is not a zombie left for a parent that is gone. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
