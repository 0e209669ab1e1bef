import { ResourceKind, type ServiceContext } from '../shared/resource-kind.js';
import type { EndpointBody, ProductionVariantSummary } from './endpoint-types.js';

/** Endpoints in the metadata store, with SageMaker's ARN type and wording. */
export function endpointKind(ctx: ServiceContext): ResourceKind {
  return new ResourceKind(ctx, 'endpoint', 'endpoint');
}

/** The stored body (see toStoredBody) back with its Dates. */
export function fromStored(body: Record<string, unknown>): EndpointBody {
  const endpoint = body as unknown as EndpointBody;
  const pending = endpoint.PendingDeploymentSummary;
  return {
    ...endpoint,
    ProductionVariants: endpoint.ProductionVariants.map(withDates),
    ...(endpoint.ShadowProductionVariants
      ? { ShadowProductionVariants: endpoint.ShadowProductionVariants.map(withDates) }
      : {}),
    ...(pending
      ? {
          PendingDeploymentSummary: {
            ...pending,
            StartTime: new Date(pending.StartTime),
            ProductionVariants: pending.ProductionVariants.map((variant) => ({
              ...withDates(variant),
              ...(variant.VariantStatus
                ? {
                    VariantStatus: variant.VariantStatus.map((status) => ({
                      ...status,
                      StartTime: new Date(status.StartTime),
                    })),
                  }
                : {}),
            })),
          },
        }
      : {}),
  };
}

function withDates<V extends ProductionVariantSummary>(variant: V): V {
  return {
    ...variant,
    ...(variant.DeployedImages
      ? {
          DeployedImages: variant.DeployedImages.map((image) => ({
            ...image,
            ResolutionTime: new Date(image.ResolutionTime),
          })),
        }
      : {}),
  };
}
