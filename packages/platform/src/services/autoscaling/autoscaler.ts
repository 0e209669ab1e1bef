import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../logging/logger.js';
import type { EndpointBacklog, EndpointMetrics } from '../metrics/endpoint-metrics.js';
import type { LoggedActivity } from './activity-log.js';
import type { AutoscalingService, TargetWithPolicies } from './autoscaling-service.js';
import type { ScalingPolicy } from './autoscaling-types.js';
import { changeCapacity } from './change-capacity.js';
import { DEFAULT_COOLDOWN_SECONDS } from './policy-rules.js';
import { decideCapacity, type TrackingPolicy } from './scaling-decision.js';
import { decideStep, STEP_ALARM_METRIC, type StepPolicy } from './step-scaling.js';
import type { ScalableVariants } from './scalable-variants.js';
import { PeriodicTask } from '../shared/periodic-task.js';

/** How many of a target's latest activities are read for cooldowns and unfinished changes. */
const RECENT_ACTIVITIES = 20;

export interface AutoscalerOptions {
  readonly service: AutoscalingService;
  readonly variants: ScalableVariants;
  readonly metrics: Pick<EndpointMetrics, 'recentInvocations' | 'backlog'>;
  readonly clock: Clock;
  /** How often targets are evaluated, and the window their metric is read over. */
  readonly periodMs: number;
  readonly logger: Logger;
}

/**
 * The loop that plays CloudWatch alarms and Application Auto Scaling: every period it finishes
 * the activities whose endpoint is InService again, reads each tracked variant's
 * InvocationsPerInstance over the period, and sets the instance count its policies ask for.
 * An endpoint that is not InService is left alone until a later period.
 */
export class Autoscaler {
  readonly #lowPeriods = new Map<string, number>();
  /** A pass that outlasts the period is not overlapped by the next one. */
  readonly #passes: PeriodicTask;

  constructor(private readonly options: AutoscalerOptions) {
    this.#passes = new PeriodicTask(() => this.tick(), options.periodMs);
  }

  start(): void {
    this.#passes.start();
  }

  /** Stops the loop and waits for a pass under way. */
  stop(): Promise<void> {
    return this.#passes.stop();
  }

  /** One pass over every target. */
  async tick(): Promise<void> {
    for await (const entry of this.options.service.targets()) {
      try {
        await this.#evaluate(entry);
      } catch (error) {
        this.options.logger.error('autoscaling a target failed', {
          resourceId: entry.target.ResourceId,
          err: error,
        });
      }
    }
  }

  async #evaluate({ target, ref, policies }: TargetWithPolicies): Promise<void> {
    const { variants, service, clock, periodMs } = this.options;
    const capacity = await variants.capacity(ref);
    if (!capacity || capacity.endpointStatus !== 'InService') return;
    const recent = await service.activities.recent(target.ResourceId, RECENT_ACTIVITIES);
    const activities = await Promise.all(
      recent.map(async (logged) =>
        logged.activity.StatusCode === 'InProgress'
          ? service.activities.finish(logged, outcome(logged, capacity))
          : logged,
      ),
    );
    if (policies.length === 0) return;
    const suspended = {
      out: target.SuspendedState?.DynamicScalingOutSuspended ?? false,
      in: target.SuspendedState?.DynamicScalingInSuspended ?? false,
    };
    const backlog = capacity.asynchronous
      ? await this.options.metrics.backlog(ref.endpoint)
      : undefined;
    const stepped = await this.#step(
      { target, ref, policies },
      { current: capacity.current, backlog, activities, suspended },
    );
    if (stepped) return;
    const tracking = policies.filter((p) => p.TargetTrackingScalingPolicyConfiguration);
    if (tracking.length === 0) return;
    const { perInstance } = this.options.metrics.recentInvocations(
      ref.endpoint,
      ref.variant,
      periodMs,
    );
    const decision = decideCapacity({
      current: capacity.current,
      min: target.MinCapacity,
      max: target.MaxCapacity,
      metric: (perInstance * 60_000) / periodMs,
      policies: tracking.map((p) => trackingPolicy(p, backlog)),
      nowMs: clock.now().getTime(),
      lastScaleOutMs: lastFinished(activities, 'out'),
      lastScaleInMs: lastFinished(activities, 'in'),
      lowPeriods: this.#lowPeriods.get(target.ResourceId) ?? 0,
      suspended,
    });
    this.#lowPeriods.set(target.ResourceId, decision.lowPeriods);
    if (decision.kind === 'none') return;
    const policy = tracking.find((p) => p.PolicyName === decision.policy.name)!;
    const alarm = policy.Alarms[decision.kind === 'out' ? 0 : 1]?.AlarmName ?? policy.PolicyName;
    await changeCapacity(
      { variants, activities: service.activities },
      {
        ref,
        resourceId: target.ResourceId,
        capacity: decision.capacity,
        direction: decision.kind,
        cause: `monitor alarm ${alarm} in state ALARM triggered policy ${policy.PolicyName}`,
      },
    );
  }

  /**
   * Step policies of an asynchronous endpoint, each played against the alarm
   * HasBacklogWithoutCapacity >= 1 (step-scaling.ts). True when one changed the capacity.
   */
  async #step(
    entry: TargetWithPolicies,
    now: {
      current: number;
      backlog: EndpointBacklog | undefined;
      activities: readonly LoggedActivity[];
      suspended: { out: boolean; in: boolean };
    },
  ): Promise<boolean> {
    if (!now.backlog) return false;
    for (const policy of entry.policies.filter((p) => p.StepScalingPolicyConfiguration)) {
      // The policy's Cooldown runs from its own last change, so a scale-in by another policy
      // does not hold back the scale-out from zero.
      const lastScaledMs = now.activities
        .find(
          (a) =>
            a.activity.StatusCode === 'Successful' &&
            a.activity.Cause.endsWith(`triggered policy ${policy.PolicyName}`),
        )
        ?.activity.EndTime?.getTime();
      const decision = decideStep({
        current: now.current,
        min: entry.target.MinCapacity,
        max: entry.target.MaxCapacity,
        metric: now.backlog.hasBacklogWithoutCapacity ? 1 : 0,
        policy: stepPolicy(policy),
        nowMs: this.options.clock.now().getTime(),
        ...(lastScaledMs !== undefined ? { lastScaledMs } : {}),
        suspended: now.suspended,
      });
      if (decision.kind === 'none') continue;
      await changeCapacity(
        { variants: this.options.variants, activities: this.options.service.activities },
        {
          ref: entry.ref,
          resourceId: entry.target.ResourceId,
          capacity: decision.capacity,
          direction: decision.kind,
          cause: `monitor alarm ${STEP_ALARM_METRIC}-${entry.ref.endpoint} in state ALARM triggered policy ${policy.PolicyName}`,
        },
      );
      return true;
    }
    return false;
  }
}

