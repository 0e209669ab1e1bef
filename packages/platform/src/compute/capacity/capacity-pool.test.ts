import { describe, expect, it } from 'vitest';
import { CapacityPool, CapacityWaitCancelled, type CapacityLease } from './capacity-pool.js';
import { instanceShape } from './instance-types.js';

const LARGE = { cpus: 2, memoryMiB: 8192 };

/** Resolves true if the promise settled within a few event-loop turns. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
}

describe('CapacityPool', () => {
  it('grants shares while they fit and makes later ones wait', async () => {
    const pool = new CapacityPool({ cpus: 4, memoryMiB: 32768 });
    const first = await pool.acquire(LARGE);
    const second = await pool.acquire(LARGE);
    expect(pool.grantsAtOnce(LARGE)).toBe(false);
    const third = pool.acquire(LARGE);
    expect(await settled(third)).toBe(false);
    first.release();
    expect(await settled(third)).toBe(true);
    second.release();
    (await third).release();
    expect(pool.grantsAtOnce({ cpus: 4, memoryMiB: 1 })).toBe(true);
  });

  it('keeps the order: a small share does not overtake a big one that waits', async () => {
    const pool = new CapacityPool({ cpus: 4, memoryMiB: 32768 });
    const running = await pool.acquire(LARGE);
    const big = pool.acquire({ cpus: 4, memoryMiB: 1024 });
    const small = pool.acquire({ cpus: 1, memoryMiB: 1024 });
    expect(await settled(small)).toBe(false);
    running.release();
    const granted = await big;
    expect(await settled(small)).toBe(false);
    granted.release();
    expect(await settled(small)).toBe(true);
  });

  it('counts memory as well as cores', async () => {
    const pool = new CapacityPool({ cpus: 16, memoryMiB: 10000 });
    await pool.acquire(LARGE);
    expect(pool.grantsAtOnce(LARGE)).toBe(false);
    expect(pool.grantsAtOnce({ cpus: 8, memoryMiB: 1000 })).toBe(true);
  });

  it('cuts a share larger than the machine to the machine, so it runs alone', async () => {
    const pool = new CapacityPool({ cpus: 2, memoryMiB: 4096 });
    const huge = await pool.acquire({ cpus: 96, memoryMiB: 393216 });
    expect(huge.share).toEqual({ cpus: 2, memoryMiB: 4096 });
    expect(pool.grantsAtOnce({ cpus: 1, memoryMiB: 1 })).toBe(false);
  });

  it('drops a cancelled waiter and lets the next one go', async () => {
    const pool = new CapacityPool({ cpus: 2, memoryMiB: 8192 });
    const running = await pool.acquire(LARGE);
    const abort = new AbortController();
    const cancelled = pool.acquire(LARGE, abort.signal);
    const next = pool.acquire(LARGE);
    abort.abort();
    await expect(cancelled).rejects.toBeInstanceOf(CapacityWaitCancelled);
    running.release();
    const lease: CapacityLease = await next;
    // Releasing twice gives back the share once.
    lease.release();
    lease.release();
    await pool.acquire(LARGE);
    expect(pool.grantsAtOnce(LARGE)).toBe(false);
  });
});

describe('instanceShape', () => {
  it('knows the cores and memory of SageMaker instance types', () => {
    expect(instanceShape('ml.m5.large')).toEqual({ cpus: 2, memoryMiB: 8192 });
    expect(instanceShape('ml.m5.4xlarge')).toEqual({ cpus: 16, memoryMiB: 65536 });
    expect(instanceShape('ml.c5.xlarge')).toEqual({ cpus: 4, memoryMiB: 8192 });
    expect(instanceShape('ml.c5n.9xlarge')).toEqual({ cpus: 36, memoryMiB: 73728 });
    expect(instanceShape('ml.r5.large')).toEqual({ cpus: 2, memoryMiB: 16384 });
    expect(instanceShape('ml.t3.medium')).toEqual({ cpus: 2, memoryMiB: 4096 });
    expect(instanceShape('ml.g4dn.xlarge')).toEqual({ cpus: 4, memoryMiB: 16384 });
    expect(instanceShape('ml.p3.2xlarge')).toEqual({ cpus: 8, memoryMiB: 62464 });
    expect(instanceShape('local')).toBeUndefined();
    expect(instanceShape('ml.q9.large')).toBeUndefined();
  });
});
