import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { silentLogger } from '../../logging/logger.js';
import type { EndpointBacklog } from '../metrics/endpoint-metrics.js';
import { PrometheusEndpointMetrics } from '../metrics/prometheus-endpoint-metrics.js';
import { createTestContext } from '../testing/service-context.js';
import { Autoscaler } from './autoscaler.js';
import { AutoscalingService } from './autoscaling-service.js';
import { SCALE_IN_PERIODS } from './scaling-decision.js';
import { InMemoryVariants } from './testing-variants.js';

const REF = { endpoint: 'batchy', variant: 'AllTraffic' };
const KEY = {
  ServiceNamespace: 'sagemaker',
  ResourceId: 'endpoint/batchy/variant/AllTraffic',
  ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
};
/** AWS's guide for asynchronous endpoints: track the backlog per instance. */
const BACKLOG_TRACKING = {
  ...KEY,
  PolicyName: 'Invocations-ScalingPolicy',
  PolicyType: 'TargetTrackingScaling',
  TargetTrackingScalingPolicyConfiguration: {
    TargetValue: 5,
    CustomizedMetricSpecification: {
      MetricName: 'ApproximateBacklogSizePerInstance',
      Namespace: 'AWS/SageMaker',
      Dimensions: [{ Name: 'EndpointName', Value: 'batchy' }],
      Statistic: 'Average',
    },
    ScaleInCooldown: 0,
    ScaleOutCooldown: 0,
  },
};
/** ... and scale from zero when requests wait with no instance. */
const FROM_ZERO = {
  ...KEY,
  PolicyName: 'HasBacklogWithoutCapacity-ScalingPolicy',
  PolicyType: 'StepScaling',
  StepScalingPolicyConfiguration: {
    AdjustmentType: 'ChangeInCapacity' as const,
    MetricAggregationType: 'Average',
    Cooldown: 300,
    StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
  },
};

