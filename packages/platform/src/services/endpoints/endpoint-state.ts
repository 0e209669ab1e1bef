import { ResourceKind, type ServiceContext } from '../shared/resource-kind.js';
import type { EndpointBody } from './endpoint-types.js';

/** Endpoints in the metadata store, with SageMaker's ARN type and wording. */
export function endpointKind(ctx: ServiceContext): ResourceKind {
  return new ResourceKind(ctx, 'endpoint', 'endpoint');
}

/** Dates are kept as ISO text in the stored body and turned back into Dates when described. */
export function toStored(body: EndpointBody): Record<string, unknown> {
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

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
