import type { EndpointService } from '../endpoints/endpoint-service.js';
import { fromStored } from '../endpoints/endpoint-state.js';
import type { VariantRef } from './scalable-resource.js';

/** A variant's instance counts and whether its endpoint can be changed now. */
export interface VariantCapacity {
  /** The endpoint's status: counts change only while it is InService. */
  readonly endpointStatus: string;
  readonly current: number;
  readonly desired: number;
  /** Why the endpoint's last change failed, if it did. */
  readonly failureReason?: string;
  /** The endpoint serves an AsyncInferenceConfig: it may scale to 0 and has backlog metrics. */
  readonly asynchronous?: boolean;
}

/** The endpoint variants Application Auto Scaling reads and changes. */
export interface ScalableVariants {
  /** The variant's capacity, or undefined when there is no such endpoint or variant. */
  capacity(ref: VariantRef): Promise<VariantCapacity | undefined>;
  /** Asks for a new instance count (UpdateEndpointWeightsAndCapacities); the endpoint must be InService. */
  setDesiredCount(ref: VariantRef, count: number): Promise<void>;
}

/** Endpoint variants as the endpoint service stores and changes them. */
export function endpointVariants(endpoints: EndpointService): ScalableVariants {
  return {
    async capacity(ref) {
      const record = await endpoints.endpoints.find(ref.endpoint);
      if (!record) return undefined;
      const body = fromStored(record.body);
      const variant = body.ProductionVariants.find((v) => v.VariantName === ref.variant);
      // A serverless variant has no instance count to scale.
      if (variant?.DesiredInstanceCount === undefined) return undefined;
      const asyncConfig = await endpoints.asyncInferenceConfig(body.EndpointConfigName);
      return {
        endpointStatus: body.EndpointStatus,
        asynchronous: asyncConfig !== undefined,
        current: variant.CurrentInstanceCount ?? variant.DesiredInstanceCount,
        desired: variant.DesiredInstanceCount,
        ...(body.FailureReason ? { failureReason: body.FailureReason } : {}),
      };
    },
    async setDesiredCount(ref, count) {
      await endpoints.updateWeightsAndCapacities(ref.endpoint, [
        { VariantName: ref.variant, DesiredInstanceCount: count },
      ]);
    },
  };
}
