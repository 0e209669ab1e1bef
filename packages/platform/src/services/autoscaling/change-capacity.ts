import type { ActivityLog, Direction } from './activity-log.js';
import type { VariantRef } from './scalable-resource.js';
import type { ScalableVariants } from './scalable-variants.js';

/**
 * Sets a variant's instance count as a scaling activity: the activity starts InProgress and the
 * autoscaler finishes it once the endpoint is InService again; if the endpoint refuses the
 * change, the activity fails at once, saying why.
 */
export async function changeCapacity(
  deps: { variants: ScalableVariants; activities: ActivityLog },
  change: {
    ref: VariantRef;
    resourceId: string;
    capacity: number;
    direction: Direction;
    cause: string;
  },
): Promise<void> {
  const logged = await deps.activities.start(change);
  try {
    await deps.variants.setDesiredCount(change.ref, change.capacity);
  } catch (error) {
    await deps.activities.finish(logged, {
      status: 'Failed',
      message: `Failed to set desired instance count to ${change.capacity}. Reason: ${(error as Error).message}`,
    });
  }
}
