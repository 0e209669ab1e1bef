import { ValidationError } from '../../core/errors.js';
import {
  INVOCATIONS_PER_INSTANCE,
  TARGET_TRACKING,
  type PutScalingPolicyRequest,
  type TargetTrackingConfiguration,
} from './autoscaling-types.js';

/** Application Auto Scaling's bounds on TargetValue. */
const MIN_TARGET_VALUE = 8.51592e-109;
const MAX_TARGET_VALUE = 1.174271e108;
/** The cooldown SageMaker variants get when a policy names none. */
export const DEFAULT_COOLDOWN_SECONDS = 300;

/**
 * The target-tracking configuration of a PutScalingPolicy request, or the ValidationException
 * naming the field Plinth cannot honour: it tracks SageMakerVariantInvocationsPerInstance only.
 */
export function checkPolicy(request: PutScalingPolicyRequest): TargetTrackingConfiguration {
  // AWS's default PolicyType is StepScaling.
  const type = request.PolicyType ?? 'StepScaling';
  if (type !== TARGET_TRACKING) {
    throw new ValidationError(
      `Unsupported PolicyType ${type}: Plinth supports ${TARGET_TRACKING} policies only.`,
      'PolicyType',
    );
  }
  for (const other of ['StepScalingPolicyConfiguration', 'PredictiveScalingPolicyConfiguration']) {
    if (request[other as keyof PutScalingPolicyRequest] !== undefined) {
      throw new ValidationError(
        `${other} cannot be given for a policy of type ${TARGET_TRACKING}.`,
        other,
      );
    }
  }
  const config = request.TargetTrackingScalingPolicyConfiguration;
  if (!config) {
    throw new ValidationError(
      `TargetTrackingScalingPolicyConfiguration is required for a policy of type ${TARGET_TRACKING}.`,
      'TargetTrackingScalingPolicyConfiguration',
    );
  }
  if (config.CustomizedMetricSpecification !== undefined) {
    throw new ValidationError(
      `Unsupported CustomizedMetricSpecification: Plinth tracks the PredefinedMetricSpecification ${INVOCATIONS_PER_INSTANCE} only.`,
      'TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification',
    );
  }
  const metric = config.PredefinedMetricSpecification?.PredefinedMetricType;
  if (metric !== INVOCATIONS_PER_INSTANCE) {
    throw new ValidationError(
      `${metric === undefined ? 'A PredefinedMetricSpecification is required' : `Unsupported PredefinedMetricType ${metric}`}: Plinth tracks ${INVOCATIONS_PER_INSTANCE} only.`,
      'TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType',
    );
  }
  if (!(config.TargetValue >= MIN_TARGET_VALUE && config.TargetValue <= MAX_TARGET_VALUE)) {
    throw new ValidationError(
      `TargetValue ${config.TargetValue} is out of range: it must be between ${MIN_TARGET_VALUE} and ${MAX_TARGET_VALUE}.`,
      'TargetTrackingScalingPolicyConfiguration.TargetValue',
    );
  }
  for (const field of ['ScaleOutCooldown', 'ScaleInCooldown'] as const) {
    const value = config[field];
    if (value !== undefined && value < 0) {
      throw new ValidationError(
        `${field} ${value} must not be negative.`,
        `TargetTrackingScalingPolicyConfiguration.${field}`,
      );
    }
  }
  return config;
}
