import { ResourceKind, type ServiceContext } from '../shared/resource-kind.js';
import type { EndpointBody } from './endpoint-types.js';

/** Endpoints in the metadata store, with SageMaker's ARN type and wording. */
export function endpointKind(ctx: ServiceContext): ResourceKind {
  return new ResourceKind(ctx, 'endpoint', 'endpoint');
}

/** The stored body (see toStoredBody) back with its Dates. */
export function fromStored(body: Record<string, unknown>): EndpointBody {
  const endpoint = body as unknown as EndpointBody;
  return {
    ...endpoint,
    ProductionVariants: endpoint.ProductionVariants.map((variant) => ({
      ...variant,
      ...(variant.DeployedImages
        ? {
            DeployedImages: variant.DeployedImages.map((image) => ({
              ...image,
              ResolutionTime: new Date(image.ResolutionTime),
            })),
          }
        : {}),
    })),
  };
}
