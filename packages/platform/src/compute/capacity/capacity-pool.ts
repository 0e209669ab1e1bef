import type { InstanceShape } from './instance-types.js';

/** A granted share of the machine; `release` gives it back (once). */
export interface CapacityLease {
  readonly share: InstanceShape;
  release(): void;
}

/** Thrown to a waiter whose wait was cancelled (its job was stopped before it started). */
export class CapacityWaitCancelled extends Error {
  constructor() {
    super('The wait for capacity was cancelled.');
    this.name = 'CapacityWaitCancelled';
  }
}

interface Waiter {
  readonly share: InstanceShape;
  readonly grant: (lease: CapacityLease) => void;
  readonly cancel: (error: Error) => void;
}

/**
 * The cores and memory jobs may use on this machine. Jobs ask for a share and wait, in the order
 * they asked, until it fits beside the running ones: a later job never overtakes an earlier one.
 * A share larger than the whole machine is cut to the machine, so every job can run alone.
 * Shares are accounted here, not enforced on the processes.
 */
export class CapacityPool {
  readonly #waiting: Waiter[] = [];
  #usedCpus = 0;
  #usedMemoryMiB = 0;

  constructor(readonly total: InstanceShape) {}

  /** Resolves with a lease when the share fits; rejects with CapacityWaitCancelled on abort. */
  acquire(wanted: InstanceShape, signal?: AbortSignal): Promise<CapacityLease> {
    const share = this.fit(wanted);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { share, grant: resolve, cancel: reject };
      signal?.addEventListener('abort', () => this.#cancel(waiter), { once: true });
      if (signal?.aborted) return reject(new CapacityWaitCancelled());
      this.#waiting.push(waiter);
      this.#grant();
    });
  }

  /** True when a request for this share now would be granted without waiting. */
  grantsAtOnce(wanted: InstanceShape): boolean {
    return this.#waiting.length === 0 && this.#fits(this.fit(wanted));
  }

  /** The share cut to the machine's size. */
  fit(wanted: InstanceShape): InstanceShape {
    return {
      cpus: Math.min(wanted.cpus, this.total.cpus),
      memoryMiB: Math.min(wanted.memoryMiB, this.total.memoryMiB),
    };
  }

  #cancel(waiter: Waiter): void {
    const index = this.#waiting.indexOf(waiter);
    if (index < 0) return;
    this.#waiting.splice(index, 1);
    waiter.cancel(new CapacityWaitCancelled());
    this.#grant();
  }

  #grant(): void {
    for (;;) {
      const next = this.#waiting[0];
      if (!next || !this.#fits(next.share)) return;
      this.#waiting.shift();
      this.#usedCpus += next.share.cpus;
      this.#usedMemoryMiB += next.share.memoryMiB;
      let released = false;
      next.grant({
        share: next.share,
        release: () => {
          if (released) return;
          released = true;
          this.#usedCpus -= next.share.cpus;
          this.#usedMemoryMiB -= next.share.memoryMiB;
          this.#grant();
        },
      });
    }
  }

  #fits(share: InstanceShape): boolean {
    return (
      this.#usedCpus + share.cpus <= this.total.cpus &&
      this.#usedMemoryMiB + share.memoryMiB <= this.total.memoryMiB
    );
  }
}
