import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { EndpointConfigService } from '../endpoint-configs/endpoint-config-service.js';
import { ModelService } from '../models/model-service.js';
import { createTestContext } from '../testing/service-context.js';
import {
  asyncSettings,
  DEFAULT_MAX_CONCURRENT_INVOCATIONS,
  objectUnder,
} from './async-settings.js';

describe('AsyncInferenceConfig', () => {
  it('reads the paths, topics and concurrency, with Plinth’s default of 4 per instance', () => {
    expect(
      asyncSettings({
        OutputConfig: {
          S3OutputPath: 's3://results/out/',
          S3FailurePath: 's3://results/failed',
          NotificationConfig: {
            SuccessTopic: 'arn:aws:sns:us-east-1:111122223333:ok',
            IncludeInferenceResponseIn: ['SUCCESS_NOTIFICATION_TOPIC'],
          },
        },
      }),
    ).toEqual({
      output: { bucket: 'results', key: 'out/' },
      failure: { bucket: 'results', key: 'failed' },
      successTopic: 'arn:aws:sns:us-east-1:111122223333:ok',
      responseInSuccess: true,
      responseInError: false,
      maxConcurrentPerInstance: DEFAULT_MAX_CONCURRENT_INVOCATIONS,
    });
    expect(objectUnder({ bucket: 'results', key: 'out/' }, 'x.out')).toEqual({
      bucket: 'results',
      key: 'out/x.out',
    });
    expect(objectUnder({ bucket: 'results', key: '' }, 'x.out').key).toBe('x.out');
  });

  it('refuses a missing S3OutputPath and paths that are not s3:// URIs, naming the field', () => {
    expect(() => asyncSettings({ OutputConfig: {} })).toThrow(
      expect.objectContaining({ field: 'AsyncInferenceConfig.OutputConfig.S3OutputPath' }),
    );
    expect(() =>
      asyncSettings({ OutputConfig: { S3OutputPath: 'https://example.com/out' } }),
    ).toThrow(/S3OutputPath must look like s3:\/\/bucket\/key/);
    expect(() =>
      asyncSettings({
        OutputConfig: { S3OutputPath: 's3://ok-bucket/o', S3FailurePath: 's3://x/f' },
      }),
    ).toThrow(
      expect.objectContaining({ field: 'AsyncInferenceConfig.OutputConfig.S3FailurePath' }),
    );
  });

  describe('through CreateEndpointConfig (real SQLite)', () => {
    let ctx: Awaited<ReturnType<typeof createTestContext>>;
    let configs: EndpointConfigService;

    beforeEach(async () => {
      ctx = await createTestContext();
      await new ModelService(ctx).create({
        ModelName: 'm',
        ExecutionRoleArn: 'arn:aws:iam::111122223333:role/r',
        PrimaryContainer: { Image: 'img' },
      });
      configs = new EndpointConfigService(ctx);
    });
    afterEach(() => ctx.close());

    it('stores a valid one as given, and refuses a bad one or one with a serverless variant', async () => {
      const AsyncInferenceConfig = { OutputConfig: { S3OutputPath: 's3://results/out' } };
      await configs.create({
        EndpointConfigName: 'async',
        ProductionVariants: [
          {
            VariantName: 'v',
            ModelName: 'm',
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 1,
          },
        ],
        AsyncInferenceConfig,
      });
      expect((await configs.describe('async')).AsyncInferenceConfig).toEqual(AsyncInferenceConfig);
      await expect(
        configs.create({
          EndpointConfigName: 'bad',
          ProductionVariants: [
            {
              VariantName: 'v',
              ModelName: 'm',
              InstanceType: 'ml.m5.large',
              InitialInstanceCount: 1,
            },
          ],
          AsyncInferenceConfig: { OutputConfig: {} },
        }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        configs.create({
          EndpointConfigName: 'serverless',
          ProductionVariants: [
            {
              VariantName: 'v',
              ModelName: 'm',
              ServerlessConfig: { MemorySizeInMB: 1024, MaxConcurrency: 1 },
            },
          ],
          AsyncInferenceConfig,
        }),
      ).rejects.toThrow(/ProductionVariants.1.ServerlessConfig: an asynchronous endpoint/);
    });
  });
});
