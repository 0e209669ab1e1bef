import type { SortBy, SortOrder } from '../../store/metadata-store.js';
import type { ListOptions } from '../../services/shared/resource-kind.js';

/** A wire timestamp (epoch seconds, or ISO text where a client sends it) as a Date. */
export function decodeTimestamp(value: unknown): Date | undefined {
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string') return new Date(value);
  return undefined;
}

/** The filters SageMaker's List* inputs share, from the (already shape-validated) wire input. */
export function decodeListOptions(input: Record<string, unknown>): ListOptions {
  return {
    nameContains: input.NameContains as string | undefined,
    creationTimeAfter: decodeTimestamp(input.CreationTimeAfter),
    creationTimeBefore: decodeTimestamp(input.CreationTimeBefore),
    lastModifiedTimeAfter: decodeTimestamp(input.LastModifiedTimeAfter),
    lastModifiedTimeBefore: decodeTimestamp(input.LastModifiedTimeBefore),
    statusEquals: input.StatusEquals as string | undefined,
    sortBy: input.SortBy as SortBy | undefined,
    sortOrder: input.SortOrder as SortOrder | undefined,
    maxResults: input.MaxResults as number | undefined,
    nextToken: input.NextToken as string | undefined,
  };
}
