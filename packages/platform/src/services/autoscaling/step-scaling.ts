/**
 * The alarm Plinth plays for a step-scaling policy of an asynchronous endpoint: AWS's guide
 * links the policy to a CloudWatch alarm on HasBacklogWithoutCapacity >= 1; Plinth has no
 * alarms, so every such policy is evaluated against that metric and threshold each period.
 */
export const STEP_ALARM_METRIC = 'HasBacklogWithoutCapacity';
export const STEP_ALARM_THRESHOLD = 1;

/** One StepAdjustment: bounds are relative to the alarm threshold, lower inclusive. */
export interface Step {
  readonly lower?: number;
  readonly upper?: number;
  readonly adjustment: number;
}

/** A step-scaling policy as the decision sees it. */
export interface StepPolicy {
  readonly name: string;
  readonly adjustmentType: 'ChangeInCapacity' | 'PercentChangeInCapacity' | 'ExactCapacity';
  readonly steps: readonly Step[];
  readonly minAdjustmentMagnitude?: number;
  readonly cooldownMs: number;
}

/** What one period's step decision is made from. */
export interface StepInput {
  readonly current: number;
  readonly min: number;
  readonly max: number;
  /** The alarm metric's value now. */
  readonly metric: number;
  readonly policy: StepPolicy;
  readonly nowMs: number;
  /** When the last scaling activity of the target finished. */
  readonly lastScaledMs?: number;
  readonly suspended: { readonly out: boolean; readonly in: boolean };
}

export type StepDecision =
  { readonly kind: 'none' } | { readonly kind: 'out' | 'in'; readonly capacity: number };

/**
 * Step scaling as Application Auto Scaling does it once its alarm is in ALARM (the metric at or
 * above the threshold): the step whose interval holds `metric - threshold` gives the change,
 * as a number of instances, a percentage of them (at least MinAdjustmentMagnitude) or the new
 * count itself, kept within [min, max]; nothing while the policy's Cooldown runs.
 */
export function decideStep(input: StepInput): StepDecision {
  const { current, policy } = input;
  if (input.metric < STEP_ALARM_THRESHOLD) return { kind: 'none' };
  if (input.lastScaledMs !== undefined && input.nowMs - input.lastScaledMs < policy.cooldownMs) {
    return { kind: 'none' };
  }
  const breach = input.metric - STEP_ALARM_THRESHOLD;
  const step = policy.steps.find(
    (s) =>
      (s.lower === undefined || breach >= s.lower) && (s.upper === undefined || breach < s.upper),
  );
  if (!step) return { kind: 'none' };
  let wanted: number;
  switch (policy.adjustmentType) {
    case 'ChangeInCapacity':
      wanted = current + step.adjustment;
      break;
    case 'ExactCapacity':
      wanted = step.adjustment;
      break;
    case 'PercentChangeInCapacity': {
      let change = Math.trunc((current * step.adjustment) / 100);
      const magnitude = policy.minAdjustmentMagnitude ?? 1;
      if (step.adjustment !== 0 && Math.abs(change) < magnitude) {
        change = Math.sign(step.adjustment) * magnitude;
      }
      wanted = current + change;
      break;
    }
  }
  const capacity = Math.min(input.max, Math.max(input.min, wanted));
  if (capacity > current && !input.suspended.out) return { kind: 'out', capacity };
  if (capacity < current && !input.suspended.in) return { kind: 'in', capacity };
  return { kind: 'none' };
}
