import {
  CreateModelCommand,
  DeleteModelCommand,
  DescribeModelCommand,
  ListModelsCommand,
  paginateListModels,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sagemakerClient } from './support/clients.js';
import { startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';

const IMAGE = '382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1';

describe('models through @aws-sdk/client-sagemaker', () => {
  let plinth: PlinthProcess;
  let sm: SageMakerClient;

  beforeAll(async () => {
    plinth = await startPlinthProcess();
    sm = sagemakerClient(plinth.url);
  });
  afterAll(async () => plinth?.stop());

  it('creates, describes and deletes a model as SageMaker does', async () => {
    const created = await sm.send(
      new CreateModelCommand({
        ModelName: 'Churn-Model',
        PrimaryContainer: {
          Image: IMAGE,
          ModelDataUrl: 's3://bucket/model.tar.gz',
          Environment: { A: '1' },
        },
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
      }),
    );
    expect(created.ModelArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:model/churn-model');

    const described = await sm.send(new DescribeModelCommand({ ModelName: 'Churn-Model' }));
    expect(described).toMatchObject({
      ModelName: 'Churn-Model',
      ModelArn: created.ModelArn,
      EnableNetworkIsolation: false,
      ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
      PrimaryContainer: {
        Image: IMAGE,
        Mode: 'SingleModel',
        ModelDataUrl: 's3://bucket/model.tar.gz',
        Environment: { A: '1' },
      },
    });
    expect(described.CreationTime).toBeInstanceOf(Date);
    expect(Math.abs(described.CreationTime!.getTime() - Date.now())).toBeLessThan(60_000);

    await sm.send(new DeleteModelCommand({ ModelName: 'Churn-Model' }));
    await expect(
      sm.send(new DescribeModelCommand({ ModelName: 'Churn-Model' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: `Could not find model "${created.ModelArn}".`,
    });
    await expect(
      sm.send(new DeleteModelCommand({ ModelName: 'Churn-Model' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses a second model of the same name, whatever its case', async () => {
    await sm.send(new CreateModelCommand({ ModelName: 'dup', PrimaryContainer: { Image: IMAGE } }));
    await expect(
      sm.send(new CreateModelCommand({ ModelName: 'DUP', PrimaryContainer: { Image: 'other' } })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        'Cannot create already existing model "arn:aws:sagemaker:us-east-1:000000000000:model/dup".',
    });
    const kept = await sm.send(new DescribeModelCommand({ ModelName: 'dup' }));
    expect(kept.PrimaryContainer?.Image).toBe(IMAGE);
  });

  it('names the field and the rule when input is invalid', async () => {
    await expect(
      sm.send(
        new CreateModelCommand({ ModelName: 'bad name!', PrimaryContainer: { Image: IMAGE } }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(
        "Value 'bad name!' at 'modelName' failed to satisfy constraint: Member must satisfy regular expression pattern",
      ),
    });
    await expect(
      sm.send(
        new CreateModelCommand({ ModelName: 'x'.repeat(64), PrimaryContainer: { Image: IMAGE } }),
      ),
    ).rejects.toMatchObject({
      message: expect.stringContaining('Member must have length less than or equal to 63'),
    });
    await expect(
      sm.send(new CreateModelCommand({ ModelName: 'no-container' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('PrimaryContainer or Containers'),
    });
    await expect(sm.send(new ListModelsCommand({ MaxResults: 101 }))).rejects.toMatchObject({
      message: expect.stringContaining(
        "at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
      ),
    });
    await expect(sm.send(new ListModelsCommand({ SortBy: 'Size' as never }))).rejects.toMatchObject(
      {
        message: expect.stringContaining(
          'Member must satisfy enum value set: [Name, CreationTime]',
        ),
      },
    );
    await expect(
      sm.send(new ListModelsCommand({ NextToken: 'not-a-token' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('NextToken'),
    });
  });

  it('lists with filters, sorting and pagination', async () => {
    const names = Array.from({ length: 23 }, (_, i) => `page-model-${String(i).padStart(2, '0')}`);
    const before = new Date();
    for (const ModelName of names) {
      await sm.send(new CreateModelCommand({ ModelName, PrimaryContainer: { Image: IMAGE } }));
    }

    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListModels(
      { client: sm, pageSize: 10 },
      { NameContains: 'page-model', SortBy: 'Name', SortOrder: 'Ascending' },
    )) {
      pages += 1;
      expect(page.Models!.length).toBeLessThanOrEqual(10);
      seen.push(...page.Models!.map((m) => m.ModelName!));
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(names);

    const newestFirst = await sm.send(
      new ListModelsCommand({ NameContains: 'PAGE-MODEL', MaxResults: 5 }),
    );
    expect(newestFirst.Models!.map((m) => m.ModelName)).toEqual(names.slice(-5).reverse());
    expect(newestFirst.NextToken).toBeTruthy();

    const none = await sm.send(
      new ListModelsCommand({ NameContains: 'page-model', CreationTimeBefore: before }),
    );
    expect(none.Models).toEqual([]);
    const after = await sm.send(
      new ListModelsCommand({
        NameContains: 'page-model',
        CreationTimeAfter: before,
        MaxResults: 100,
      }),
    );
    expect(after.Models!.length).toBe(23);
  });
});
