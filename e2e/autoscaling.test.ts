import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { DescribeEndpointCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, s3Client, sagemakerClient, TEST_KEYS } from './support/clients.js';
import {
  deployModel,
  KMEANS_IMAGE,
  runtimeClient,
  steadyLoad,
  trainKmeansModel,
} from './support/hosting.js';
import { startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';

const ENDPOINT = 'scaled';
const TARGET = {
  ServiceNamespace: 'sagemaker' as const,
  ResourceId: `endpoint/${ENDPOINT}/variant/AllTraffic`,
  ScalableDimension: 'sagemaker:variant:DesiredInstanceCount' as const,
};
const TRACKING = {
  PolicyName: 'invocations-per-instance',
  PolicyType: 'TargetTrackingScaling' as const,
  TargetTrackingScalingPolicyConfiguration: {
    // Invocations per instance per minute: a few requests a second is far above it.
    TargetValue: 5,
    PredefinedMetricSpecification: {
      PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' as const,
    },
    ScaleOutCooldown: 0,
    ScaleInCooldown: 0,
  },
};

describe('Application Auto Scaling of an endpoint through @aws-sdk/client-application-auto-scaling', () => {
  let plinth: PlinthProcess;
  let sm: SageMakerClient;
  let runtime: SageMakerRuntimeClient;
  let aas: ApplicationAutoScalingClient;

  async function counts(): Promise<{ status?: string; current?: number; desired?: number }> {
    const endpoint = await sm.send(new DescribeEndpointCommand({ EndpointName: ENDPOINT }));
    const variant = endpoint.ProductionVariants![0]!;
    return {
      status: endpoint.EndpointStatus,
      current: variant.CurrentInstanceCount,
      desired: variant.DesiredInstanceCount,
    };
  }

  async function until(
    check: (c: Awaited<ReturnType<typeof counts>>) => boolean,
    timeoutMs: number,
  ): Promise<Awaited<ReturnType<typeof counts>>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = await counts();
      if (check(now)) return now;
      if (Date.now() > deadline) throw new Error(`timed out; last seen ${JSON.stringify(now)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  beforeAll(async () => {
    plinth = await startPlinthProcess({ env: { PLINTH_AUTOSCALING_PERIOD_SECONDS: '2' } });
    sm = sagemakerClient(plinth.url);
    runtime = runtimeClient(plinth.url);
    aas = new ApplicationAutoScalingClient({
      endpoint: plinth.url,
      region: 'us-east-1',
      credentials: TEST_KEYS,
      maxAttempts: 1,
    });
    const modelData = await trainKmeansModel({ sm, s3: s3Client(plinth.url) }, 'autoscaling');
    await deployModel(sm, {
      model: 'km-scaled',
      image: KMEANS_IMAGE,
      modelData,
      config: 'km-scaled-config',
      variant: 'AllTraffic',
      instances: 1,
      endpoint: ENDPOINT,
    });
  });
  afterAll(async () => {
    await plinth?.stop();
  });

  it('refuses what Plinth cannot scale with the AWS error names', async () => {
    const ecs = await failure(
      aas.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: 'service/cluster/web',
          ScalableDimension: 'ecs:service:DesiredCount',
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      ),
    );
    expect(ecs).toMatchObject({ name: 'ValidationException' });
    expect(ecs.message).toMatch(/ServiceNamespace must be sagemaker/);

    const unknown = await failure(
      aas.send(
        new RegisterScalableTargetCommand({
          ...TARGET,
          ResourceId: 'endpoint/no-such-endpoint/variant/AllTraffic',
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      ),
    );
    expect(unknown).toMatchObject({ name: 'ValidationException' });
    expect(unknown.message).toMatch(/no-such-endpoint/);

    const unregistered = await failure(
      aas.send(new PutScalingPolicyCommand({ ...TARGET, ...TRACKING })),
    );
    expect(unregistered).toMatchObject({
      name: 'ObjectNotFoundException',
      message: `No scalable target registered for service namespace: sagemaker, resource ID: ${TARGET.ResourceId}, scalable dimension: sagemaker:variant:DesiredInstanceCount`,
    });
    expect(await failure(aas.send(new DeregisterScalableTargetCommand(TARGET)))).toMatchObject({
      name: 'ObjectNotFoundException',
    });
  });

  it('scales the variant out under load and back in when the load stops', async () => {
    const registered = await aas.send(
      new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 1, MaxCapacity: 3 }),
    );
    expect(registered.ScalableTargetARN).toMatch(/^arn:aws:application-autoscaling:us-east-1:/);
    const targets = await aas.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker' }),
    );
    expect(targets.ScalableTargets).toMatchObject([{ ...TARGET, MinCapacity: 1, MaxCapacity: 3 }]);

    const step = await failure(
      aas.send(new PutScalingPolicyCommand({ ...TARGET, ...TRACKING, PolicyType: 'StepScaling' })),
    );
    expect(step).toMatchObject({ name: 'ValidationException' });
    expect(step.message).toMatch(/TargetTrackingScaling policies only/);
    const policy = await aas.send(new PutScalingPolicyCommand({ ...TARGET, ...TRACKING }));
    expect(policy.PolicyARN).toMatch(/:policyName\/invocations-per-instance$/);
    expect(policy.Alarms).toHaveLength(2);

    const load = steadyLoad(runtime, ENDPOINT, 4);
    const scaledOut = await until(
      (c) => (c.current ?? 0) > 1 && c.status === 'InService',
      20_000,
    ).catch(async (error: unknown) => {
      await load.stop();
      throw error;
    });
    const { answered, errors } = await load.stop();
    expect(scaledOut.desired).toBeGreaterThan(1);
    expect(errors).toEqual([]);
    expect(answered.length).toBeGreaterThan(0);

    const scaledIn = await until((c) => c.current === 1 && c.status === 'InService', 30_000);
    expect(scaledIn.desired).toBe(1);

    const { ScalingActivities } = await aas.send(
      new DescribeScalingActivitiesCommand({
        ServiceNamespace: 'sagemaker',
        ResourceId: TARGET.ResourceId,
      }),
    );
    const descriptions = ScalingActivities!.map((a) => a.Description);
    expect(descriptions[0]).toBe('Setting desired instance count to 1.');
    expect(descriptions.at(-1)).toMatch(/^Setting desired instance count to [23]\.$/);
    expect(ScalingActivities!.at(-1)!.Cause).toMatch(
      /AlarmHigh.* in state ALARM triggered policy invocations-per-instance$/,
    );
    expect(ScalingActivities!.at(-1)!.StatusCode).toBe('Successful');

    const metrics = await (await fetch(`${plinth.url}/metrics`)).text();
    const invocations =
      /\nInvocations\{EndpointName="scaled",VariantName="AllTraffic"\} (\d+)\n/.exec(metrics);
    expect(Number(invocations?.[1])).toBe(answered.length);
    expect(metrics).toMatch(
      /\nModelLatency_count\{EndpointName="scaled",VariantName="AllTraffic"\} \d+\n/,
    );
    expect(metrics).toMatch(
      /\nCPUUtilization\{EndpointName="scaled",VariantName="AllTraffic",Instance="[^"]+"\} /,
    );

    await aas.send(new DeleteScalingPolicyCommand({ ...TARGET, PolicyName: TRACKING.PolicyName }));
    await aas.send(new DeregisterScalableTargetCommand(TARGET));
    const left = await aas.send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: 'sagemaker' }),
    );
    expect(left.ScalingPolicies).toEqual([]);
  }, 60_000);
});
