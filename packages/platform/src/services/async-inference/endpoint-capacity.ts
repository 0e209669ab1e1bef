import { fromStored } from '../endpoints/endpoint-state.js';
import type { ResourceKind } from '../shared/resource-kind.js';

/** How many instances serve an endpoint now, for handing it asynchronous requests. */
export interface EndpointCapacity {
  /**
   * The instances of the endpoint's production variants now serving (0 while it starts, restarts
   * or is scaled to zero), or undefined when there is no such endpoint.
   */
  instances(endpoint: string): Promise<number | undefined>;
}

/** Statuses in which an endpoint's recorded instances serve requests. */
const SERVING = new Set(['InService', 'Updating']);

/** Capacity as the endpoint records show it (CurrentInstanceCount of each production variant). */
export function recordedCapacity(endpoints: ResourceKind): EndpointCapacity {
  return {
    async instances(endpoint) {
      const record = await endpoints.find(endpoint);
      if (!record) return undefined;
      if (!SERVING.has(record.status ?? '')) return 0;
      return fromStored(record.body).ProductionVariants.reduce(
        (sum, variant) => sum + (variant.CurrentInstanceCount ?? 0),
        0,
      );
    },
  };
}
