import type { AutoscalingService } from '../../services/autoscaling/autoscaling-service.js';
import type {
  PutScalingPolicyRequest,
  RegisterScalableTargetRequest,
  TargetKey,
} from '../../services/autoscaling/autoscaling-types.js';
import type { OperationHandler } from '../aws-json/json-service.js';
import type { WireName } from '../aws-json/error-map.js';

/** Application Auto Scaling's names for the domain errors. */
export const AUTOSCALING_ERROR_NAMES: Readonly<
  Record<
    'Validation' | 'ResourceNotFound' | 'ResourceInUse' | 'ResourceLimitExceeded' | 'Conflict',
    WireName
  >
> = {
  Validation: { type: 'ValidationException', status: 400 },
  ResourceNotFound: { type: 'ObjectNotFoundException', status: 400 },
  ResourceInUse: { type: 'ValidationException', status: 400 },
  ResourceLimitExceeded: { type: 'LimitExceededException', status: 400 },
  Conflict: { type: 'ConcurrentUpdateException', status: 400 },
};

type DescribeTargets = Parameters<AutoscalingService['describeTargets']>[0];
type DescribePolicies = Parameters<AutoscalingService['describePolicies']>[0];
type DescribeActivities = Parameters<AutoscalingService['describeActivities']>[0];

/**
 * The Application Auto Scaling operations SageMaker users call. The input was validated against
 * the API model already, so its shape is what the request types say.
 */
export function createAutoscalingHandlers(
  autoscaling: AutoscalingService,
): Record<string, OperationHandler> {
  return {
    RegisterScalableTarget: (input) =>
      autoscaling.register(input as unknown as RegisterScalableTargetRequest),
    DescribeScalableTargets: (input) =>
      autoscaling.describeTargets(input as unknown as DescribeTargets),
    DeregisterScalableTarget: async (input) => {
      await autoscaling.deregister(input as unknown as TargetKey);
      return {};
    },
    PutScalingPolicy: (input) => autoscaling.putPolicy(input as unknown as PutScalingPolicyRequest),
    DescribeScalingPolicies: (input) =>
      autoscaling.describePolicies(input as unknown as DescribePolicies),
    DeleteScalingPolicy: async (input) => {
      await autoscaling.deletePolicy(input as unknown as TargetKey & { PolicyName: string });
      return {};
    },
    DescribeScalingActivities: (input) =>
      autoscaling.describeActivities(input as unknown as DescribeActivities),
  };
}
