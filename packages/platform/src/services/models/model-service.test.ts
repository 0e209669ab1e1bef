import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { createTestContext } from '../testing/service-context.js';
import { ModelService } from './model-service.js';

describe('ModelService', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let models: ModelService;

  beforeEach(async () => {
    ctx = await createTestContext();
    models = new ModelService(ctx);
  });
  afterEach(async () => ctx.close());

  it('forms ARNs from the configured region and account, lower-casing the name', async () => {
    const { ModelArn } = await models.create({
      ModelName: 'MyModel',
      PrimaryContainer: { Image: 'i' },
    });
    expect(ModelArn).toBe('arn:aws:sagemaker:eu-west-1:111122223333:model/mymodel');
    expect((await models.describe('mymodel')).ModelName).toBe('MyModel');
  });

  it('describes pipelines of containers and fills SageMaker defaults', async () => {
    await models.create({
      ModelName: 'pipe',
      Containers: [{ Image: 'a' }, { Image: 'b', Mode: 'MultiModel' }],
      InferenceExecutionConfig: { Mode: 'Serial' },
    });
    const described = await models.describe('pipe');
    expect(described.Containers).toEqual([
      { Image: 'a', Mode: 'SingleModel', Environment: {} },
      { Image: 'b', Mode: 'MultiModel', Environment: {} },
    ]);
    expect(described.PrimaryContainer).toBeUndefined();
    expect(described.InferenceExecutionConfig).toEqual({ Mode: 'Serial' });
  });

  it('refuses contradictory containers with the field named', async () => {
    const cases = [
      { ModelName: 'a', PrimaryContainer: { Image: 'i' }, Containers: [{ Image: 'i' }] },
      { ModelName: 'b', PrimaryContainer: { Environment: {} } },
      {
        ModelName: 'c',
        PrimaryContainer: { Image: 'i' },
        InferenceExecutionConfig: { Mode: 'Serial' as const },
      },
    ];
    for (const request of cases) {
      const error = await models.create(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBeDefined();
    }
    expect((await models.list({})).Models).toEqual([]);
  });

  it('filters by creation time with After inclusive and Before exclusive, as SageMaker documents', async () => {
    for (const name of ['first', 'second', 'third']) {
      await models.create({ ModelName: name, PrimaryContainer: { Image: 'i' } });
      ctx.clock.advance(1000);
    }
    const second = (await models.describe('second')).CreationTime;
    const names = async (filter: Parameters<ModelService['list']>[0]) =>
      (await models.list(filter)).Models.map((m) => m.ModelName);
    expect(await names({ creationTimeAfter: second })).toEqual(['third', 'second']);
    expect(await names({ creationTimeBefore: second })).toEqual(['first']);
    expect(await names({ sortBy: 'Name', sortOrder: 'Ascending' })).toEqual([
      'first',
      'second',
      'third',
    ]);
  });
});
