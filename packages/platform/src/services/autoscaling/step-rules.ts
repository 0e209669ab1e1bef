import { ValidationError } from '../../core/errors.js';
import type { StepScalingConfiguration } from './autoscaling-types.js';

const FIELD = 'StepScalingPolicyConfiguration';

/**
 * A StepScalingPolicyConfiguration Application Auto Scaling would accept: an AdjustmentType,
 * at least one StepAdjustment, intervals that do not overlap (each lower bound below its upper
 * bound), MinAdjustmentMagnitude only with PercentChangeInCapacity, no negative Cooldown.
 */
export function checkStepConfiguration(config: StepScalingConfiguration): StepScalingConfiguration {
  if (!config.AdjustmentType) {
    throw new ValidationError(
      `${FIELD}.AdjustmentType is required: ChangeInCapacity, PercentChangeInCapacity or ExactCapacity.`,
      `${FIELD}.AdjustmentType`,
    );
  }
  const steps = config.StepAdjustments ?? [];
  if (steps.length === 0) {
    throw new ValidationError(
      `${FIELD}.StepAdjustments must have at least one step adjustment.`,
      `${FIELD}.StepAdjustments`,
    );
  }
  const intervals = steps.map((step, index) => {
    const lower = step.MetricIntervalLowerBound ?? Number.NEGATIVE_INFINITY;
    const upper = step.MetricIntervalUpperBound ?? Number.POSITIVE_INFINITY;
    if (!(lower < upper)) {
      throw new ValidationError(
        `${FIELD}.StepAdjustments.${index + 1}: MetricIntervalLowerBound must be below MetricIntervalUpperBound.`,
        `${FIELD}.StepAdjustments`,
      );
    }
    if (!Number.isInteger(step.ScalingAdjustment)) {
      throw new ValidationError(
        `${FIELD}.StepAdjustments.${index + 1}.ScalingAdjustment must be a whole number.`,
        `${FIELD}.StepAdjustments`,
      );
    }
    return { lower, upper };
  });
  intervals.sort((a, b) => a.lower - b.lower);
  for (let i = 1; i < intervals.length; i++) {
    if (intervals[i]!.lower < intervals[i - 1]!.upper) {
      throw new ValidationError(
        `${FIELD}.StepAdjustments: the step intervals overlap; each metric value must fall in one step at most.`,
        `${FIELD}.StepAdjustments`,
      );
    }
  }
  if (
    config.MinAdjustmentMagnitude !== undefined &&
    config.AdjustmentType !== 'PercentChangeInCapacity'
  ) {
    throw new ValidationError(
      `${FIELD}.MinAdjustmentMagnitude is only allowed with AdjustmentType PercentChangeInCapacity.`,
      `${FIELD}.MinAdjustmentMagnitude`,
    );
  }
  if (config.Cooldown !== undefined && config.Cooldown < 0) {
    throw new ValidationError(
      `${FIELD}.Cooldown ${config.Cooldown} must not be negative.`,
      `${FIELD}.Cooldown`,
    );
  }
  return config;
}
