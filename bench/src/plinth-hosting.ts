// Plinth's hosting driven as a user drives it, with the real AWS SDK clients: a linear-learner
// model trained by the training service, endpoints deployed, scaled and switched, and the model
// artifact fetched back from Plinth's S3 API.
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateTrainingJobCommand,
  DescribeEndpointCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
  UpdateEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
  type DescribeEndpointCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const LINEAR_LEARNER_IMAGE = '382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1';
const ROLE = 'arn:aws:iam::000000000000:role/SageMakerRole';
/** Plinth accepts unsigned requests when it has no access keys; the SDK signs with these anyway. */
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
/** How often a waiter asks Describe*: the SDK's waiters ask at most once a second. */
const POLL_MS = 100;
const WAIT_LIMIT_MS = 120_000;

/** The SageMaker and S3 clients, pointed at a Plinth server. */
export interface PlinthClients {
  readonly sm: SageMakerClient;
  readonly s3: S3Client;
}

export function createClients(url: string): PlinthClients {
  const common = { endpoint: url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
  return {
    sm: new SageMakerClient(common),
    s3: new S3Client({ ...common, forcePathStyle: true }),
  };
}

/**
 * Uploads a headerless CSV (label first) and trains a linear-learner binary classifier on it
 * with CreateTrainingJob; resolves with the model artifact's S3 URI once the job completed.
 */
export async function trainLinearLearner(
  { sm, s3 }: PlinthClients,
  job: { name: string; bucket: string; trainFile: string; featureDim: number },
): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: job.bucket }));
  const body = await readFile(job.trainFile);
  await s3.send(new PutObjectCommand({ Bucket: job.bucket, Key: 'train/data.csv', Body: body }));
  await sm.send(
    new CreateTrainingJobCommand({
      TrainingJobName: job.name,
      RoleArn: ROLE,
      AlgorithmSpecification: { TrainingImage: LINEAR_LEARNER_IMAGE, TrainingInputMode: 'File' },
      HyperParameters: {
        predictor_type: 'binary_classifier',
        feature_dim: String(job.featureDim),
        epochs: '3',
        mini_batch_size: '500',
      },
      InputDataConfig: [
        {
          ChannelName: 'train',
          ContentType: 'text/csv',
          DataSource: {
            S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${job.bucket}/train` },
          },
        },
      ],
      OutputDataConfig: { S3OutputPath: `s3://${job.bucket}/output` },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
      StoppingCondition: { MaxRuntimeInSeconds: 600 },
    }),
  );
  for (const deadline = Date.now() + WAIT_LIMIT_MS; Date.now() < deadline; await sleep(POLL_MS)) {
    const described = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: job.name }));
    const status = described.TrainingJobStatus;
    if (status === 'Completed') return described.ModelArtifacts!.S3ModelArtifacts!;
    if (status === 'Failed' || status === 'Stopped')
      throw new Error(`${job.name} ended ${status}: ${described.FailureReason ?? ''}`);
  }
  throw new Error(`${job.name} did not complete within ${WAIT_LIMIT_MS / 1000} s`);
}

/** A linear-learner Model of the artifact at `modelData` (an S3 URI). */
export async function createModel(sm: SageMakerClient, model: string, modelData: string) {
  await sm.send(
    new CreateModelCommand({
      ModelName: model,
      ExecutionRoleArn: ROLE,
      PrimaryContainer: { Image: LINEAR_LEARNER_IMAGE, ModelDataUrl: modelData },
    }),
  );
}

/** A Model and an EndpointConfig with one variant of it. */
export async function createModelConfig(
  sm: SageMakerClient,
  spec: { model: string; modelData: string; config: string; variant: string; instances: number },
): Promise<void> {
  await createModel(sm, spec.model, spec.modelData);
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
}

/** CreateEndpoint; resolves once the endpoint is InService. */
export async function createEndpoint(
  sm: SageMakerClient,
  endpoint: string,
  config: string,
): Promise<DescribeEndpointCommandOutput> {
  await sm.send(new CreateEndpointCommand({ EndpointName: endpoint, EndpointConfigName: config }));
  return waitInService(sm, endpoint);
}

/** UpdateEndpointWeightsAndCapacities to `count` instances; resolves once InService again. */
export async function setInstanceCount(
  sm: SageMakerClient,
  target: { endpoint: string; variant: string; count: number },
): Promise<DescribeEndpointCommandOutput> {
  await sm.send(
    new UpdateEndpointWeightsAndCapacitiesCommand({
      EndpointName: target.endpoint,
      DesiredWeightsAndCapacities: [
        { VariantName: target.variant, DesiredInstanceCount: target.count },
      ],
    }),
  );
  return waitInService(sm, target.endpoint);
}

/** UpdateEndpoint to another configuration (blue/green, all at once); resolves once InService. */
export async function switchConfig(
  sm: SageMakerClient,
  endpoint: string,
  config: string,
): Promise<DescribeEndpointCommandOutput> {
  await sm.send(new UpdateEndpointCommand({ EndpointName: endpoint, EndpointConfigName: config }));
  return waitInService(sm, endpoint);
}

/** Polls DescribeEndpoint until InService; throws if it fails or takes too long. */
export async function waitInService(
  sm: SageMakerClient,
  endpoint: string,
): Promise<DescribeEndpointCommandOutput> {
  for (const deadline = Date.now() + WAIT_LIMIT_MS; Date.now() < deadline; await sleep(POLL_MS)) {
    const described = await sm.send(new DescribeEndpointCommand({ EndpointName: endpoint }));
    if (described.EndpointStatus === 'InService') return described;
    if (described.EndpointStatus === 'Failed')
      throw new Error(`${endpoint} failed: ${described.FailureReason ?? ''}`);
  }
  throw new Error(`${endpoint} was not InService within ${WAIT_LIMIT_MS / 1000} s`);
}

/** Downloads a model.tar.gz through Plinth's S3 API and unpacks it into `dir`; returns `dir`. */
export async function downloadModel(s3: S3Client, uri: string, dir: string): Promise<string> {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri) ?? [];
  if (!bucket || !key) throw new Error(`not an S3 URI: ${uri}`);
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  await mkdir(dir, { recursive: true });
  const archive = join(dir, 'model.tar.gz');
  await writeFile(archive, await object.Body!.transformToByteArray());
  const tar = spawnSync('tar', ['-xzf', archive, '-C', dir]);
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`);
  return dir;
}
