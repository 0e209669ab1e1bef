import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logging/logger.js';
import { PrometheusEndpointMetrics } from '../metrics/prometheus-endpoint-metrics.js';
import { createTestContext } from '../testing/service-context.js';
import { Autoscaler } from './autoscaler.js';
import { AutoscalingService } from './autoscaling-service.js';
import { SCALE_IN_PERIODS } from './scaling-decision.js';
import { InMemoryVariants } from './testing-variants.js';

const PERIOD_MS = 60_000;
const REF = { endpoint: 'shop', variant: 'AllTraffic' };
const KEY = {
  ServiceNamespace: 'sagemaker',
  ResourceId: 'endpoint/shop/variant/AllTraffic',
  ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
};

describe('Autoscaler', () => {
  let ctx: Awaited<ReturnType<typeof createTestContext>>;
  let variants: InMemoryVariants;
  let service: AutoscalingService;
  let metrics: PrometheusEndpointMetrics;
  let autoscaler: Autoscaler;
  let instances = 1;

  /** `perMinute` invocations a minute for a period, spread over its seconds. */
  function load(perMinute: number): void {
    for (let second = 0; second < PERIOD_MS / 1000; second++) {
      ctx.clock.advance(1000);
      for (let i = 0; i < perMinute / 60; i++) {
        metrics.recordInvocation({
          ...REF,
          status: 200,
          modelLatencyMs: 1,
          overheadLatencyMs: 0.1,
        });
      }
    }
  }

  async function period(perMinute: number): Promise<number> {
    load(perMinute);
    await autoscaler.tick();
    const capacity = (await variants.capacity(REF))!;
    variants.settle();
    instances = capacity.desired;
    return capacity.desired;
  }

  beforeEach(async () => {
    ctx = await createTestContext();
    variants = new InMemoryVariants();
    variants.add(REF, 1);
    instances = 1;
    service = new AutoscalingService(ctx, { variants, ids: { uuid: () => crypto.randomUUID() } });
    metrics = new PrometheusEndpointMetrics({
      instances: {
        instances: () =>
          Array.from({ length: instances }, (_, i) => ({ ...REF, pid: -1, url: `u${i}` })),
      },
      clock: ctx.clock,
      windowSeconds: PERIOD_MS / 1000,
    });
    autoscaler = new Autoscaler({
      service,
      variants,
      metrics,
      clock: ctx.clock,
      periodMs: PERIOD_MS,
      logger: silentLogger,
    });
    await service.register({ ...KEY, MinCapacity: 1, MaxCapacity: 4 });
    await service.putPolicy({
      ...KEY,
      PolicyName: 'ipm',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 60,
        PredefinedMetricSpecification: {
          PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance',
        },
        ScaleOutCooldown: 0,
        ScaleInCooldown: 0,
      },
    });
  });
  afterEach(() => ctx.close());

  it('scales out with the load per instance, then in one step at a time once it is gone', async () => {
    expect(await period(60)).toBe(1);
    expect(await period(180)).toBe(3);
    // 180 a minute over 3 instances is the target: hold.
    expect(await period(180)).toBe(3);
    const quiet: number[] = [];
    for (let i = 0; i < SCALE_IN_PERIODS + 2; i++) quiet.push(await period(0));
    expect(quiet).toEqual([3, 3, 2, 1, 1]);

    await autoscaler.tick();
    const { ScalingActivities } = await service.describeActivities({
      ServiceNamespace: 'sagemaker',
    });
    expect(
      ScalingActivities.map((a) => [
        a.Description,
        a.StatusCode,
        a.Cause.split(' ').slice(0, 2).join(' '),
      ]),
    ).toEqual([
      ['Setting desired instance count to 1.', 'Successful', 'monitor alarm'],
      ['Setting desired instance count to 2.', 'Successful', 'monitor alarm'],
      ['Setting desired instance count to 3.', 'Successful', 'monitor alarm'],
    ]);
    expect(ScalingActivities[2]!.Cause).toMatch(
      /^monitor alarm TargetTracking-endpoint\/shop\/variant\/AllTraffic-AlarmHigh-.* in state ALARM triggered policy ipm$/,
    );
    expect(ScalingActivities[0]!.StatusMessage).toBe(
      'Successfully set desired instance count to 1. Change successfully fulfilled by sagemaker.',
    );
  });

  it('leaves an endpoint that is not InService alone and retries next period', async () => {
    variants.add(REF, 1, 'Updating');
    expect(await period(600)).toBe(1);
    variants.add(REF, 1, 'InService');
    expect(await period(600)).toBe(4);
  });

  it('respects the scale-out cooldown', async () => {
    await service.putPolicy({
      ...KEY,
      PolicyName: 'ipm',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 60,
        PredefinedMetricSpecification: {
          PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance',
        },
        ScaleOutCooldown: 150,
      },
    });
    expect(await period(120)).toBe(2);
    // The change is found finished at the next pass (t=120 s); the 150 s cooldown runs from then.
    const next: number[] = [];
    for (let i = 0; i < 4; i++) next.push(await period(480));
    expect(next).toEqual([2, 2, 2, 4]);
  });
});
