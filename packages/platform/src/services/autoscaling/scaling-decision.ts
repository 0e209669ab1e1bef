/** AWS's AlarmLow for a target-tracking policy fires below 90% of the target value. */
const SCALE_IN_THRESHOLD = 0.9;
/**
 * Consecutive low periods before capacity is removed. AWS's AlarmLow waits for 15 one-minute
 * datapoints; Plinth waits for 3 of its periods, so scale-in stays slower than scale-out.
 */
export const SCALE_IN_PERIODS = 3;
/** One scale-in removes at most this share of the instances (and at least one). */
const SCALE_IN_STEP = 0.1;

/** A target-tracking policy as the decision sees it. */
export interface TrackingPolicy {
  readonly name: string;
  /** InvocationsPerInstance per minute to hold. */
  readonly targetValue: number;
  readonly scaleOutCooldownMs: number;
  readonly scaleInCooldownMs: number;
  readonly disableScaleIn: boolean;
  /**
   * The value of the metric this policy tracks, when it is not the input's `metric` (a
   * customized metric such as an asynchronous endpoint's ApproximateBacklogSizePerInstance).
   */
  readonly metric?: number;
}

/** What one period's decision is made from. */
export interface ScalingInput {
  readonly current: number;
  readonly min: number;
  readonly max: number;
  /** InvocationsPerInstance over the last period, per minute. */
  readonly metric: number;
  readonly policies: readonly TrackingPolicy[];
  readonly nowMs: number;
  /** When the last scale-out and scale-in finished. */
  readonly lastScaleOutMs?: number;
  readonly lastScaleInMs?: number;
  /** Consecutive periods before this one in which every policy wanted fewer instances. */
  readonly lowPeriods: number;
  /** SuspendedState's DynamicScalingOutSuspended / DynamicScalingInSuspended. */
  readonly suspended: { readonly out: boolean; readonly in: boolean };
}

/** The capacity to set, and the policy that asks for it; `lowPeriods` carries to the next period. */
export type ScalingDecision =
  | { readonly kind: 'none'; readonly lowPeriods: number }
  | {
      readonly kind: 'out' | 'in';
      readonly capacity: number;
      readonly policy: TrackingPolicy;
      readonly lowPeriods: number;
    };

/**
 * Target tracking as Application Auto Scaling does it: each policy wants
 * `ceil(current × metric / target)` instances within [min, max]. Out: the most any policy
 * wants, at once, unless its ScaleOutCooldown since the last scale-out runs. In: only when every
 * policy has wanted fewer for SCALE_IN_PERIODS periods and none disables scale-in, to the most
 * any policy wants but by at most a tenth of the instances, outside the ScaleInCooldowns.
 */
export function decideCapacity(input: ScalingInput): ScalingDecision {
  const { current, policies, nowMs } = input;
  if (policies.length === 0) return { kind: 'none', lowPeriods: 0 };
  const metricOf = (policy: TrackingPolicy) => policy.metric ?? input.metric;
  const wanted = (policy: TrackingPolicy) =>
    clamp(Math.ceil((current * metricOf(policy)) / policy.targetValue), input);
  const cooling = (last: number | undefined, cooldownMs: number) =>
    last !== undefined && nowMs - last < cooldownMs;

  let out: { capacity: number; policy: TrackingPolicy } | undefined;
  for (const policy of input.suspended.out ? [] : policies) {
    const capacity = wanted(policy);
    if (capacity <= current || cooling(input.lastScaleOutMs, policy.scaleOutCooldownMs)) continue;
    if (!out || capacity > out.capacity) out = { capacity, policy };
  }
  if (out) return { kind: 'out', ...out, lowPeriods: 0 };

  const allLow = policies.every(
    (p) => !p.disableScaleIn && metricOf(p) < p.targetValue * SCALE_IN_THRESHOLD,
  );
  if (!allLow) return { kind: 'none', lowPeriods: 0 };
  const lowPeriods = input.lowPeriods + 1;
  if (
    input.suspended.in ||
    lowPeriods < SCALE_IN_PERIODS ||
    policies.some((p) => cooling(input.lastScaleInMs, p.scaleInCooldownMs))
  ) {
    return { kind: 'none', lowPeriods };
  }
  let policy = policies[0]!;
  for (const p of policies) if (wanted(p) > wanted(policy)) policy = p;
  const step = Math.max(1, Math.floor(current * SCALE_IN_STEP));
  const capacity = clamp(Math.max(wanted(policy), current - step), input);
  if (capacity >= current) return { kind: 'none', lowPeriods };
  return { kind: 'in', capacity, policy, lowPeriods };
}

function clamp(capacity: number, range: { min: number; max: number }): number {
  return Math.min(range.max, Math.max(range.min, capacity));
}
