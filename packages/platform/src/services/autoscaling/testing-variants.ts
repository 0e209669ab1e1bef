import type { VariantRef } from './scalable-resource.js';
import type { ScalableVariants, VariantCapacity } from './scalable-variants.js';

/**
 * Endpoint variants held in memory for autoscaling tests: a count change is "carried out" when
 * the test calls `settle()`, as the fleet brings an Updating endpoint back InService.
 */
export class InMemoryVariants implements ScalableVariants {
  readonly #variants = new Map<
    string,
    { status: string; current: number; desired: number; asynchronous?: boolean }
  >();

  add(ref: VariantRef, count: number, status = 'InService'): void {
    this.#variants.set(key(ref), { status, current: count, desired: count });
  }

  /** The variant's endpoint serves an AsyncInferenceConfig. */
  makeAsynchronous(ref: VariantRef): void {
    this.#variants.get(key(ref))!.asynchronous = true;
  }

  async capacity(ref: VariantRef): Promise<VariantCapacity | undefined> {
    const variant = this.#variants.get(key(ref));
    return (
      variant && {
        endpointStatus: variant.status,
        current: variant.current,
        desired: variant.desired,
        ...(variant.asynchronous ? { asynchronous: true } : {}),
      }
    );
  }

  async setDesiredCount(ref: VariantRef, count: number): Promise<void> {
    const variant = this.#variants.get(key(ref))!;
    if (variant.status !== 'InService') {
      throw new Error(`Cannot update the endpoint while it is ${variant.status}`);
    }
    Object.assign(variant, { desired: count, status: 'Updating' });
  }

  /** Every Updating endpoint reaches its desired count and is InService again. */
  settle(): void {
    for (const variant of this.#variants.values()) {
      if (variant.status === 'Updating')
        Object.assign(variant, { current: variant.desired, status: 'InService' });
    }
  }
}

function key(ref: VariantRef): string {
  return `${ref.endpoint}/${ref.variant}`;
}
