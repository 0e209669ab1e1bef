import type { ResourceRecord } from '../../store/metadata-store.js';
import { ResourceKind, type ServiceContext } from '../shared/resource-kind.js';
import {
  VARIANT_INSTANCE_COUNT,
  type ScalableTarget,
  type ScalingPolicy,
} from './autoscaling-types.js';

/**
 * Targets, policies and activities in the metadata store. Their store names begin with the
 * dimension and ResourceId (`<dimension>|<resource id>|...`), so one target's policies and
 * activities are found by name. Their store ARNs are internal; the AWS ARNs are in the bodies.
 */
export interface AutoscalingKinds {
  readonly targets: ResourceKind;
  readonly policies: ResourceKind;
  readonly activities: ResourceKind;
}

export function autoscalingKinds(ctx: ServiceContext): AutoscalingKinds {
  return {
    targets: new ResourceKind(ctx, 'scalable-target', 'scalable target'),
    policies: new ResourceKind(ctx, 'scaling-policy', 'scaling policy'),
    activities: new ResourceKind(ctx, 'scaling-activity', 'scaling activity'),
  };
}

/** The store name of the target of a ResourceId. */
export function targetName(resourceId: string): string {
  return `${VARIANT_INSTANCE_COUNT}|${resourceId}`;
}

/** The store name of something belonging to a target (a policy, an activity). */
export function childName(resourceId: string, name: string): string {
  return `${targetName(resourceId)}|${name}`;
}

/** What every store name of a target's policies or activities begins with. */
export function childPrefix(resourceId: string): string {
  return `${targetName(resourceId)}|`;
}

export function targetFromStored(body: Record<string, unknown>): ScalableTarget {
  const target = body as unknown as ScalableTarget;
  return { ...target, CreationTime: new Date(target.CreationTime) };
}

export function policyFromStored(body: Record<string, unknown>): ScalingPolicy {
  const policy = body as unknown as ScalingPolicy;
  return { ...policy, CreationTime: new Date(policy.CreationTime) };
}

/** Every record of a kind whose name contains `nameContains`, oldest first. */
export async function* allRecords(
  kind: ResourceKind,
  nameContains?: string,
): AsyncGenerator<ResourceRecord> {
  let nextToken: string | undefined;
  do {
    const page = await kind.list({
      maxResults: 100,
      sortOrder: 'Ascending',
      ...(nameContains ? { nameContains } : {}),
      ...(nextToken ? { nextToken } : {}),
    });
    yield* page.items;
    nextToken = page.nextCursor;
  } while (nextToken);
}
