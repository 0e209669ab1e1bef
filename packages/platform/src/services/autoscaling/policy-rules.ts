import { ValidationError } from '../../core/errors.js';
import {
  INVOCATIONS_PER_INSTANCE,
  STEP_SCALING,
  TARGET_TRACKING,
  type CustomizedMetric,
  type PutScalingPolicyRequest,
  type StepScalingConfiguration,
  type TargetTrackingConfiguration,
} from './autoscaling-types.js';
import { checkStepConfiguration } from './step-rules.js';

/** Application Auto Scaling's bounds on TargetValue. */
const MIN_TARGET_VALUE = 8.51592e-109;
const MAX_TARGET_VALUE = 1.174271e108;
/** The cooldown SageMaker variants get when a policy names none. */
export const DEFAULT_COOLDOWN_SECONDS = 300;
/** The metric an asynchronous endpoint's target-tracking policy may track (CustomizedMetricSpecification). */
export const BACKLOG_PER_INSTANCE = 'ApproximateBacklogSizePerInstance';
const SAGEMAKER_METRICS = 'AWS/SageMaker';
/** Statistics of a metric Plinth reads as it is now: each is that one value. */
const STATISTICS = new Set(['Average', 'Minimum', 'Maximum']);

/** The variant a policy is for, as the rules need it. */
export interface PolicyTarget {
  readonly endpoint: string;
  /** The endpoint serves an AsyncInferenceConfig. */
  readonly asynchronous: boolean;
}

/** A policy's configuration, checked. */
export type CheckedPolicy =
  | {
      readonly PolicyType: typeof TARGET_TRACKING;
      readonly TargetTrackingScalingPolicyConfiguration: TargetTrackingConfiguration;
    }
  | {
      readonly PolicyType: typeof STEP_SCALING;
      readonly StepScalingPolicyConfiguration: StepScalingConfiguration;
    };

/**
 * The configuration of a PutScalingPolicy request, or the ValidationException naming the field
 * Plinth cannot honour. Target tracking follows SageMakerVariantInvocationsPerInstance, or for
 * an asynchronous endpoint its ApproximateBacklogSizePerInstance; step scaling is for
 * asynchronous endpoints, driven by HasBacklogWithoutCapacity (see step-scaling.ts).
 */
export function checkPolicy(request: PutScalingPolicyRequest, target: PolicyTarget): CheckedPolicy {
  // AWS's default PolicyType is StepScaling.
  const type = request.PolicyType ?? STEP_SCALING;
  if (type === STEP_SCALING && target.asynchronous) {
    return { PolicyType: STEP_SCALING, StepScalingPolicyConfiguration: checkStep(request) };
  }
  if (type !== TARGET_TRACKING) {
    throw new ValidationError(
      `Unsupported PolicyType ${type} for endpoint ${target.endpoint}: Plinth evaluates StepScaling policies only for asynchronous endpoints (on HasBacklogWithoutCapacity); for other endpoints it supports ${TARGET_TRACKING} policies only.`,
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
    if (config.PredefinedMetricSpecification !== undefined) {
      throw new ValidationError(
        'Give either a PredefinedMetricSpecification or a CustomizedMetricSpecification, not both.',
        'TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification',
      );
    }
    checkCustomizedMetric(config.CustomizedMetricSpecification, target);
  } else {
    const metric = config.PredefinedMetricSpecification?.PredefinedMetricType;
    if (metric !== INVOCATIONS_PER_INSTANCE) {
      throw new ValidationError(
        `${metric === undefined ? 'A PredefinedMetricSpecification is required' : `Unsupported PredefinedMetricType ${metric}`}: Plinth tracks ${INVOCATIONS_PER_INSTANCE} only.`,
        'TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType',
      );
    }
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
  return { PolicyType: TARGET_TRACKING, TargetTrackingScalingPolicyConfiguration: config };
}

function checkStep(request: PutScalingPolicyRequest): StepScalingConfiguration {
  for (const other of [
    'TargetTrackingScalingPolicyConfiguration',
    'PredictiveScalingPolicyConfiguration',
  ]) {
    if (request[other as keyof PutScalingPolicyRequest] !== undefined) {
      throw new ValidationError(
        `${other} cannot be given for a policy of type ${STEP_SCALING}.`,
        other,
      );
    }
  }
  const config = request.StepScalingPolicyConfiguration;
  if (!config) {
    throw new ValidationError(
      `StepScalingPolicyConfiguration is required for a policy of type ${STEP_SCALING}.`,
      'StepScalingPolicyConfiguration',
    );
  }
  return checkStepConfiguration(config);
}

/** ApproximateBacklogSizePerInstance of this very endpoint, in AWS/SageMaker, is what Plinth can read. */
function checkCustomizedMetric(metric: CustomizedMetric, target: PolicyTarget): void {
  const field = 'TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification';
  if (metric.Metrics !== undefined) {
    throw new ValidationError(
      `${field}.Metrics: metric math is not supported; name the metric with MetricName, Namespace, Dimensions and Statistic.`,
      `${field}.Metrics`,
    );
  }
  if (!target.asynchronous) {
    throw new ValidationError(
      `Unsupported CustomizedMetricSpecification for endpoint ${target.endpoint}: Plinth tracks a customized metric (${BACKLOG_PER_INSTANCE}) for asynchronous endpoints only; use the PredefinedMetricSpecification ${INVOCATIONS_PER_INSTANCE}.`,
      field,
    );
  }
  if (metric.MetricName !== BACKLOG_PER_INSTANCE) {
    throw new ValidationError(
      `${field}.MetricName: Plinth tracks the customized metric ${BACKLOG_PER_INSTANCE} only, not ${metric.MetricName ?? '(none)'}.`,
      `${field}.MetricName`,
    );
  }
  if (metric.Namespace !== SAGEMAKER_METRICS) {
    throw new ValidationError(
      `${field}.Namespace must be ${SAGEMAKER_METRICS}, got ${metric.Namespace ?? '(none)'}.`,
      `${field}.Namespace`,
    );
  }
  const dimensions = metric.Dimensions ?? [];
  if (
    dimensions.length !== 1 ||
    dimensions[0]!.Name !== 'EndpointName' ||
    dimensions[0]!.Value !== target.endpoint
  ) {
    throw new ValidationError(
      `${field}.Dimensions must be [{ Name: EndpointName, Value: ${target.endpoint} }]: the metric of the endpoint being scaled.`,
      `${field}.Dimensions`,
    );
  }
  if (!STATISTICS.has(metric.Statistic ?? '')) {
    throw new ValidationError(
      `${field}.Statistic must be Average (or Minimum, Maximum), got ${metric.Statistic ?? '(none)'}.`,
      `${field}.Statistic`,
    );
  }
}