describe('autoscaling an asynchronous endpoint', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let variants: InMemoryVariants;
  let service: AutoscalingService;
  let backlog = 0;

  async function failure(call: Promise<unknown>): Promise<ValidationError> {
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof ValidationError))
      throw new Error(`expected a ValidationError, got ${String(error)}`);
    return error;
  }

  beforeEach(async () => {
    ctx = await createTestContext();
    variants = new InMemoryVariants();
    variants.add(REF, 1);
    service = new AutoscalingService(ctx, {
      variants,
      ids: { uuid: () => crypto.randomUUID() },
    });
    backlog = 0;
  });
  afterEach(() => ctx.close());

  it('allows MinCapacity 0 for an asynchronous endpoint only', async () => {
    expect(
      await failure(service.register({ ...KEY, MinCapacity: 0, MaxCapacity: 2 })),
    ).toMatchObject({
      field: 'MinCapacity',
      message: expect.stringMatching(/only an asynchronous endpoint's variant .* may scale to 0/),
    });
    variants.makeAsynchronous(REF);
    await service.register({ ...KEY, MinCapacity: 0, MaxCapacity: 2 });
    expect(await failure(service.register({ ...KEY, MinCapacity: -1 }))).toMatchObject({
      field: 'MinCapacity',
    });
  });

  it('refuses step scaling and the backlog metric for a real-time endpoint, naming the field', async () => {
    await service.register({ ...KEY, MinCapacity: 1, MaxCapacity: 2 });
    expect(await failure(service.putPolicy(FROM_ZERO))).toMatchObject({
      field: 'PolicyType',
      message: expect.stringMatching(/StepScaling policies only for asynchronous endpoints/),
    });
    expect(await failure(service.putPolicy(BACKLOG_TRACKING))).toMatchObject({
      field: 'TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification',
      message: expect.stringMatching(/for asynchronous endpoints only/),
    });
  });

  it('checks the customized metric and the step configuration field by field', async () => {
    variants.makeAsynchronous(REF);
    await service.register({ ...KEY, MinCapacity: 0, MaxCapacity: 2 });
    const config = BACKLOG_TRACKING.TargetTrackingScalingPolicyConfiguration;
    const metric = config.CustomizedMetricSpecification;
    const tracking = (m: object) => ({
      ...BACKLOG_TRACKING,
      TargetTrackingScalingPolicyConfiguration: {
        ...config,
        CustomizedMetricSpecification: { ...metric, ...m },
      },
    });
    const field = 'TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification';
    expect(
      (await failure(service.putPolicy(tracking({ MetricName: 'CPUUtilization' })))).field,
    ).toBe(`${field}.MetricName`);
    expect((await failure(service.putPolicy(tracking({ Namespace: 'AWS/EC2' })))).field).toBe(
      `${field}.Namespace`,
    );
    expect(
      (
        await failure(
          service.putPolicy(tracking({ Dimensions: [{ Name: 'EndpointName', Value: 'other' }] })),
        )
      ).field,
    ).toBe(`${field}.Dimensions`);
    expect((await failure(service.putPolicy(tracking({ Statistic: 'Sum' })))).field).toBe(
      `${field}.Statistic`,
    );

    const step = FROM_ZERO.StepScalingPolicyConfiguration;
    const stepping = (c: object) => ({
      ...FROM_ZERO,
      StepScalingPolicyConfiguration: { ...step, ...c },
    });
    const stepField = 'StepScalingPolicyConfiguration';
    expect(
      (
        await failure(
          service.putPolicy({ ...FROM_ZERO, StepScalingPolicyConfiguration: undefined }),
        )
      ).field,
    ).toBe(stepField);
    expect((await failure(service.putPolicy(stepping({ AdjustmentType: undefined })))).field).toBe(
      `${stepField}.AdjustmentType`,
    );
    expect((await failure(service.putPolicy(stepping({ StepAdjustments: [] })))).field).toBe(
      `${stepField}.StepAdjustments`,
    );
    expect(
      (
        await failure(
          service.putPolicy(
            stepping({
              StepAdjustments: [
                { MetricIntervalLowerBound: 0, ScalingAdjustment: 1 },
                { MetricIntervalLowerBound: 1, ScalingAdjustment: 2 },
              ],
            }),
          ),
        )
      ).message,
    ).toMatch(/intervals overlap/);
    expect((await failure(service.putPolicy(stepping({ MinAdjustmentMagnitude: 1 })))).field).toBe(
      `${stepField}.MinAdjustmentMagnitude`,
    );

    const put = await service.putPolicy(FROM_ZERO);
    expect(put.Alarms).toEqual([]);
    const { ScalingPolicies } = await service.describePolicies({ ServiceNamespace: 'sagemaker' });
    expect(ScalingPolicies).toMatchObject([
      {
        PolicyName: FROM_ZERO.PolicyName,
        PolicyType: 'StepScaling',
        StepScalingPolicyConfiguration: step,
      },
    ]);
  });

  it('scales to zero when the backlog is empty, and back to one when a request waits with no instance', async () => {
    variants.makeAsynchronous(REF);
    let instances = 1;
    const metrics = new PrometheusEndpointMetrics({
      instances: { instances: () => [] },
      clock: ctx.clock,
      windowSeconds: 60,
      backlogs: {
        backlog: async (endpoint): Promise<EndpointBacklog> => ({
          endpoint,
          backlogSize: backlog,
          backlogSizePerInstance: backlog / Math.max(1, instances),
          hasBacklogWithoutCapacity: backlog > 0 && instances === 0,
          ageOfOldestRequestSeconds: 0,
        }),
        backlogs: async () => [],
      },
    });
    const autoscaler = new Autoscaler({
      service,
      variants,
      metrics,
      clock: ctx.clock,
      periodMs: 60_000,
      logger: silentLogger,
    });
    await service.register({ ...KEY, MinCapacity: 0, MaxCapacity: 2 });
    await service.putPolicy(BACKLOG_TRACKING);
    await service.putPolicy(FROM_ZERO);
    const period = async () => {
      ctx.clock.advance(60_000);
      await autoscaler.tick();
      const desired = (await variants.capacity(REF))!.desired;
      variants.settle();
      instances = desired;
      return desired;
    };

    const idle: number[] = [];
    for (let i = 0; i < SCALE_IN_PERIODS + 1; i++) idle.push(await period());
    expect(idle).toEqual([1, 1, 0, 0]);

    backlog = 1;
    expect(await period()).toBe(1);
    // One waiting request on one instance is below the target of 5: held until it is done.
    expect(await period()).toBe(1);

    const { ScalingActivities } = await service.describeActivities({
      ServiceNamespace: 'sagemaker',
    });
    expect(ScalingActivities.map((a) => [a.Description, a.StatusCode])).toEqual([
      ['Setting desired instance count to 1.', 'Successful'],
      ['Setting desired instance count to 0.', 'Successful'],
    ]);
    expect(ScalingActivities[0]!.Cause).toBe(
      'monitor alarm HasBacklogWithoutCapacity-batchy in state ALARM triggered policy HasBacklogWithoutCapacity-ScalingPolicy',
    );
  });
});
