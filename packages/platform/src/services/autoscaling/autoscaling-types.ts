/**
 * Application Auto Scaling's shapes for the part Plinth serves: SageMaker endpoint variants'
 * instance counts, scaled by target-tracking policies on InvocationsPerInstance (or, for an
 * asynchronous endpoint, ApproximateBacklogSizePerInstance) and step-scaling policies on
 * HasBacklogWithoutCapacity.
 */

/** The one service namespace, scalable dimension and metric Plinth scales by. */
export const SAGEMAKER_NAMESPACE = 'sagemaker';
export const VARIANT_INSTANCE_COUNT = 'sagemaker:variant:DesiredInstanceCount';
export const TARGET_TRACKING = 'TargetTrackingScaling';
export const STEP_SCALING = 'StepScaling';
export const INVOCATIONS_PER_INSTANCE = 'SageMakerVariantInvocationsPerInstance';

export interface SuspendedState {
  DynamicScalingInSuspended?: boolean;
  DynamicScalingOutSuspended?: boolean;
  ScheduledScalingSuspended?: boolean;
}

/** A registered scalable target, as DescribeScalableTargets lists it. */
export interface ScalableTarget {
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  MinCapacity: number;
  MaxCapacity: number;
  RoleARN: string;
  CreationTime: Date;
  SuspendedState?: SuspendedState;
  ScalableTargetARN: string;
}

/** What RegisterScalableTarget takes (Tags are accepted and not kept). */
export interface RegisterScalableTargetRequest {
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  MinCapacity?: number;
  MaxCapacity?: number;
  RoleARN?: string;
  SuspendedState?: SuspendedState;
}

/** Which target an operation is about. */
export interface TargetKey {
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
}

export interface TargetTrackingConfiguration {
  TargetValue: number;
  PredefinedMetricSpecification?: { PredefinedMetricType: string; ResourceLabel?: string };
  CustomizedMetricSpecification?: CustomizedMetric;
  ScaleOutCooldown?: number;
  ScaleInCooldown?: number;
  DisableScaleIn?: boolean;
}

/** A CloudWatch metric a target-tracking policy tracks instead of a predefined one. */
export interface CustomizedMetric {
  MetricName?: string;
  Namespace?: string;
  Dimensions?: { Name: string; Value: string }[];
  Statistic?: string;
  Unit?: string;
  Metrics?: unknown[];
}

/** How a step-scaling policy changes capacity when its alarm fires. */
export interface StepScalingConfiguration {
  AdjustmentType?: 'ChangeInCapacity' | 'PercentChangeInCapacity' | 'ExactCapacity';
  StepAdjustments?: {
    MetricIntervalLowerBound?: number;
    MetricIntervalUpperBound?: number;
    ScalingAdjustment: number;
  }[];
  MinAdjustmentMagnitude?: number;
  Cooldown?: number;
  MetricAggregationType?: string;
}

/** A CloudWatch alarm a target-tracking policy watches its metric with. */
export interface Alarm {
  AlarmName: string;
  AlarmARN: string;
}

/** A scaling policy, as DescribeScalingPolicies lists it. */
export interface ScalingPolicy {
  PolicyARN: string;
  PolicyName: string;
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  PolicyType: string;
  TargetTrackingScalingPolicyConfiguration?: TargetTrackingConfiguration;
  StepScalingPolicyConfiguration?: StepScalingConfiguration;
  Alarms: Alarm[];
  CreationTime: Date;
}

/** What PutScalingPolicy takes. */
export interface PutScalingPolicyRequest extends TargetKey {
  PolicyName: string;
  PolicyType?: string;
  TargetTrackingScalingPolicyConfiguration?: TargetTrackingConfiguration;
  StepScalingPolicyConfiguration?: StepScalingConfiguration;
  PredictiveScalingPolicyConfiguration?: Record<string, unknown>;
}

export type ActivityStatus = 'InProgress' | 'Successful' | 'Failed';

/** A change of a target's capacity, as DescribeScalingActivities lists it. */
export interface ScalingActivity {
  ActivityId: string;
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  Description: string;
  Cause: string;
  StartTime: Date;
  EndTime?: Date;
  StatusCode: ActivityStatus;
  StatusMessage?: string;
}

/** A page of a Describe* answer. */
export interface Paging {
  MaxResults?: number;
  NextToken?: string;
}
