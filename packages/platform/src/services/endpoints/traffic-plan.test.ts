import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { trafficPlan } from './traffic-plan.js';

const routing = (config: Record<string, unknown>) => ({
  BlueGreenUpdatePolicy: {
    TrafficRoutingConfiguration: { WaitIntervalInSeconds: 2, ...config },
    TerminationWaitInSeconds: 3,
  },
});

describe('trafficPlan', () => {
  it('moves all traffic at once by default, as SageMaker does', () => {
    expect(trafficPlan(undefined, 2)).toEqual({ shares: [1], waitMs: 0, terminationWaitMs: 0 });
    expect(trafficPlan(routing({ Type: 'ALL_AT_ONCE' }) as never, 2)).toEqual({
      shares: [1],
      waitMs: 2000,
      terminationWaitMs: 3000,
    });
  });

  it('sends a canary share first, then the rest', () => {
    const plan = trafficPlan(
      routing({ Type: 'CANARY', CanarySize: { Type: 'INSTANCE_COUNT', Value: 1 } }) as never,
      4,
    );
    expect(plan.shares).toEqual([0.25, 1]);
  });

  it('shifts linearly in equal steps ending at all traffic', () => {
    const plan = trafficPlan(
      routing({ Type: 'LINEAR', LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 30 } }) as never,
      10,
    );
    expect(plan.shares).toHaveLength(4);
    expect(plan.shares[0]).toBeCloseTo(0.3);
    expect(plan.shares.at(-1)).toBe(1);
  });

  it('shifts a rolling update batch by batch', () => {
    const plan = trafficPlan(
      {
        RollingUpdatePolicy: {
          MaximumBatchSize: { Type: 'INSTANCE_COUNT', Value: 1 },
          WaitIntervalInSeconds: 1,
        },
      },
      2,
    );
    expect(plan).toEqual({ shares: [0.5, 1], waitMs: 1000, terminationWaitMs: 0 });
  });

  it('refuses sizes SageMaker refuses, naming the field', () => {
    const bad = [
      routing({ Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 60 } }),
      routing({ Type: 'CANARY' }),
      routing({ Type: 'LINEAR', LinearStepSize: { Type: 'INSTANCE_COUNT', Value: 1 } }),
    ];
    const fields = bad.map((config) => {
      try {
        trafficPlan(config as never, 20);
        return 'accepted';
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).field;
      }
    });
    expect(fields).toEqual([
      'DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.CanarySize',
      'DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.CanarySize',
      'DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.LinearStepSize',
    ]);
  });
});
