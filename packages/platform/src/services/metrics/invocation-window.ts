import type { RecentInvocations } from './endpoint-metrics.js';

/**
 * Per-second buckets of one variant's invocations in a ring, so recording is two additions and
 * a window's sum reads at most `seconds` buckets. A bucket holding an older second is reset
 * when that slot comes round again.
 */
export class InvocationWindow {
  readonly #seconds: Float64Array;
  readonly #invocations: Float64Array;
  readonly #perInstance: Float64Array;

  constructor(readonly size: number) {
    this.#seconds = new Float64Array(size).fill(-1);
    this.#invocations = new Float64Array(size);
    this.#perInstance = new Float64Array(size);
  }

  /** One invocation at `nowMs`, while the variant had `instances` instances. */
  add(nowMs: number, instances: number): void {
    const second = Math.floor(nowMs / 1000);
    const slot = second % this.size;
    if (this.#seconds[slot] !== second) {
      this.#seconds[slot] = second;
      this.#invocations[slot] = 0;
      this.#perInstance[slot] = 0;
    }
    this.#invocations[slot]! += 1;
    this.#perInstance[slot]! += 1 / Math.max(1, instances);
  }

  /** The sums over the whole seconds of the last `windowMs` before `nowMs`. */
  sum(nowMs: number, windowMs: number): RecentInvocations {
    const now = Math.floor(nowMs / 1000);
    const first = now - Math.min(this.size, Math.max(1, Math.round(windowMs / 1000))) + 1;
    let invocations = 0;
    let perInstance = 0;
    for (let slot = 0; slot < this.size; slot++) {
      const second = this.#seconds[slot]!;
      if (second >= first && second <= now) {
        invocations += this.#invocations[slot]!;
        perInstance += this.#perInstance[slot]!;
      }
    }
    return { invocations, perInstance };
  }
}