/** A target-tracking policy; one on a customized metric reads the endpoint's backlog. */
function trackingPolicy(
  policy: ScalingPolicy,
  backlog: EndpointBacklog | undefined,
): TrackingPolicy {
  const config = policy.TargetTrackingScalingPolicyConfiguration!;
  return {
    name: policy.PolicyName,
    targetValue: config.TargetValue,
    scaleOutCooldownMs: (config.ScaleOutCooldown ?? DEFAULT_COOLDOWN_SECONDS) * 1000,
    scaleInCooldownMs: (config.ScaleInCooldown ?? DEFAULT_COOLDOWN_SECONDS) * 1000,
    disableScaleIn: config.DisableScaleIn ?? false,
    // checkPolicy admits one customized metric: ApproximateBacklogSizePerInstance.
    ...(config.CustomizedMetricSpecification
      ? { metric: backlog?.backlogSizePerInstance ?? 0 }
      : {}),
  };
}

/** A step policy as the decision sees it. */
function stepPolicy(policy: ScalingPolicy): StepPolicy {
  const config = policy.StepScalingPolicyConfiguration!;
  return {
    name: policy.PolicyName,
    adjustmentType: config.AdjustmentType ?? 'ChangeInCapacity',
    steps: (config.StepAdjustments ?? []).map((step) => ({
      ...(step.MetricIntervalLowerBound !== undefined
        ? { lower: step.MetricIntervalLowerBound }
        : {}),
      ...(step.MetricIntervalUpperBound !== undefined
        ? { upper: step.MetricIntervalUpperBound }
        : {}),
      adjustment: step.ScalingAdjustment,
    })),
    ...(config.MinAdjustmentMagnitude !== undefined
      ? { minAdjustmentMagnitude: config.MinAdjustmentMagnitude }
      : {}),
    cooldownMs: (config.Cooldown ?? DEFAULT_COOLDOWN_SECONDS) * 1000,
  };
}

/** How an activity ended, judged once its endpoint is InService again. */
function outcome(
  logged: LoggedActivity,
  capacity: { current: number; failureReason?: string },
): { status: 'Successful' | 'Failed'; message: string } {
  if (capacity.current === logged.capacity) {
    return {
      status: 'Successful',
      message: `Successfully set desired instance count to ${logged.capacity}. Change successfully fulfilled by sagemaker.`,
    };
  }
  return {
    status: 'Failed',
    message: `Failed to set desired instance count to ${logged.capacity}. Reason: ${capacity.failureReason ?? `the variant has ${capacity.current} instances`}.`,
  };
}

/** When the latest successful activity in that direction ended. */
function lastFinished(
  activities: readonly LoggedActivity[],
  direction: 'out' | 'in',
): number | undefined {
  const last = activities.find(
    (a) => a.direction === direction && a.activity.StatusCode === 'Successful',
  );
  return last?.activity.EndTime?.getTime();
}
