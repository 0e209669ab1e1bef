import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResourceInUseError, ResourceNotFoundError, ValidationError } from '../../core/errors.js';
import { ModelService } from '../models/model-service.js';
import { createTestContext } from '../testing/service-context.js';
import { TransformJobService, type TransformJobRunner } from './transform-job-service.js';
import type { CreateTransformJobRequest } from './transform-job-types.js';

/** Records what the service hands its runner; running is the e2e tests' business. */
class RecordingRunner implements TransformJobRunner {
  readonly started: string[] = [];
  start(name: string): void {
    this.started.push(name);
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
}

function request(overrides: Partial<CreateTransformJobRequest> = {}): CreateTransformJobRequest {
  return {
    TransformJobName: 'score',
    ModelName: 'km',
    TransformInput: {
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://data/in' } },
      ContentType: 'text/csv',
      SplitType: 'Line',
    },
    TransformOutput: { S3OutputPath: 's3://data/out' },
    TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
    ...overrides,
  };
}

describe('TransformJobService', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let runner: RecordingRunner;
  let jobs: TransformJobService;

  beforeEach(async () => {
    ctx = await createTestContext();
    runner = new RecordingRunner();
    const models = new ModelService(ctx);
    await models.create({
      ModelName: 'km',
      PrimaryContainer: { Image: 'kmeans', ModelDataUrl: 's3://m/model.tar.gz' },
    });
    jobs = new TransformJobService(ctx, { models, runner });
  });
  afterEach(async () => ctx.close());

  it('stores the job InProgress with SageMaker defaults filled and starts it', async () => {
    const { TransformJobArn } = await jobs.create(request());
    expect(TransformJobArn).toBe('arn:aws:sagemaker:eu-west-1:111122223333:transform-job/score');
    expect(runner.started).toEqual(['score']);
    const described = await jobs.describe('score');
    expect(described).toMatchObject({
      TransformJobName: 'score',
      TransformJobStatus: 'InProgress',
      MaxPayloadInMB: 6,
      MaxConcurrentTransforms: 1,
      BatchStrategy: 'MultiRecord',
      ModelClientConfig: { InvocationsTimeoutInSeconds: 600, InvocationsMaxRetries: 3 },
      TransformInput: { CompressionType: 'None', SplitType: 'Line' },
      TransformOutput: { AssembleWith: 'None' },
    });
    expect(described.LastModifiedTime).toBeUndefined();
    expect((await jobs.list({})).TransformJobSummaries).toMatchObject([
      { TransformJobName: 'score', TransformJobStatus: 'InProgress' },
    ]);
  });

  it('refuses a duplicate name with SageMaker wording', async () => {
    await jobs.create(request());
    const error = await jobs.create(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceInUseError);
    expect((error as Error).message).toBe(
      'Transform job names must be unique within an AWS account and region, and a transform job with this name already exists (arn:aws:sagemaker:eu-west-1:111122223333:transform-job/score)',
    );
  });

  it('refuses bad requests naming the field, and starts nothing', async () => {
    const cases: [Partial<CreateTransformJobRequest>, RegExp][] = [
      [{ ModelName: 'nope' }, /Could not find model ".*model\/nope"/],
      [
        { TransformOutput: { S3OutputPath: 'https://bucket/out' } },
        /TransformOutput.S3OutputPath must be an s3:\/\/ URI/,
      ],
      [
        {
          TransformInput: {
            DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://Bad_Bucket/in' } },
          },
        },
        /S3Uri names an invalid bucket/,
      ],
      [
        {
          TransformInput: {
            DataSource: {
              S3DataSource: { S3DataType: 'AugmentedManifestFile', S3Uri: 's3://data/m' },
            },
          },
        },
        /AugmentedManifestFile is not supported/,
      ],
      [{ MaxPayloadInMB: 101 }, /MaxPayloadInMB must be at most 100/],
      [
        { MaxPayloadInMB: 50, MaxConcurrentTransforms: 3 },
        /MaxConcurrentTransforms × MaxPayloadInMB/,
      ],
      [
        { DataProcessing: { InputFilter: 'features' } },
        /DataProcessing.InputFilter is not a JSONPath/,
      ],
      [{ DataProcessing: { OutputFilter: '$..x' } }, /DataProcessing.OutputFilter/],
      [
        {
          DataProcessing: { JoinSource: 'Input' },
          TransformInput: {
            DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://data/in' } },
            ContentType: 'application/x-recordio-protobuf',
          },
        },
        /DataProcessing needs TransformInput.ContentType/,
      ],
      [
        {
          DataProcessing: { JoinSource: 'Input' },
          TransformOutput: { S3OutputPath: 's3://data/o', Accept: 'image/png' },
        },
        /need TransformOutput.Accept/,
      ],
      [{ Tags: [{ Key: 'aws:x', Value: 'y' }] }, /aws:/],
    ];
    for (const [overrides, message] of cases) {
      const error = await jobs.create(request(overrides)).catch((e: unknown) => e);
      expect(error, String(message)).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
    }
    expect(runner.started).toEqual([]);
  });

  it('answers ResourceNotFound for a job that is not there, and stops only InProgress jobs', async () => {
    await expect(jobs.describe('ghost')).rejects.toBeInstanceOf(ResourceNotFoundError);
    await expect(jobs.stop('ghost')).rejects.toBeInstanceOf(ResourceNotFoundError);
    await jobs.create(request());
    await jobs.jobs.update('score', {
      status: 'Completed',
      body: { TransformJobStatus: 'Completed' },
    });
    await expect(jobs.stop('score')).rejects.toThrow(/only an InProgress job can be stopped/);
  });
});
