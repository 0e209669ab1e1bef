import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResourceNotFoundError, ValidationError } from '../../core/errors.js';
import { createTestContext } from '../testing/service-context.js';
import { AutoscalingService } from './autoscaling-service.js';
import { InMemoryVariants } from './testing-variants.js';

const KEY = {
  ServiceNamespace: 'sagemaker',
  ResourceId: 'endpoint/shop/variant/AllTraffic',
  ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
};
const TRACKING = {
  TargetValue: 70,
  PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
};

describe('AutoscalingService', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let variants: InMemoryVariants;
  let service: AutoscalingService;
  let n = 0;
  const ids = { uuid: () => `00000000-0000-0000-0000-${String(++n).padStart(12, '0')}` };

  beforeEach(async () => {
    ctx = await createTestContext();
    variants = new InMemoryVariants();
    variants.add({ endpoint: 'shop', variant: 'AllTraffic' }, 2);
    service = new AutoscalingService(ctx, { variants, ids });
  });
  afterEach(() => ctx.close());

  it('registers a variant, updates it on re-registering, and keeps it across a restart', async () => {
    const { ScalableTargetARN } = await service.register({
      ...KEY,
      MinCapacity: 1,
      MaxCapacity: 4,
    });
    expect(ScalableTargetARN).toMatch(
      /^arn:aws:application-autoscaling:eu-west-1:111122223333:scalable-target\/[0-9a-f]{32}$/,
    );
    ctx.clock.advance(1000);
    await service.register({ ...KEY, MaxCapacity: 6 });
    const restarted = new AutoscalingService(ctx, { variants, ids });
    const { ScalableTargets } = await restarted.describeTargets({ ServiceNamespace: 'sagemaker' });
    expect(ScalableTargets).toEqual([
      {
        ...KEY,
        MinCapacity: 1,
        MaxCapacity: 6,
        RoleARN:
          'arn:aws:iam::111122223333:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint',
        CreationTime: new Date('2026-01-01T00:00:00.000Z'),
        ScalableTargetARN,
      },
    ]);
    expect(
      (
        await service.describeTargets({
          ServiceNamespace: 'sagemaker',
          ResourceIds: ['endpoint/x/variant/y'],
        })
      ).ScalableTargets,
    ).toEqual([]);
  });

  it('moves the instance count into a newly registered range, as an activity', async () => {
    await service.register({ ...KEY, MinCapacity: 3, MaxCapacity: 5 });
    expect(await variants.capacity({ endpoint: 'shop', variant: 'AllTraffic' })).toMatchObject({
      desired: 3,
      endpointStatus: 'Updating',
    });
    const { ScalingActivities } = await service.describeActivities({
      ServiceNamespace: 'sagemaker',
    });
    expect(ScalingActivities).toMatchObject([
      {
        ...KEY,
        Description: 'Setting desired instance count to 3.',
        Cause: 'minimum capacity was set to 3',
        StatusCode: 'InProgress',
      },
    ]);
  });

  it('puts, replaces, describes and deletes a target-tracking policy with its alarms', async () => {
    await service.register({ ...KEY, MinCapacity: 1, MaxCapacity: 4 });
    const put = await service.putPolicy({
      ...KEY,
      PolicyName: 'ipm',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: TRACKING,
    });
    expect(put.PolicyARN).toMatch(
      /^arn:aws:autoscaling:eu-west-1:111122223333:scalingPolicy:[0-9a-f-]{36}:resource\/sagemaker\/endpoint\/shop\/variant\/AllTraffic:policyName\/ipm$/,
    );
    expect(put.Alarms.map((a) => a.AlarmName)).toEqual([
      expect.stringMatching(/^TargetTracking-endpoint\/shop\/variant\/AllTraffic-AlarmHigh-/),
      expect.stringMatching(/^TargetTracking-endpoint\/shop\/variant\/AllTraffic-AlarmLow-/),
    ]);
    const again = await service.putPolicy({
      ...KEY,
      PolicyName: 'ipm',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { ...TRACKING, TargetValue: 50 },
    });
    expect(again).toEqual(put);
    const { ScalingPolicies } = await service.describePolicies({
      ServiceNamespace: 'sagemaker',
      ResourceId: KEY.ResourceId,
    });
    expect(ScalingPolicies).toMatchObject([
      { PolicyName: 'ipm', TargetTrackingScalingPolicyConfiguration: { TargetValue: 50 } },
    ]);
    expect(
      (await service.describePolicies({ ServiceNamespace: 'sagemaker', PolicyNames: ['other'] }))
        .ScalingPolicies,
    ).toEqual([]);
    await service.deletePolicy({ ...KEY, PolicyName: 'ipm' });
    expect(
      (await service.describePolicies({ ServiceNamespace: 'sagemaker' })).ScalingPolicies,
    ).toEqual([]);
  });

  it('deregistering a target deletes its policies', async () => {
    await service.register({ ...KEY, MinCapacity: 1, MaxCapacity: 4 });
    await service.putPolicy({
      ...KEY,
      PolicyName: 'ipm',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: TRACKING,
    });
    await service.deregister(KEY);
    expect(
      (await service.describeTargets({ ServiceNamespace: 'sagemaker' })).ScalableTargets,
    ).toEqual([]);
    expect(
      (await service.describePolicies({ ServiceNamespace: 'sagemaker' })).ScalingPolicies,
    ).toEqual([]);
  });

  describe('refuses bad input, naming the field', () => {
    const cases: [string, () => Promise<unknown>, string, RegExp][] = [
      [
        'another namespace',
        () => service.register({ ...KEY, ServiceNamespace: 'ecs', MinCapacity: 1, MaxCapacity: 2 }),
        'ServiceNamespace',
        /ServiceNamespace must be sagemaker/,
      ],
      [
        'another dimension',
        () =>
          service.register({
            ...KEY,
            ScalableDimension: 'sagemaker:variant:DesiredProvisionedConcurrency',
            MinCapacity: 1,
            MaxCapacity: 2,
          }),
        'ScalableDimension',
        /scales sagemaker:variant:DesiredInstanceCount only/,
      ],
      [
        'a malformed ResourceId',
        () =>
          service.register({ ...KEY, ResourceId: 'endpoint/shop', MinCapacity: 1, MaxCapacity: 2 }),
        'ResourceId',
        /endpoint\/<endpoint-name>\/variant\/<variant-name>/,
      ],
      [
        'an unknown endpoint',
        () =>
          service.register({
            ...KEY,
            ResourceId: 'endpoint/nope/variant/AllTraffic',
            MinCapacity: 1,
            MaxCapacity: 2,
          }),
        'ResourceId',
        /no variant AllTraffic of an endpoint nope/,
      ],
      [
        'an unknown variant',
        () =>
          service.register({
            ...KEY,
            ResourceId: 'endpoint/shop/variant/Other',
            MinCapacity: 1,
            MaxCapacity: 2,
          }),
        'ResourceId',
        /no variant Other/,
      ],
      [
        'a new target without capacities',
        () => service.register({ ...KEY, MinCapacity: 1 }),
        'MaxCapacity',
        /are required to register a new scalable target/,
      ],
      [
        'MinCapacity 0',
        () => service.register({ ...KEY, MinCapacity: 0, MaxCapacity: 2 }),
        'MinCapacity',
        /at least 1 instance/,
      ],
      [
        'MinCapacity above MaxCapacity',
        () => service.register({ ...KEY, MinCapacity: 3, MaxCapacity: 2 }),
        'MinCapacity',
        /Minimum capacity cannot be greater than maximum capacity/,
      ],
      [
        'MaxResults 51',
        () => service.describeTargets({ ServiceNamespace: 'sagemaker', MaxResults: 51 }),
        'MaxResults',
        /from 1 to 50/,
      ],
      [
        'a namespace to describe',
        () => service.describeActivities({ ServiceNamespace: 'dynamodb' }),
        'ServiceNamespace',
        /must be sagemaker/,
      ],
      [
        'a malformed ResourceId to describe',
        () => service.describePolicies({ ServiceNamespace: 'sagemaker', ResourceId: 'table/x' }),
        'ResourceId',
        /variant/,
      ],
    ];
    it.each(cases)('%s', async (...[, call, field, message]) => {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field, message: expect.stringMatching(message) });
    });

    const policyCases: [string, Record<string, unknown>, string, RegExp][] = [
      [
        'no PolicyType (StepScaling)',
        { PolicyType: undefined },
        'PolicyType',
        /Unsupported PolicyType StepScaling/,
      ],
      [
        'PredictiveScaling',
        { PolicyType: 'PredictiveScaling' },
        'PolicyType',
        /TargetTrackingScaling policies only/,
      ],
      [
        'a step configuration too',
        { StepScalingPolicyConfiguration: {} },
        'StepScalingPolicyConfiguration',
        /cannot be given/,
      ],
      [
        'no configuration',
        { TargetTrackingScalingPolicyConfiguration: undefined },
        'TargetTrackingScalingPolicyConfiguration',
        /is required/,
      ],
      [
        'a customized metric',
        {
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 1,
            CustomizedMetricSpecification: {},
          },
        },
        'TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification',
        /Unsupported/,
      ],
      [
        'no predefined metric',
        { TargetTrackingScalingPolicyConfiguration: { TargetValue: 1 } },
        'TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType',
        /is required/,
      ],
      [
        'another predefined metric',
        {
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 1,
            PredefinedMetricSpecification: {
              PredefinedMetricType: 'ECSServiceAverageCPUUtilization',
            },
          },
        },
        'TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType',
        /Unsupported PredefinedMetricType ECSServiceAverageCPUUtilization/,
      ],
      [
        'TargetValue 0',
        { TargetTrackingScalingPolicyConfiguration: { ...TRACKING, TargetValue: 0 } },
        'TargetTrackingScalingPolicyConfiguration.TargetValue',
        /out of range/,
      ],
      [
        'a negative cooldown',
        { TargetTrackingScalingPolicyConfiguration: { ...TRACKING, ScaleInCooldown: -1 } },
        'TargetTrackingScalingPolicyConfiguration.ScaleInCooldown',
        /must not be negative/,
      ],
    ];
    it.each(policyCases)('a policy with %s', async (...[, change, field, message]) => {
      await service.register({ ...KEY, MinCapacity: 1, MaxCapacity: 2 });
      const request = {
        ...KEY,
        PolicyName: 'p',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: TRACKING,
        ...change,
      };
      const error = await service.putPolicy(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field, message: expect.stringMatching(message) });
    });

    it('a policy, deregistration or deletion of something not registered: ObjectNotFound', async () => {
      const policy = service.putPolicy({
        ...KEY,
        PolicyName: 'p',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: TRACKING,
      });
      await expect(policy).rejects.toThrow(ResourceNotFoundError);
      await expect(policy).rejects.toThrow(
        'No scalable target registered for service namespace: sagemaker, resource ID: endpoint/shop/variant/AllTraffic, scalable dimension: sagemaker:variant:DesiredInstanceCount',
      );
      await expect(service.deregister(KEY)).rejects.toThrow(
        'No scalable target found for service namespace: sagemaker, resource ID: endpoint/shop/variant/AllTraffic, scalable dimension: sagemaker:variant:DesiredInstanceCount',
      );
      await expect(service.deletePolicy({ ...KEY, PolicyName: 'p' })).rejects.toThrow(
        /^No scaling policy found for service namespace: sagemaker, .*, policy name: p$/,
      );
    });
  });
});
