import { ValidationError } from '../../core/errors.js';
import type { CapacitySize, DeploymentConfig } from './endpoint-types.js';

/** How UpdateEndpoint moves traffic from the serving fleet to the new one. */
export interface TrafficPlan {
  /** The new fleet's share of requests after each step, rising to 1. */
  readonly shares: readonly number[];
  /** How long each step bakes before the next (and the last before the old fleet goes). */
  readonly waitMs: number;
  /** How long the old fleet is kept once the new one has all the traffic. */
  readonly terminationWaitMs: number;
}

const ROUTING_FIELD = 'DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration';

/**
 * The traffic plan a DeploymentConfig asks for, for a new fleet of `instances` instances: with
 * none, SageMaker's default, blue/green with all traffic at once. CANARY and LINEAR sizes follow
 * SageMaker's rules (a canary at most half the fleet, linear steps 10% to 50%); a rolling update
 * shifts traffic in its batches. Throws a ValidationError naming the field otherwise.
 */
export function trafficPlan(config: DeploymentConfig | undefined, instances: number): TrafficPlan {
  const rolling = config?.RollingUpdatePolicy;
  if (rolling) {
    if (config.BlueGreenUpdatePolicy) {
      throw new ValidationError(
        'DeploymentConfig can have a BlueGreenUpdatePolicy or a RollingUpdatePolicy, not both.',
        'DeploymentConfig',
      );
    }
    const batch = share(rolling.MaximumBatchSize, instances);
    return {
      shares: steps(batch),
      waitMs: rolling.WaitIntervalInSeconds * 1000,
      terminationWaitMs: 0,
    };
  }
  const policy = config?.BlueGreenUpdatePolicy;
  if (!policy) return { shares: [1], waitMs: 0, terminationWaitMs: 0 };
  const routing = policy.TrafficRoutingConfiguration;
  const plan = {
    waitMs: routing.WaitIntervalInSeconds * 1000,
    terminationWaitMs: (policy.TerminationWaitInSeconds ?? 0) * 1000,
  };
  switch (routing.Type) {
    case 'ALL_AT_ONCE':
      return { ...plan, shares: [1] };
    case 'CANARY': {
      const canary = share(required(routing.CanarySize, 'CanarySize', 'CANARY'), instances);
      if (canary > 0.5) {
        throw new ValidationError(
          `${ROUTING_FIELD}.CanarySize must be at most 50% of the new fleet's ${instances} instances.`,
          `${ROUTING_FIELD}.CanarySize`,
        );
      }
      return { ...plan, shares: [canary, 1] };
    }
    case 'LINEAR': {
      const step = share(required(routing.LinearStepSize, 'LinearStepSize', 'LINEAR'), instances);
      if (step < 0.1 || step > 0.5) {
        throw new ValidationError(
          `${ROUTING_FIELD}.LinearStepSize must be 10% to 50% of the new fleet's ${instances} instances.`,
          `${ROUTING_FIELD}.LinearStepSize`,
        );
      }
      return { ...plan, shares: steps(step) };
    }
  }
}

/** The share of the fleet a size names. */
function share(size: CapacitySize, instances: number): number {
  return size.Type === 'INSTANCE_COUNT'
    ? Math.min(1, size.Value / Math.max(1, instances))
    : Math.min(1, size.Value / 100);
}

/** step, 2·step, ... up to 1. */
function steps(step: number): number[] {
  const count = Math.ceil(1 / step - 1e-9);
  return Array.from({ length: count }, (_, i) => Math.min(1, (i + 1) * step));
}

function required(size: CapacitySize | undefined, name: string, type: string): CapacitySize {
  if (!size) {
    throw new ValidationError(
      `${ROUTING_FIELD}.${name} is required when the traffic routing Type is ${type}.`,
      `${ROUTING_FIELD}.${name}`,
    );
  }
  return size;
}
