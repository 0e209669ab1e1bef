import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { ModelService } from '../models/model-service.js';
import { createTestContext } from '../testing/service-context.js';
import { TagService } from './tag-service.js';

describe('TagService', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let tags: TagService;
  let arn: string;

  beforeEach(async () => {
    ctx = await createTestContext();
    tags = new TagService(ctx);
    arn = (
      await new ModelService(ctx).create({
        ModelName: 'm',
        PrimaryContainer: { Image: 'i' },
        Tags: [{ Key: 'a', Value: '1' }],
      })
    ).ModelArn;
  });
  afterEach(async () => ctx.close());

  it('rolls back an AddTags that would pass 50 tags, keeping the old ones', async () => {
    await tags.addTags(
      arn,
      Array.from({ length: 40 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
    );
    const overflow = Array.from({ length: 10 }, (_, i) => ({ Key: `extra${i}`, Value: 'v' }));
    await expect(tags.addTags(arn, [...overflow, { Key: 'a', Value: 'changed' }])).rejects.toThrow(
      ValidationError,
    );
    const page = await tags.listTags(arn, {});
    expect(page.items).toHaveLength(41);
    expect(page.items.find((t) => t.Key === 'a')?.Value).toBe('1');
  });

  it('refuses reserved and repeated keys', async () => {
    await expect(tags.addTags(arn, [{ Key: 'AWS:owner', Value: 'x' }])).rejects.toThrow("'aws:'");
    await expect(
      tags.addTags(arn, [
        { Key: 'k', Value: '1' },
        { Key: 'k', Value: '2' },
      ]),
    ).rejects.toThrow('duplicate tag key');
  });

  it('answers for resources that do not exist with the ARN named', async () => {
    const ghost = 'arn:aws:sagemaker:eu-west-1:111122223333:model/ghost';
    await expect(tags.addTags(ghost, [{ Key: 'k', Value: 'v' }])).rejects.toThrow(
      `Could not find resource "${ghost}".`,
    );
    await expect(tags.deleteTags(ghost, ['k'])).rejects.toThrow(ValidationError);
  });
});
