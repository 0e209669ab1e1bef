import {
  AddTagsCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointConfigCommand,
  DeleteTagsCommand,
  DescribeEndpointConfigCommand,
  ListEndpointConfigsCommand,
  ListTagsCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sagemakerClient } from './support/clients.js';
import { startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';

const IMAGE = 'plinth/linear-learner:1';

describe('endpoint configurations and tags through @aws-sdk/client-sagemaker', () => {
  let plinth: PlinthProcess;
  let sm: SageMakerClient;

  beforeAll(async () => {
    plinth = await startPlinthProcess();
    sm = sagemakerClient(plinth.url);
    for (const ModelName of ['model-a', 'model-b']) {
      await sm.send(new CreateModelCommand({ ModelName, PrimaryContainer: { Image: IMAGE } }));
    }
  });
  afterAll(async () => plinth?.stop());

  it('creates a two-variant config and describes it with SageMaker defaults', async () => {
    const { EndpointConfigArn } = await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'ab-config',
        ProductionVariants: [
          {
            VariantName: 'old',
            ModelName: 'model-a',
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 2,
            InitialVariantWeight: 0.8,
          },
          {
            VariantName: 'new',
            ModelName: 'model-b',
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 1,
          },
        ],
        Tags: [{ Key: 'team', Value: 'ml' }],
      }),
    );
    expect(EndpointConfigArn).toBe(
      'arn:aws:sagemaker:us-east-1:000000000000:endpoint-config/ab-config',
    );
    const config = await sm.send(
      new DescribeEndpointConfigCommand({ EndpointConfigName: 'ab-config' }),
    );
    expect(config.ProductionVariants).toEqual([
      {
        VariantName: 'old',
        ModelName: 'model-a',
        InstanceType: 'ml.m5.large',
        InitialInstanceCount: 2,
        InitialVariantWeight: 0.8,
      },
      {
        VariantName: 'new',
        ModelName: 'model-b',
        InstanceType: 'ml.m5.large',
        InitialInstanceCount: 1,
        InitialVariantWeight: 1,
      },
    ]);
    expect(config.CreationTime).toBeInstanceOf(Date);
    const tags = await sm.send(new ListTagsCommand({ ResourceArn: EndpointConfigArn }));
    expect(tags.Tags).toEqual([{ Key: 'team', Value: 'ml' }]);

    const listed = await sm.send(new ListEndpointConfigsCommand({ NameContains: 'ab-' }));
    expect(listed.EndpointConfigs!.map((c) => c.EndpointConfigName)).toEqual(['ab-config']);

    await sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'ab-config' }));
    await expect(
      sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'ab-config' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: `Could not find endpoint configuration "${EndpointConfigArn}".`,
    });
    // Deleting a resource deletes its tags: a new config of the same name starts bare.
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'ab-config',
        ProductionVariants: [
          {
            VariantName: 'v',
            ModelName: 'model-a',
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 1,
          },
        ],
      }),
    );
    expect((await sm.send(new ListTagsCommand({ ResourceArn: EndpointConfigArn }))).Tags).toEqual(
      [],
    );
  });

  it('rejects configs that name a missing model, repeat a variant or lack capacity', async () => {
    const variant = {
      VariantName: 'v1',
      ModelName: 'model-a',
      InstanceType: 'ml.m5.large' as const,
      InitialInstanceCount: 1,
    };
    await expect(
      sm.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: 'c1',
          ProductionVariants: [{ ...variant, ModelName: 'ghost' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Could not find model "arn:aws:sagemaker:us-east-1:000000000000:model/ghost".',
    });
    await expect(
      sm.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: 'c1',
          ProductionVariants: [variant, variant],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('unique'),
    });
    await expect(
      sm.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: 'c1',
          ProductionVariants: [{ VariantName: 'v1', ModelName: 'model-a' }],
        }),
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining('InstanceType') });
    await expect(
      sm.send(
        new CreateEndpointConfigCommand({ EndpointConfigName: 'c1', ProductionVariants: [] }),
      ),
    ).rejects.toMatchObject({
      message: expect.stringContaining(
        "at 'productionVariants' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ),
    });
    await expect(
      sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'c1' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('adds, lists, overwrites and deletes tags on a model', async () => {
    const arn = 'arn:aws:sagemaker:us-east-1:000000000000:model/model-b';
    await sm.send(
      new AddTagsCommand({
        ResourceArn: arn,
        Tags: [
          { Key: 'stage', Value: 'dev' },
          { Key: 'owner', Value: 'ana' },
        ],
      }),
    );
    await sm.send(
      new AddTagsCommand({ ResourceArn: arn, Tags: [{ Key: 'stage', Value: 'prod' }] }),
    );
    expect((await sm.send(new ListTagsCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'owner', Value: 'ana' },
      { Key: 'stage', Value: 'prod' },
    ]);
    await sm.send(new DeleteTagsCommand({ ResourceArn: arn, TagKeys: ['owner', 'absent'] }));
    expect((await sm.send(new ListTagsCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'stage', Value: 'prod' },
    ]);

    await expect(
      sm.send(new AddTagsCommand({ ResourceArn: arn, Tags: [{ Key: 'aws:x', Value: '1' }] })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("'aws:'"),
    });
    const tooMany = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expect(
      sm.send(new AddTagsCommand({ ResourceArn: arn, Tags: tooMany })),
    ).rejects.toMatchObject({ message: expect.stringContaining('at most 50') });
    expect((await sm.send(new ListTagsCommand({ ResourceArn: arn }))).Tags).toHaveLength(1);
    await expect(
      sm.send(
        new ListTagsCommand({
          ResourceArn: 'arn:aws:sagemaker:us-east-1:000000000000:model/ghost',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Could not find'),
    });
  });

  it('pages through tags', async () => {
    const arn = 'arn:aws:sagemaker:us-east-1:000000000000:model/model-a';
    const tags = Array.from({ length: 45 }, (_, i) => ({
      Key: `key-${String(i).padStart(2, '0')}`,
      Value: String(i),
    }));
    await sm.send(new AddTagsCommand({ ResourceArn: arn, Tags: tags }));
    const first = await sm.send(new ListTagsCommand({ ResourceArn: arn, MaxResults: 50 }));
    expect(first.Tags).toEqual(tags);
    expect(first.NextToken).toBeUndefined();
  });
});
