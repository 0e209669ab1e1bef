import { describe, expect, it } from 'vitest';
import type { FeatureBatch } from './batch.js';
import { cacheBatches } from './batch-cache.js';

/** A source of `count` one-row batches that counts how often it is read. */
function counted(count: number): {
  source: () => AsyncGenerator<FeatureBatch>;
  passes: () => number;
} {
  let passes = 0;
  return {
    source: async function* () {
      passes++;
      for (let i = 0; i < count; i++)
        yield {
          features: Float32Array.of(i, i + 0.5),
          labels: Float32Array.of(i % 2),
          rows: 1,
          dim: 2,
        };
    },
    passes: () => passes,
  };
}

async function collect(batches: AsyncIterable<FeatureBatch>): Promise<number[][]> {
  const rows: number[][] = [];
  for await (const b of batches) rows.push([...b.features, ...(b.labels ?? [])]);
  return rows;
}

describe('cacheBatches', () => {
  it('replays the first pass from memory, batch for batch', async () => {
    const data = counted(3);
    const cached = cacheBatches(data.source, 1 << 20);
    const first = await collect(cached());
    expect(await collect(cached())).toEqual(first);
    expect(await collect(cached())).toEqual(first);
    expect(first).toEqual([
      [0, 0.5, 0],
      [1, 1.5, 1],
      [2, 2.5, 0],
    ]);
    expect(data.passes()).toBe(1);
  });

  it('keeps reading the source when the data is larger than the budget', async () => {
    const data = counted(3);
    const cached = cacheBatches(data.source, 2 * 12); // two of the three 12-byte batches
    const first = await collect(cached());
    expect(await collect(cached())).toEqual(first);
    expect(data.passes()).toBe(2);
  });

  it('does not cache a pass that stopped early', async () => {
    const data = counted(3);
    const cached = cacheBatches(data.source, 1 << 20);
    for await (const _ of cached()) break;
    expect(await collect(cached())).toHaveLength(3);
    expect(await collect(cached())).toHaveLength(3);
    expect(data.passes()).toBe(2);
  });
});
